/// The value stored in a view's online table: the times and snapshot of the row it holds,
/// then the row (see Docs/StorageFormat.md).
///
/// ```
/// i64 event time | i64 created time | u64 snapshot id | row
/// ```
/// little-endian, so a lookup reads the event time for ttl checks without decoding the row.
@usableFromInline
enum OnlineRecord {
    @usableFromInline static let headerLength = 24

    @inlinable static func eventTime(_ bytes: UnsafeRawBufferPointer) -> Int64 {
        Int64(littleEndian: bytes.loadUnaligned(as: Int64.self))
    }

    @inlinable static func createdTime(_ bytes: UnsafeRawBufferPointer) -> Int64 {
        Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: Int64.self))
    }

    @inlinable static func snapshot(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
    }

    @inlinable static func row(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[headerLength...])
    }

    static func write(eventTime: Int64, createdTime: Int64, snapshot: UInt64, row: UnsafeRawBufferPointer, into buffer: UnsafeMutableRawBufferPointer) {
        buffer.storeBytes(of: eventTime.littleEndian, toByteOffset: 0, as: Int64.self)
        buffer.storeBytes(of: createdTime.littleEndian, toByteOffset: 8, as: Int64.self)
        buffer.storeBytes(of: snapshot.littleEndian, toByteOffset: 16, as: UInt64.self)
        UnsafeMutableRawBufferPointer(rebasing: buffer[headerLength...]).copyMemory(from: row)
    }
}
