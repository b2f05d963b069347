import LMDBKit

/// Writes sorted batches of one view into its history and online tables, inside the run's
/// write transaction.
struct HistoryWriter {
    let databases: ViewDatabases
    let snapshot: UInt64
    let keepsOnline: Bool
    private(set) var rowsWritten = 0
    /// The newest event time among the run's rows (microseconds), for freshness.
    private(set) var newestEventTime: Int64?
    private(set) var rowsUnchanged = 0
    private(set) var onlineRowsUpdated = 0

    /// Every few thousand rows, and after each batch, the map pages read so far are dropped
    /// from the process's resident set (they stay in the page cache): a batch spread over a
    /// large store would otherwise keep most of the store resident.
    private let environment: Environment

    init(environment: Environment, databases: ViewDatabases, snapshot: UInt64, keepsOnline: Bool) {
        self.environment = environment
        self.databases = databases
        self.snapshot = snapshot
        self.keepsOnline = keepsOnline
    }

    /// Appends each row to history unless the latest stored version of the same
    /// (entity, event time, created time) holds identical bytes — so re-runs write nothing —
    /// and offers the newest row of each entity to the online table.
    ///
    /// A row whose key sorts after everything stored (the first load of a view, or rows for
    /// new entities) can neither match nor replace anything: it is appended without a lookup,
    /// which is LMDB's fastest write. The others go through a cursor kept near them: the batch
    /// is sorted, so LMDB usually finds the next key on the page it is already on.
    mutating func write(_ batch: borrowing RowBatch, _ txn: borrowing WriteTransaction) throws {
        precondition(batch.snapshot == snapshot, "the batch belongs to another run")
        let entries = batch.entries
        guard !entries.isEmpty else { return }
        let environment = environment
        let onlineTable = OnlineTable(database: databases.online)
        try txn.withCursor(on: databases.history) { history in
            try txn.withCursor(on: onlineTable.database) { online in
                try batch.withArena { arena in
                    var historyEnd = EndOfDatabase(try history.last()?.key)
                    var onlineEnd = EndOfDatabase(try online.last()?.key)
                    var frontier = EntityFrontier()
                    for (position, entry) in entries.enumerated() {
                        if position % 16_384 == 16_383 { environment.releaseResidentPages() }
                        if entry.eventTime > newestEventTime ?? .min { newestEventTime = entry.eventTime }
                        let (key, prefix, entity, row) = entry.bytes(in: arena)
                        if position == 0 || !sameEntity(entries[position - 1], entry, arena) {
                            try frontier.find(entity, in: history, unlessAfter: historyEnd)
                        }
                        // Lines with the same key sort together, in input order: the last one wins,
                        // and only it is compared with what is stored, so a re-run finds it unchanged.
                        if position + 1 < entries.count, entries[position + 1].leadingBytes == entry.leadingBytes,
                           equalBytes(entries[position + 1].bytes(in: arena).prefix, prefix) {
                            continue
                        }
                        try writeHistory(key: key, prefix: prefix, row: row, cursor: history, end: &historyEnd,
                                         isNewKey: frontier.isBefore(prefix))
                        let lastOfEntity = position + 1 == entries.count || !sameEntity(entry, entries[position + 1], arena)
                        guard keepsOnline, lastOfEntity else { continue }
                        let offer = try onlineTable.offer(
                            entity: entity, eventTime: entry.eventTime, createdTime: entry.createdTime, row: row,
                            snapshot: snapshot, cursor: online, end: &onlineEnd)
                        if case .written(counted: true) = offer { onlineRowsUpdated += 1 }
                    }
                }
            }
        }
        environment.releaseResidentPages()
    }

    /// Whether two entries are rows of one entity: the keys' first 8 bytes settle it without a
    /// memcmp call whenever they are all entity key (an int64 key, a long string key).
    @inline(__always)
    private func sameEntity(_ a: RowBatch.Entry, _ b: RowBatch.Entry, _ arena: UnsafeRawBufferPointer) -> Bool {
        if a.entityLength >= 8, a.leadingBytes != b.leadingBytes { return false }
        return equalBytes(a.bytes(in: arena).entity, b.bytes(in: arena).entity)
    }

    /// `key` is `prefix` ‖ this run's snapshot. `isNewKey`: no stored key starts with `prefix`
    /// (it sorts after the entity's last stored row), so there is no version to compare with.
    private mutating func writeHistory(
        key: UnsafeRawBufferPointer, prefix: UnsafeRawBufferPointer, row: UnsafeRawBufferPointer,
        cursor: borrowing Cursor, end: inout EndOfDatabase, isNewKey: Bool
    ) throws {
        if end.isBefore(prefix) {
            try cursor.put(row, for: key, options: .append)
            end.moveTo(key)
            rowsWritten += 1
            return
        }
        if isNewKey {
            // A daily run's rows for a known entity: after its stored history, in the middle of
            // the tree. Written without looking for a version of the key, which cannot exist.
            try cursor.put(row, for: key)
            end.moveIfAfter(key)
            rowsWritten += 1
            return
        }
        // The newest stored version of this (entity, event, created): the last key <= prefix ‖ FF….
        let latest = try withUnsafeTemporaryAllocation(byteCount: key.count, alignment: 1) { search -> (snapshot: UInt64, sameValue: Bool)? in
            search.copyMemory(from: prefix)
            HistoryKey.storeSnapshot(.max, into: search)
            guard let found = try cursor.seek(atMost: UnsafeRawBufferPointer(search)), found.key.count == key.count,
                  equalBytes(HistoryKey.withoutSnapshot(found.key), prefix) else { return nil }
            return (HistoryKey.snapshot(found.key), equalBytes(found.value, row))
        }
        if let latest, latest.sameValue {
            // Unchanged since an earlier run; a repeat of a line this run already wrote (in an
            // earlier batch) counts as nothing, as it does within a batch.
            if latest.snapshot != snapshot { rowsUnchanged += 1 }
            return
        }
        try cursor.put(row, for: key)
        // A row for the same key in an earlier batch of this run is replaced: the later line
        // wins. (Were that earlier row the stored value, the run leaves a redundant version.)
        if latest?.snapshot != snapshot { rowsWritten += 1 }
        end.moveIfAfter(key)
    }
}

/// The last key of a database while a batch is written, so that each row can tell whether it
/// sorts after everything stored: a copy of the key stored last before the batch, then the last
/// key the batch appended (which lives in the batch, and so outlives this value).
struct EndOfDatabase: ~Copyable {
    private let stored: UnsafeMutableRawBufferPointer?
    private var last: UnsafeRawBufferPointer?

    init(_ key: UnsafeRawBufferPointer?) {
        if let key {
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: key.count, alignment: 1)
            copy.copyMemory(from: key)
            stored = copy
            last = UnsafeRawBufferPointer(copy)
        } else {
            stored = nil
            last = nil
        }
    }

    deinit { stored?.deallocate() }

    /// Whether every stored key sorts before `prefix` and does not start with it: then no stored
    /// key shares the prefix, and any key starting with it can be appended.
    func isBefore(_ prefix: UnsafeRawBufferPointer) -> Bool {
        guard let last else { return true }
        return compareBytes(prefix, last) > 0
    }

    /// `key` is now the last key; it must stay valid while this value is used.
    mutating func moveTo(_ key: UnsafeRawBufferPointer) {
        last = key
    }

    /// After a write that was not an append: the key is the new last one if it sorts after it.
    mutating func moveIfAfter(_ key: UnsafeRawBufferPointer) {
        if isBefore(key) { last = key }
    }
}

/// The last stored history key of the entity being written (without its snapshot), found with
/// one lookup per entity per batch: rows of the entity that sort after it need no lookup of
/// their own, which is most rows of a daily run into a long history.
struct EntityFrontier: ~Copyable {
    private var last = GrowableBytes(capacity: 64)
    /// No stored row of the entity: every key of it is new.
    private var isEmpty = true

    /// Looks up the last stored key of `entity` (none when the whole entity sorts after `end`).
    mutating func find(_ entity: UnsafeRawBufferPointer, in history: borrowing Cursor, unlessAfter end: borrowing EndOfDatabase) throws {
        isEmpty = true
        last.removeAll()
        if end.isBefore(entity) { return }
        let search = HistoryKey.make(entity: Array(entity), eventTime: .max, createdTime: .max, snapshot: .max)
        guard let found = try search.withUnsafeBytes({ try history.seek(atMost: $0) }),
              HistoryKey.belongs(found.key, to: entity) else { return }
        last.append(HistoryKey.withoutSnapshot(found.key))
        isEmpty = false
    }

    /// Whether `prefix` (entity, event time, created time) sorts after every stored key of the
    /// entity, so that no stored key starts with it.
    func isBefore(_ prefix: UnsafeRawBufferPointer) -> Bool {
        isEmpty || last.withBytes { compareBytes(prefix, $0) > 0 }
    }
}
