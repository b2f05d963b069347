/// The value of `meta`'s `pending_run` key: the snapshot id (8 bytes), the process id (4), then
/// 4 bytes per view id, all big-endian. Pinned by a golden test.
enum PendingRunRecord {
    static func encode(snapshot: UInt64, process: Int32, views: [UInt32]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(12 + 4 * views.count)
        withUnsafeBytes(of: snapshot.bigEndian) { bytes += $0 }
        withUnsafeBytes(of: UInt32(bitPattern: process).bigEndian) { bytes += $0 }
        for view in views { withUnsafeBytes(of: view.bigEndian) { bytes += $0 } }
        return bytes
    }

    /// The fields, or nil when `bytes` is not 12 bytes and 4 per view.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> (snapshot: UInt64, process: Int32, views: [UInt32])? {
        guard bytes.count >= 12, (bytes.count - 12) % 4 == 0 else { return nil }
        let views = stride(from: 12, to: bytes.count, by: 4).map { UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: $0, as: UInt32.self)) }
        return (UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)),
                Int32(bitPattern: UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self))),
                views)
    }
}
