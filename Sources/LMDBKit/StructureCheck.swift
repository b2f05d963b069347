#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What ``Environment/checkStructure()`` found in the B-trees of `data.mdb`.
public struct StructureCheck: Sendable {
    /// Each problem: the database (`main`, `free`, or a named database), the page and what is
    /// wrong with it.
    public internal(set) var problems: [String] = []
    /// Databases with a damaged page: reading them through LMDB may return garbage or crash.
    public internal(set) var damagedDatabases: Set<String> = []
    /// Pages read.
    public internal(set) var pages = 0
    /// The number of entries of each named database, as its record in the main database says.
    public internal(set) var entries: [String: Int] = [:]

    public var isSound: Bool { problems.isEmpty }

    mutating func add(_ database: String, _ problem: String) {
        damagedDatabases.insert(database)
        if problems.count < 1_000 { problems.append("database '\(database)': \(problem)") }
    }
}

extension Environment {
    /// Walks every B-tree of the environment (the free list, the main database and each named
    /// database) by reading `data.mdb` with `pread`, not through the memory map, and checks
    /// every page: its number, type and bounds, each node's place and size, the order of keys,
    /// child and overflow page numbers, that no page is reachable twice, and each database's
    /// depth and page counts. So damage to LMDB's own structures is found before LMDB follows
    /// a broken pointer and crashes. Runs inside a read transaction, which keeps the pages it
    /// walks from being reused by a writer meanwhile.
    ///
    /// LMDB has no checksums: a damaged byte inside a key or value that leaves the structure
    /// intact is not seen here (Larder's record checks look for those).
    public func checkStructure() throws -> StructureCheck {
        try read { txn in
            guard let header = DataFileHeader.read(path + "/data.mdb", transaction: txn.id) else {
                throw LMDBError(.invalidFile, operation: "checkStructure", path: path)
            }
            var walker = try PageWalker(path: path + "/data.mdb", header: header)
            defer { walker.close() }
            walker.walk(header.freeDatabase, name: "free")
            walker.walk(header.mainDatabase, name: "main")
            return walker.check
        }
    }
}

/// One database's record (`MDB_db`, 48 bytes), as meta pages and main-database leaves hold it.
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

/// Reads pages with `pread` and checks them (LMDB 0.9, 64-bit page layout).
private struct PageWalker {
    // MDB_page: pgno (8) | pad (2) | flags (2) | lower (2) | upper (2), or pages (4) for overflow.
    static let headerLength = 16
    static let branch: UInt16 = 0x01, leaf: UInt16 = 0x02, overflow: UInt16 = 0x04, leaf2: UInt16 = 0x20
    // MDB_node: lo (2) | hi (2) | flags (2) | key size (2), then the key and the data.
    static let nodeHeader = 8
    static let bigData: UInt16 = 0x01, subData: UInt16 = 0x02, dupData: UInt16 = 0x04
    static let maxKeyLength = 511

    let descriptor: Int32
    let pageSize: Int
    let lastPage: Int
    var check = StructureCheck()
    private var seen: [UInt64]
    private var page: [UInt8]

    init(path: String, header: DataFileHeader) throws {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw LMDBError(.system(errno), operation: "open", path: path) }
        pageSize = header.pageSize
        lastPage = header.lastPage
        seen = [UInt64](repeating: 0, count: header.lastPage / 64 + 1)
        page = [UInt8](repeating: 0, count: header.pageSize)
        seen[0] |= 3  // the two meta pages
    }

    func close() { _ = Glibc.close(descriptor) }

    /// Walks one database's tree and checks its depth and page counts against its record.
    mutating func walk(_ record: DatabaseRecord, name: String) {
        guard let root = record.root else {
            if record.entries != 0 || record.depth != 0 { check.add(name, "empty, but its record counts \(record.entries) entries at depth \(record.depth)") }
            return
        }
        var counts = (branch: 0, leaf: 0, overflow: 0, entries: 0, depth: 0)
        var named: [(String, DatabaseRecord)] = []
        visit(root, level: 1, database: name, counts: &counts, named: &named)
        if check.damagedDatabases.contains(name) { return }
        if counts.depth != record.depth || counts.branch != record.branchPages || counts.leaf != record.leafPages
            || counts.overflow != record.overflowPages || counts.entries != record.entries {
            check.add(name, "its record says depth \(record.depth), \(record.branchPages) branch, \(record.leafPages) leaf and \(record.overflowPages) overflow pages, \(record.entries) entries; the tree has \(counts.depth), \(counts.branch), \(counts.leaf), \(counts.overflow), \(counts.entries)")
        }
        for (child, childRecord) in named { walk(childRecord, name: child) }
    }

    private mutating func visit(_ number: Int, level: Int, database: String,
                                counts: inout (branch: Int, leaf: Int, overflow: Int, entries: Int, depth: Int),
                                named: inout [(String, DatabaseRecord)]) {
        guard claim(number, database: database, what: "page") else { return }
        guard read(number) else { return check.add(database, "page \(number) cannot be read") }
        check.pages += 1
        let (flags, lower, upper) = page.withUnsafeBytes { bytes in
            (UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 10, as: UInt16.self)),
             Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 12, as: UInt16.self))),
             Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 14, as: UInt16.self))))
        }
        let stored = page.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard stored == UInt64(number) else { return check.add(database, "page \(number) says it is page \(stored)") }
        let isBranch = flags & Self.branch != 0, isLeaf = flags & Self.leaf != 0
        guard isBranch != isLeaf, flags & (Self.overflow | Self.leaf2) == 0 else {
            return check.add(database, "page \(number) has flags 0x\(String(flags, radix: 16)), not a branch or a leaf")
        }
        guard lower >= Self.headerLength, (lower - Self.headerLength) % 2 == 0, lower <= upper, upper <= pageSize else {
            return check.add(database, "page \(number) has free space bounds \(lower)..<\(upper) outside the page")
        }
        let count = (lower - Self.headerLength) / 2
        guard count > 0 else { return check.add(database, "page \(number) has no nodes") }
        if isLeaf {
            if counts.depth == 0 { counts.depth = level }
            guard level == counts.depth else { return check.add(database, "leaf page \(number) is at depth \(level), others at \(counts.depth)") }
            counts.leaf += 1
        } else {
            counts.branch += 1
        }

        // The nodes: bounds first, then key order, then what they point at.
        var nodes: [(key: [UInt8], flags: UInt16, data: [UInt8], child: Int, size: Int)] = []
        for index in 0..<count {
            guard let node = node(index, upper: upper, isLeaf: isLeaf) else {
                return check.add(database, "page \(number): node \(index) runs outside the page")
            }
            nodes.append(node)
        }
        // The free list's keys are transaction ids compared as native (little-endian)
        // integers (MDB_INTEGERKEY); every other database here compares bytes.
        func ascending(_ left: [UInt8], _ right: [UInt8]) -> Bool {
            guard database == "free", left.count == 8, right.count == 8 else { return left.lexicographicallyPrecedes(right) }
            return left.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self).littleEndian } < right.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self).littleEndian }
        }
        // A branch's first key is empty: it stands for everything before the second.
        for index in 1..<max(1, count) where !(isBranch && index == 1) {
            guard ascending(nodes[index - 1].key, nodes[index].key) else {
                return check.add(database, "page \(number): key \(index) is not after key \(index - 1)")
            }
        }
        for node in nodes {
            if isBranch {
                guard node.child >= 2, node.child <= lastPage else {
                    return check.add(database, "page \(number) points at page \(node.child), past the last page \(lastPage)")
                }
                visit(node.child, level: level + 1, database: database, counts: &counts, named: &named)
                if check.damagedDatabases.contains(database) { return }
                continue
            }
            counts.entries += 1
            guard node.flags & Self.dupData == 0 else { return check.add(database, "page \(number) has a duplicate-sorted node, which no Larder database uses") }
            if node.flags & Self.bigData != 0 {
                let first = node.data.withUnsafeBytes { Int(clamping: UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
                guard checkOverflow(first, size: node.size, database: database) else { return }
                counts.overflow += (Self.headerLength + node.size + pageSize - 1) / pageSize
            } else if node.flags & Self.subData != 0 {
                guard database == "main", node.data.count == DatabaseRecord.length else {
                    return check.add(database, "page \(number) has a database record of \(node.data.count) bytes")
                }
                let record = node.data.withUnsafeBytes { DatabaseRecord($0) }
                let name = String(decoding: node.key, as: UTF8.self)
                check.entries[name] = record.entries
                named.append((name, record))
            }
        }
    }

    /// Node `index` of the page in `page`, nil when it does not fit in the page.
    private func node(_ index: Int, upper: Int, isLeaf: Bool) -> (key: [UInt8], flags: UInt16, data: [UInt8], child: Int, size: Int)? {
        page.withUnsafeBytes { bytes in
            let offset = Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: Self.headerLength + 2 * index, as: UInt16.self)))
            guard offset >= upper, offset + Self.nodeHeader <= pageSize else { return nil }
            func u16(_ at: Int) -> Int { Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + at, as: UInt16.self))) }
            let flags = UInt16(u16(4)), keyLength = u16(6)
            let keyStart = offset + Self.nodeHeader
            guard keyLength <= Self.maxKeyLength, keyStart + keyLength <= pageSize else { return nil }
            let key = Array(bytes[keyStart..<keyStart + keyLength])
            guard isLeaf else {
                // A branch node's child page number: lo | hi << 16 | flags << 32.
                return (key, 0, [], u16(0) | u16(2) << 16 | Int(flags) << 32, 0)
            }
            let size = u16(0) | u16(2) << 16
            let stored = flags & Self.bigData != 0 ? 8 : size
            guard keyStart + keyLength + stored <= pageSize else { return nil }
            return (key, flags, Array(bytes[keyStart + keyLength..<keyStart + keyLength + stored]), 0, size)
        }
    }

    /// Checks a value's overflow pages: in range, of the overflow type, long enough, unshared.
    private mutating func checkOverflow(_ first: Int, size: Int, database: String) -> Bool {
        let needed = (Self.headerLength + size + pageSize - 1) / pageSize
        guard first >= 2, first <= lastPage, needed <= lastPage - first + 1 else {
            check.add(database, "a value of \(size) bytes points at overflow page \(first), past the last page \(lastPage)")
            return false
        }
        guard read(first) else {
            check.add(database, "overflow page \(first) cannot be read")
            return false
        }
        let (stored, flags, pages) = page.withUnsafeBytes { bytes in
            (UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self)),
             UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 10, as: UInt16.self)),
             Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 12, as: UInt32.self))))
        }
        guard stored == UInt64(first), flags & Self.overflow != 0, pages == needed else {
            check.add(database, "overflow page \(first) of a \(size)-byte value is damaged (page \(stored), flags 0x\(String(flags, radix: 16)), \(pages) pages)")
            return false
        }
        for number in first..<first + pages {
            guard claim(number, database: database, what: "overflow page") else { return false }
        }
        check.pages += pages
        return true
    }

    /// Marks a page as reached; false (and a problem) when it is out of range or reached before.
    private mutating func claim(_ number: Int, database: String, what: String) -> Bool {
        guard number >= 0, number <= lastPage else {
            check.add(database, "\(what) \(number) is past the last page \(lastPage)")
            return false
        }
        let (word, bit) = (number / 64, UInt64(1) << UInt64(number % 64))
        guard seen[word] & bit == 0 else {
            check.add(database, "\(what) \(number) is reached twice")
            return false
        }
        seen[word] |= bit
        return true
    }

    private mutating func read(_ number: Int) -> Bool {
        let size = pageSize, descriptor = descriptor
        return page.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, size, off_t(number) * off_t(size)) } == size
    }
}
