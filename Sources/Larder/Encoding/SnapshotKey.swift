/// The key of a snapshot record: its id, 8 bytes big-endian, so records sort by id.
enum SnapshotKey {
    static func make(_ id: UInt64) -> [UInt8] { withUnsafeBytes(of: id.bigEndian) { Array($0) } }

    /// The id, or nil for a key of another size.
    static func id(_ key: UnsafeRawBufferPointer) -> UInt64? {
        key.count == 8 ? UInt64(bigEndian: key.loadUnaligned(as: UInt64.self)) : nil
    }
}
