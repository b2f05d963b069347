/// The value stored in a view's online table (see Docs/StorageFormat.md):
///
/// ```
/// i64 event time | i64 created time | u64 snapshot id | u32 row length | row | [previous]
/// ```
/// little-endian, so a lookup reads the times without decoding the row. `previous`, when
/// present, is the record this one replaced, in the same layout (without a previous of its
/// own): a materialization commits in several transactions, and until its snapshot becomes
/// visible readers keep serving the previous record.
@usableFromInline
enum OnlineRecord {
    @usableFromInline static let headerLength = 28

    @inlinable static func eventTime(_ record: UnsafeRawBufferPointer) -> Int64 {
        Int64(littleEndian: record.loadUnaligned(as: Int64.self))
    }

    @inlinable static func createdTime(_ record: UnsafeRawBufferPointer) -> Int64 {
        Int64(littleEndian: record.loadUnaligned(fromByteOffset: 8, as: Int64.self))
    }

    @inlinable static func snapshot(_ record: UnsafeRawBufferPointer) -> UInt64 {
        UInt64(littleEndian: record.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
    }

    @inlinable static func rowLength(_ record: UnsafeRawBufferPointer) -> Int {
        Int(UInt32(littleEndian: record.loadUnaligned(fromByteOffset: 24, as: UInt32.self)))
    }

    /// The record's row; empty if the record is damaged.
    @inlinable static func row(_ record: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let end = headerLength + rowLength(record)
        guard end <= record.count else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(rebasing: record[headerLength..<end])
    }

    /// The record a reader may see: this one when its snapshot is visible, else the previous
    /// one if that is, else none.
    @inlinable static func visible(_ bytes: UnsafeRawBufferPointer, upTo visibleSnapshot: UInt64) -> UnsafeRawBufferPointer? {
        guard bytes.count >= headerLength else { return nil }
        if snapshot(bytes) <= visibleSnapshot { return bytes }
        guard let previous = previous(bytes), snapshot(previous) <= visibleSnapshot else { return nil }
        return previous
    }

    /// The replaced record kept after this one, if any.
    @inlinable static func previous(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        let start = headerLength + rowLength(bytes)
        guard bytes.count >= start + headerLength else { return nil }
        return UnsafeRawBufferPointer(rebasing: bytes[start...])
    }

    /// The record without its previous one.
    static func withoutPrevious(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[..<min(bytes.count, headerLength + rowLength(bytes))])
    }

    static func length(row: UnsafeRawBufferPointer, previous: UnsafeRawBufferPointer?) -> Int {
        headerLength + row.count + (previous?.count ?? 0)
    }

    static func write(
        eventTime: Int64, createdTime: Int64, snapshot: UInt64, row: UnsafeRawBufferPointer,
        previous: UnsafeRawBufferPointer?, into buffer: UnsafeMutableRawBufferPointer
    ) {
        buffer.storeBytes(of: eventTime.littleEndian, toByteOffset: 0, as: Int64.self)
        buffer.storeBytes(of: createdTime.littleEndian, toByteOffset: 8, as: Int64.self)
        buffer.storeBytes(of: snapshot.littleEndian, toByteOffset: 16, as: UInt64.self)
        buffer.storeBytes(of: UInt32(row.count).littleEndian, toByteOffset: 24, as: UInt32.self)
        UnsafeMutableRawBufferPointer(rebasing: buffer[headerLength..<headerLength + row.count]).copyMemory(from: row)
        if let previous {
            UnsafeMutableRawBufferPointer(rebasing: buffer[(headerLength + row.count)...]).copyMemory(from: previous)
        }
    }
}
