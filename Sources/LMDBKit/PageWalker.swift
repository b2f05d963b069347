#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Walks LMDB's B-trees by reading `data.mdb` with `pread` and checks every page it reaches
/// (LMDB 0.9, 64-bit page layout). The one place that knows LMDB's page and node layout.
struct PageWalker {
    // MDB_page: pgno (8) | pad (2) | flags (2) | lower (2) | upper (2), or pages (4) for overflow.
    private static let headerLength = 16
    private static let branch: UInt16 = 0x01, leaf: UInt16 = 0x02, overflow: UInt16 = 0x04, leaf2: UInt16 = 0x20
    // MDB_node: lo (2) | hi (2) | flags (2) | key size (2), then the key and the data.
    private static let nodeHeader = 8
    private static let bigData: UInt16 = 0x01, subData: UInt16 = 0x02, dupData: UInt16 = 0x04
    private static let maxKeyLength = 511
    /// LMDB's cursors stop at 32 levels (`CURSOR_STACK`); a deeper tree is a loop or damage.
    private static let maxDepth = 32

    private let descriptor: Int32
    private let pageSize: Int
    private let lastPage: Int
    private(set) var check = StructureCheck()
    private var seen: [UInt64]
    private var page: [UInt8]

    /// One node of the page in the buffer.
    private struct Node {
        var key: [UInt8]
        var flags: UInt16 = 0
        /// A leaf's data as stored in the page: the value, an overflow page number or a database record.
        var data: [UInt8] = []
        /// A leaf's value size (for overflow values, more than `data` holds).
        var size = 0
        /// A branch node's child page.
        var child = 0
    }

    /// What one tree holds, to compare with its record.
    private struct Counts {
        var branch = 0, leaf = 0, overflow = 0, entries = 0, depth = 0
    }

    /// Reads the file open at `descriptor` (the caller keeps and closes it), which holds
    /// `pagesInFile` pages. Pages past the file's end count as missing whatever the header says,
    /// so a damaged header cannot make the walk allocate for pages that do not exist.
    init(descriptor: Int32, header: DataFileHeader, pagesInFile: Int) {
        self.descriptor = descriptor
        pageSize = header.pageSize
        lastPage = max(1, min(header.lastPage, pagesInFile - 1))
        seen = [UInt64](repeating: 0, count: lastPage / 64 + 1)
        page = [UInt8](repeating: 0, count: header.pageSize)
        seen[0] |= 3  // the two meta pages
    }

    /// Walks one database's tree, then the named databases it lists (for the main database),
    /// and checks each tree's depth and page counts against its record.
    mutating func walk(_ record: DatabaseRecord, name: String) {
        guard let root = record.root else {
            if record.entries != 0 || record.depth != 0 { check.add(name, "empty, but its record counts \(record.entries) entries at depth \(record.depth)") }
            return
        }
        var counts = Counts()
        var named: [(String, DatabaseRecord)] = []
        visit(root, level: 1, database: name, counts: &counts, named: &named)
        if check.damagedDatabases.contains(name) { return }
        if counts.depth != record.depth || counts.branch != record.branchPages || counts.leaf != record.leafPages
            || counts.overflow != record.overflowPages || counts.entries != record.entries {
            check.add(name, "its record says depth \(record.depth), \(record.branchPages) branch, \(record.leafPages) leaf and \(record.overflowPages) overflow pages, \(record.entries) entries; the tree has \(counts.depth), \(counts.branch), \(counts.leaf), \(counts.overflow), \(counts.entries)")
        }
        for (child, childRecord) in named { walk(childRecord, name: child) }
    }

    private mutating func visit(_ number: Int, level: Int, database: String, counts: inout Counts, named: inout [(String, DatabaseRecord)]) {
        guard level <= Self.maxDepth else { return check.add(database, "page \(number) is \(level) levels deep (a loop?)") }
        guard claim(number, database: database, what: "page") else { return }
        guard read(number) else { return check.add(database, "page \(number) cannot be read (past the end of the file?)") }
        check.pages += 1
        let (stored, flags, lower, upper) = page.withUnsafeBytes { bytes in
            (UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self)),
             UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 10, as: UInt16.self)),
             Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 12, as: UInt16.self))),
             Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 14, as: UInt16.self))))
        }
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
        var nodes: [Node] = []
        for index in 0..<count {
            guard let node = node(index, upper: upper, isLeaf: isLeaf) else {
                return check.add(database, "page \(number): node \(index) runs outside the page")
            }
            nodes.append(node)
        }
        // A branch's first key is empty: it stands for everything before the second.
        for index in 1..<max(1, count) where !(isBranch && index == 1) {
            guard ascending(nodes[index - 1].key, nodes[index].key, database: database) else {
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
                guard let pages = checkOverflow(first, size: node.size, database: database) else { return }
                counts.overflow += pages
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

    /// The free list's keys are transaction ids compared as native (little-endian) integers
    /// (MDB_INTEGERKEY); every other database here compares bytes.
    private func ascending(_ left: [UInt8], _ right: [UInt8], database: String) -> Bool {
        guard database == "free", left.count == 8, right.count == 8 else { return left.lexicographicallyPrecedes(right) }
        return left.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self).littleEndian } < right.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self).littleEndian }
    }

    /// Node `index` of the page in the buffer, nil when it does not fit in the page.
    private func node(_ index: Int, upper: Int, isLeaf: Bool) -> Node? {
        page.withUnsafeBytes { bytes in
            let offset = Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: Self.headerLength + 2 * index, as: UInt16.self)))
            guard offset >= upper, offset + Self.nodeHeader <= pageSize else { return nil }
            func u16(_ at: Int) -> Int { Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + at, as: UInt16.self))) }
            let flags = UInt16(u16(4)), keyLength = u16(6)
            let keyStart = offset + Self.nodeHeader
            guard keyLength <= Self.maxKeyLength, keyStart + keyLength <= pageSize else { return nil }
            let key = Array(bytes[keyStart..<keyStart + keyLength])
            // A branch node's child page number: lo | hi << 16 | flags << 32.
            guard isLeaf else { return Node(key: key, child: u16(0) | u16(2) << 16 | Int(flags) << 32) }
            let size = u16(0) | u16(2) << 16
            let stored = flags & Self.bigData != 0 ? 8 : size
            guard keyStart + keyLength + stored <= pageSize else { return nil }
            return Node(key: key, flags: flags, data: Array(bytes[keyStart + keyLength..<keyStart + keyLength + stored]), size: size)
        }
    }

    /// Checks a value's overflow pages (in range, of the overflow type, enough of them,
    /// unshared) and returns how many there are: at least as many as the value needs, more when
    /// LMDB rewrote a smaller value in place.
    private mutating func checkOverflow(_ first: Int, size: Int, database: String) -> Int? {
        let needed = (Self.headerLength + size + pageSize - 1) / pageSize
        guard first >= 2, first <= lastPage, needed <= lastPage - first + 1 else {
            check.add(database, "a value of \(size) bytes points at overflow page \(first), past the last page \(lastPage)")
            return nil
        }
        guard read(first) else {
            check.add(database, "overflow page \(first) cannot be read (past the end of the file?)")
            return nil
        }
        let (stored, flags, pages) = page.withUnsafeBytes { bytes in
            (UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self)),
             UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 10, as: UInt16.self)),
             Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 12, as: UInt32.self))))
        }
        guard stored == UInt64(first), flags & Self.overflow != 0, pages >= needed, pages <= lastPage - first + 1 else {
            check.add(database, "overflow page \(first) of a \(size)-byte value is damaged (page \(stored), flags 0x\(String(flags, radix: 16)), \(pages) pages)")
            return nil
        }
        for number in first..<first + pages {
            guard claim(number, database: database, what: "overflow page") else { return nil }
        }
        // The pages past the first are not read: reading the last one shows the file is long enough.
        guard read(first + pages - 1) else {
            check.add(database, "overflow page \(first + pages - 1) cannot be read (past the end of the file?)")
            return nil
        }
        check.pages += pages
        return pages
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
