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
    private var lastAppended: [UInt8] = []
    private var record: [UInt8] = []

    /// Every few thousand rows, and after each batch, the map pages read so far are dropped
    /// from the process's resident set (they stay in the page cache): a batch spread over a
    /// large store would otherwise keep most of the store resident.
    private let environment: Environment

    init(environment: Environment, databases: ViewDatabases, snapshot: UInt64, keepsOnline: Bool) {
        self.environment = environment
        self.databases = databases
        self.snapshot = snapshot
        self.keepsOnline = keepsOnline
        key.reserveCapacity(KeyEncoding.maxKeyLength)
    }

    /// Appends each row to history unless the latest stored version of the same
    /// (entity, event time, created time) holds identical bytes — so re-runs write nothing —
    /// and offers the newest row of each entity to the online table.
    ///
    /// When the whole batch sorts after everything stored (the first load of a view, or rows
    /// for new entities), nothing can match or be replaced: rows are appended without looking
    /// anything up, which is LMDB's fastest write.
    mutating func write(_ batch: RowBatch, _ txn: borrowing WriteTransaction) throws {
        let entries = batch.entries
        guard let first = entries.first else { return }
        try txn.withCursor(on: databases.history) { history in
            try txn.withCursor(on: databases.online) { online in
                let (historyAppends, onlineAppends) = try batch.withBytes(of: first) { prefix, entity, _ in
                    (try sortsAfterEverything(prefix, history, comparedLength: prefix.count),
                     try sortsAfterEverything(entity, online, comparedLength: entity.count))
                }
                for (position, entry) in entries.enumerated() {
                    if position % 16_384 == 16_383 { environment.releaseResidentPages() }
                    try batch.withBytes(of: entry) { prefix, entity, row in
                        if historyAppends {
                            try appendHistory(prefix: prefix, row: row, cursor: history)
                        } else {
                            try writeHistory(prefix: prefix, row: row, cursor: history, txn)
                        }
                        let lastOfEntity = position + 1 == entries.count
                            || batch.withBytes(of: entries[position + 1]) { _, next, _ in !equalBytes(next, entity) }
                        guard keepsOnline, lastOfEntity else { return }
                        if onlineAppends {
                            try appendOnline(entity: entity, eventTime: entry.eventTime, createdTime: entry.createdTime, row: row, cursor: online)
                        } else {
                            try offerOnline(entity: entity, eventTime: entry.eventTime, createdTime: entry.createdTime, row: row, txn)
                        }
                    }
                }
            }
        }
        environment.releaseResidentPages()
    }

    /// Whether `key` sorts after the first `comparedLength` bytes of the database's last key.
    private func sortsAfterEverything(_ key: UnsafeRawBufferPointer, _ cursor: borrowing Cursor, comparedLength: Int) throws -> Bool {
        guard let last = try cursor.last() else { return true }
        let lastPrefix = UnsafeRawBufferPointer(rebasing: last.key[..<min(comparedLength, last.key.count)])
        return !key.lexicographicallyPrecedes(lastPrefix) && !equalBytes(key, lastPrefix)
    }

    private mutating func appendHistory(prefix: UnsafeRawBufferPointer, row: UnsafeRawBufferPointer, cursor: borrowing Cursor) throws {
        key.removeAll(keepingCapacity: true)
        key.append(contentsOf: prefix)
        withUnsafeBytes(of: snapshot.bigEndian) { key.append(contentsOf: $0) }
        // Two rows with the same key in one batch are adjacent: the later replaces the earlier.
        let duplicate = key == lastAppended
        try key.withUnsafeBytes { try cursor.put(row, for: $0, options: duplicate ? [] : .append) }
        if !duplicate { rowsWritten += 1 }
        swap(&key, &lastAppended)
    }

    private mutating func appendOnline(entity: UnsafeRawBufferPointer, eventTime: Int64, createdTime: Int64, row: UnsafeRawBufferPointer, cursor: borrowing Cursor) throws {
        record.removeAll(keepingCapacity: true)
        record.append(contentsOf: repeatElement(0, count: OnlineRecord.length(row: row, previous: nil)))
        record.withUnsafeMutableBytes {
            OnlineRecord.write(eventTime: eventTime, createdTime: createdTime, snapshot: snapshot, row: row, previous: nil, into: $0)
        }
        try record.withUnsafeBytes { try cursor.put($0, for: entity, options: .append) }
        onlineRowsUpdated += 1
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
    ///
    /// The replaced record is kept after the new one, so readers keep seeing it until this run's
    /// snapshot becomes visible; a record this run wrote in an earlier batch keeps the previous
    /// it already had.
    private mutating func offerOnline(entity: UnsafeRawBufferPointer, eventTime: Int64, createdTime: Int64, row: UnsafeRawBufferPointer, _ txn: borrowing WriteTransaction) throws {
        let snapshot = self.snapshot
        let (isNewer, previous) = try txn.withValue(for: entity, in: databases.online) { stored -> (Bool, [UInt8]?) in
            guard stored.count >= OnlineRecord.headerLength else { return (true, nil) }
            let storedTimes = (OnlineRecord.eventTime(stored), OnlineRecord.createdTime(stored))
            let newer = (eventTime, createdTime) != storedTimes
                ? (eventTime, createdTime) > storedTimes
                : !equalBytes(OnlineRecord.row(stored), row)
            guard newer else { return (false, nil) }
            let kept = OnlineRecord.snapshot(stored) == snapshot
                ? OnlineRecord.previous(stored).map { Array($0) }
                : Array(OnlineRecord.withoutPrevious(stored))
            return (true, kept)
        } ?? (true, nil)
        guard isNewer else { return }
        try previous.withOptionalBytes { previous in
            try txn.put(reservingLength: OnlineRecord.length(row: row, previous: previous), for: entity, in: databases.online) { buffer in
                OnlineRecord.write(eventTime: eventTime, createdTime: createdTime, snapshot: snapshot, row: row, previous: previous, into: buffer)
            }
        }
        onlineRowsUpdated += 1
    }
}

extension Optional where Wrapped == [UInt8] {
    /// Lends the bytes, or nil.
    func withOptionalBytes<R>(_ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
        switch self {
        case .some(let bytes): try bytes.withUnsafeBytes { try body($0) }
        case .none: try body(nil)
        }
    }
}
