/// One database's record (`MDB_db`, 48 bytes, LMDB 0.9 on 64-bit), as meta pages and the main
/// database's leaves hold it: `pad` (u32, the page size in the free list's record), `flags`
/// (u16), `depth` (u16), then branch, leaf and overflow page counts, entries and the root page
/// (u64 each).
struct DatabaseRecord {
    static let length = 48
    let depth: Int
    let branchPages: Int
    let leafPages: Int
    let overflowPages: Int
    let entries: Int
    /// `nil` for an empty database.
    let root: Int?

    init(_ bytes: UnsafeRawBufferPointer) {
        func load(_ offset: Int) -> UInt64 { UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
        depth = Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 6, as: UInt16.self)))
        branchPages = Int(clamping: load(8))
        leafPages = Int(clamping: load(16))
        overflowPages = Int(clamping: load(24))
        entries = Int(clamping: load(32))
        let root = load(40)
        self.root = root == .max ? nil : Int(clamping: root)
    }
}
