import LMDBKit

/// Visits every entry of `database` in key order and applies a change for each entry `collect`
/// picks. Changes are collected in batches of at most `limit` and applied outside the scan (a
/// cursor must not see the database change under it), then the scan resumes at the first key
/// not yet seen — so memory stays bounded whatever the size of the database.
func scanInBatches<Change>(
    _ database: Database, _ txn: borrowing WriteTransaction, limit: Int = 65_536,
    collect: (CursorEntry) throws -> Change?, apply: (Change) throws -> Void
) throws {
    var resume: [UInt8]? = []
    while let start = resume {
        var changes: [Change] = []
        resume = nil
        try txn.withCursor(on: database) { cursor in
            var entry = try start.isEmpty ? cursor.first() : start.withUnsafeBytes { try cursor.seek(atLeast: $0) }
            while let current = entry {
                if changes.count >= limit { resume = Array(current.key); return }
                if let change = try collect(current) { changes.append(change) }
                entry = try cursor.next()
            }
        }
        for change in changes { try apply(change) }
    }
}
