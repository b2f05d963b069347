#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The two meta pages at the start of `data.mdb`, read with plain file I/O before LMDB maps the
/// file: LMDB trusts the file to be as long as its meta pages say, and touching a page past the
/// end of a truncated file kills the process with SIGBUS. This is the one place that knows the
/// layout of LMDB's meta page (LMDB 0.9, 64-bit: `MDB_page` header, then `MDB_meta`).
struct DataFileHeader {
    /// The page size the file was written with.
    let pageSize: Int
    /// The last page the newest committed transaction uses.
    let lastPage: Int
    /// The newest committed transaction.
    let transactionID: Int

    /// The free-page database and the main database (whose keys name the named databases),
    /// as this transaction's meta page records them.
    let freeDatabase: DatabaseRecord
    let mainDatabase: DatabaseRecord

    /// The size the file must have at least: every page up to `lastPage`.
    var requiredSize: Int { (lastPage + 1) * pageSize }

    private static let magic: UInt32 = 0xBEEF_C0DE
    private static let dataVersion: UInt32 = 1
    // Offsets in a meta page: a 16-byte page header, then mm_magic, mm_version, mm_address,
    // mm_mapsize, mm_dbs[2] (48 bytes each; the first one's md_pad holds the page size),
    // mm_last_pg and mm_txnid.
    private static let magicOffset = 16
    private static let versionOffset = 20
    private static let freeDatabaseOffset = 40
    private static let pageSizeOffset = 40
    private static let mainDatabaseOffset = 88
    private static let lastPageOffset = 136
    private static let transactionIDOffset = 144
    private static let metaLength = 152

    /// The header of the file at `path`: of the newest commit, or of commit `transaction` when
    /// given. Nil when there is no such file or commit, the file is empty, or it does not start
    /// with an LMDB meta page (LMDB then judges it and says why).
    static func read(_ path: String, transaction: Int? = nil) -> DataFileHeader? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        guard let first = meta(descriptor, at: 0) else { return nil }
        // A second meta page that cannot be read is a file cut short after its first page.
        let second = meta(descriptor, at: first.pageSize)
        if let transaction { return [first, second].compactMap { $0 }.first { $0.transactionID == transaction } }
        let newest = second.map { $0.transactionID > first.transactionID ? $0 : first } ?? first
        return DataFileHeader(
            pageSize: newest.pageSize, lastPage: max(newest.lastPage, second == nil ? 1 : 0), transactionID: newest.transactionID,
            freeDatabase: newest.freeDatabase, mainDatabase: newest.mainDatabase)
    }

    private static func meta(_ descriptor: Int32, at offset: Int) -> DataFileHeader? {
        var bytes = [UInt8](repeating: 0, count: metaLength)
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, metaLength, off_t(offset)) }
        guard count == metaLength else { return nil }
        return bytes.withUnsafeBytes { raw -> DataFileHeader? in
            func load<T: FixedWidthInteger>(_ offset: Int, _ type: T.Type) -> T { T(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: T.self)) }
            guard load(magicOffset, UInt32.self) == magic, load(versionOffset, UInt32.self) == dataVersion else { return nil }
            let pageSize = Int(load(pageSizeOffset, UInt32.self))
            let lastPage = load(lastPageOffset, UInt64.self)
            // Sizes no LMDB writes are damage in the header itself: leave it to LMDB's checks.
            guard pageSize >= 512, pageSize <= 1 << 16, pageSize & (pageSize - 1) == 0, lastPage < 1 << 40 else { return nil }
            return DataFileHeader(
                pageSize: pageSize, lastPage: Int(lastPage), transactionID: Int(clamping: load(transactionIDOffset, UInt64.self)),
                freeDatabase: DatabaseRecord(UnsafeRawBufferPointer(rebasing: raw[freeDatabaseOffset..<freeDatabaseOffset + DatabaseRecord.length])),
                mainDatabase: DatabaseRecord(UnsafeRawBufferPointer(rebasing: raw[mainDatabaseOffset..<mainDatabaseOffset + DatabaseRecord.length])))
        }
    }

    /// Refuses a file shorter than its pages, before anything maps it.
    ///
    /// A healthy file is almost always as long as its meta page says (every page up to the last
    /// in use). It can be a little shorter when the last pages were freed in the commit that
    /// allocated them (LMDB never writes such "loose" pages): then every page the trees reach is
    /// read with `pread`, and the file is refused only if one of them is missing.
    static func checkNotTruncated(_ path: String, environment: String) throws(LMDBError) {
        for _ in 0..<5 {
            guard let header = read(path) else { return }
            var info = stat()
            guard stat(path, &info) == 0 else { return }
            let size = Int(info.st_size)  // read after the header: a live writer only grows the file
            if size >= header.requiredSize { return }
            let truncated = LMDBError(.truncated(fileSize: size, expectedSize: header.requiredSize), operation: "open", path: environment)
            // Loose pages are what one commit allocated and freed again: a few thousand at most.
            // A meta page claiming far more is damaged, whatever the trees say.
            let missingPages = (header.requiredSize - size) / header.pageSize
            guard size >= 2 * header.pageSize, missingPages <= maxUnwrittenPages,
                  let check = try? walk(path, header: header) else { throw truncated }
            if check.isSound { return }
            // A writer that committed meanwhile may have reused pages under the walk: look again.
            if read(path)?.transactionID == header.transactionID { throw truncated }
        }
    }

    /// The most pages past the end of a healthy file: pages freed by the commit that allocated
    /// them, which LMDB never writes (a 32k-row batch dirties fewer than this).
    static let maxUnwrittenPages = 4_096

    /// Walks the free list, the main database and every named database of the commit `self`
    /// describes, reading the file at `path`.
    static func walk(_ path: String, header: DataFileHeader) throws -> StructureCheck {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw LMDBError(.system(errno), operation: "open", path: path) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw LMDBError(.system(errno), operation: "fstat", path: path) }
        var walker = PageWalker(descriptor: descriptor, header: header, pagesInFile: Int(info.st_size) / header.pageSize)
        walker.walk(header.freeDatabase, name: "free")
        walker.walk(header.mainDatabase, name: "main")
        return walker.check
    }
}
