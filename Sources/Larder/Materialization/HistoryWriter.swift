import LMDBKit

/// Writes sorted batches of one view into its history and online tables, inside the run's
/// write transaction.
struct HistoryWriter {
    let databases: ViewDatabases
    let snapshot: UInt64
    let keepsOnline: Bool
    private(set) var rowsWritten = 0
    private(set) var rowsUnchanged = 0
    private(set) var onlineRowsUpdated = 0
    private var key: [UInt8] = []

    init(databases: ViewDatabases, snapshot: UInt64, keepsOnline: Bool) {
        self.databases = databases
        self.snapshot = snapshot
        self.keepsOnline = keepsOnline
        key.reserveCapacity(KeyEncoding.maxKeyLength)
    }

    /// Appends each row to history unless the latest stored version of the same
    /// (entity, event time, created time) holds identical bytes — so re-runs write nothing —
    /// and offers the newest row of each entity to the online table.
    mutating func write(_ batch: RowBatch, _ txn: borrowing WriteTransaction) throws {
        let entries = batch.entries
        try txn.withCursor(on: databases.history) { cursor in
            for (position, entry) in entries.enumerated() {
                try batch.withBytes(of: entry) { prefix, entity, row in
                    try writeHistory(prefix: prefix, row: row, cursor: cursor, txn)
                    let lastOfEntity = position + 1 == entries.count
                        || batch.withBytes(of: entries[position + 1]) { _, next, _ in !equalBytes(next, entity) }
                    if keepsOnline, lastOfEntity {
                        try offerOnline(entity: entity, eventTime: entry.eventTime, createdTime: entry.createdTime, row: row, txn)
                    }
                }
            }
        }
    }

    private mutating func writeHistory(prefix: UnsafeRawBufferPointer, row: UnsafeRawBufferPointer, cursor: borrowing Cursor, _ txn: borrowing WriteTransaction) throws {
        key.removeAll(keepingCapacity: true)
        key.append(contentsOf: prefix)
        key.append(contentsOf: repeatElement(0xFF, count: 8))
        let latest = try key.withUnsafeBytes { search -> (snapshot: UInt64, sameValue: Bool)? in
            guard let found = try cursor.seek(atMost: search), found.key.count == search.count,
                  equalBytes(UnsafeRawBufferPointer(rebasing: found.key[..<prefix.count]), prefix) else { return nil }
            return (KeyEncoding.loadUInt64(at: prefix.count, in: found.key), equalBytes(found.value, row))
        }
        if latest?.sameValue == true {
            rowsUnchanged += 1
            return
        }
        key.withUnsafeMutableBytes { KeyEncoding.storeUInt64(snapshot, at: prefix.count, in: $0) }
        try key.withUnsafeBytes { try txn.put(row, for: $0, in: databases.history) }
        // A second row for the same key in one run replaces the first: the later line wins.
        if latest?.snapshot != snapshot { rowsWritten += 1 }
    }

    /// Replaces the online row when this one is newer: later event time, then later created
    /// time, then (same times, different value) the later snapshot, which is this one.
    private mutating func offerOnline(entity: UnsafeRawBufferPointer, eventTime: Int64, createdTime: Int64, row: UnsafeRawBufferPointer, _ txn: borrowing WriteTransaction) throws {
        let isNewer = try txn.withValue(for: entity, in: databases.online) { stored -> Bool in
            let storedTimes = (OnlineRecord.eventTime(stored), OnlineRecord.createdTime(stored))
            if (eventTime, createdTime) != storedTimes { return (eventTime, createdTime) > storedTimes }
            return !equalBytes(OnlineRecord.row(stored), row)
        } ?? true
        guard isNewer else { return }
        try txn.put(reservingLength: OnlineRecord.headerLength + row.count, for: entity, in: databases.online) { buffer in
            OnlineRecord.write(eventTime: eventTime, createdTime: createdTime, snapshot: snapshot, row: row, into: buffer)
        }
        onlineRowsUpdated += 1
    }
}
