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
        // The meta page of the read transaction's commit can be overwritten by two later
        // commits before it is read: then start again with a newer transaction.
        for _ in 0..<5 {
            let check = try read { txn -> StructureCheck? in
                guard let header = DataFileHeader.read(path + "/data.mdb", transaction: txn.id) else { return nil }
                return try DataFileHeader.walk(path + "/data.mdb", header: header)
            }
            if let check { return check }
        }
        throw LMDBError(.system(EAGAIN), operation: "checkStructure: writers kept committing", path: path)
    }

    /// The named databases and how many entries each holds, as `txn` sees them.
    public func namedDatabases(in txn: borrowing some ReadableTransaction) throws -> [(name: String, entries: Int)] {
        var result: [(name: String, entries: Int)] = []
        // The main database (LMDB's MAIN_DBI, always open) maps each name to its record.
        try txn.withCursor(on: Database(id: 1)) { cursor in
            try cursor.forEach(prefix: []) { entry in
                let entries = entry.value.count == DatabaseRecord.length ? DatabaseRecord(entry.value).entries : 0
                result.append((String(decoding: entry.key, as: UTF8.self), entries))
                return true
            }
        }
        return result
    }
}
