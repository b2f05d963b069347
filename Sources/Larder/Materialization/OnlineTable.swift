import LMDBKit

/// A view's online table: one `OnlineRecord` per entity, holding its newest row and, while a
/// run is pending, the record that row replaced. The only code that writes online records.
struct OnlineTable {
    let database: Database

    /// What offering a row did.
    enum Offer {
        /// The stored row is as new or newer: nothing written.
        case kept
        /// Written; `counted` when it is the first time this run wrote the entity's record.
        case written(counted: Bool)
    }

    /// Replaces the entity's record when `row` is newer: a later event time, then a later
    /// created time, then (same times, different value) the later snapshot, which is this one.
    ///
    /// The replaced record is kept after the new one, so readers keep seeing it until this run's
    /// snapshot becomes visible; a record this run wrote in an earlier batch keeps the previous
    /// it already had. `cursor` is on this table and `end` is its last key (see `EndOfDatabase`).
    func offer(
        entity: UnsafeRawBufferPointer, eventTime: Int64, createdTime: Int64, row: UnsafeRawBufferPointer,
        snapshot: UInt64, cursor: borrowing Cursor, end: inout EndOfDatabase
    ) throws -> Offer {
        let isNew = end.isBefore(entity)
        // The record is built while the stored one is still readable: it may keep a copy.
        let stored = isNew ? nil : try cursor.seek(exactly: entity)?.value
        var previous: UnsafeRawBufferPointer?
        var writtenBefore = false
        if let stored, stored.count >= OnlineRecord.headerLength {
            writtenBefore = OnlineRecord.snapshot(stored) == snapshot
            let storedTimes = (OnlineRecord.eventTime(stored), OnlineRecord.createdTime(stored))
            let newer = (eventTime, createdTime) != storedTimes
                ? (eventTime, createdTime) > storedTimes
                : !equalBytes(OnlineRecord.row(stored), row)
            guard newer else { return .kept }
            previous = writtenBefore ? OnlineRecord.previous(stored) : OnlineRecord.withoutPrevious(stored)
        }
        try withUnsafeTemporaryAllocation(byteCount: OnlineRecord.length(row: row, previous: previous), alignment: 8) { record in
            OnlineRecord.write(eventTime: eventTime, createdTime: createdTime, snapshot: snapshot, row: row, previous: previous, into: record)
            try cursor.put(UnsafeRawBufferPointer(record), for: entity, options: isNew ? .append : [])
        }
        if isNew { end.moveTo(entity) }
        return .written(counted: !writtenBefore)
    }

    /// Empties the table: the view went offline, was deleted, or its key changed.
    func clear(_ txn: borrowing WriteTransaction) throws {
        try txn.clear(database)
    }

    /// Undoes run `snapshot`: each record it wrote is replaced by the one it had replaced, or
    /// removed when the entity had none.
    func restore(replacedBy snapshot: UInt64, _ txn: borrowing WriteTransaction) throws {
        try scanInBatches(database, txn) { entry -> (key: [UInt8], previous: [UInt8]?)? in
            guard entry.value.count >= OnlineRecord.headerLength, OnlineRecord.snapshot(entry.value) == snapshot else { return nil }
            return (Array(entry.key), OnlineRecord.previous(entry.value).map { Array($0) })
        } apply: { change in
            if let previous = change.previous {
                try txn.put(previous, for: change.key, in: database)
            } else {
                try txn.delete(change.key, in: database)
            }
        }
    }

    /// Fills the table from `history` (which it replaces): for each entity, its newest row
    /// written by a snapshot up to `visible` — the last such key of the entity, as
    /// materialization keeps it: latest event time, then created time, then run. One pass over
    /// the history, in key order; `releasePages` runs every few thousand rows, so the history
    /// pages read so far can leave the process.
    func rebuild(from history: Database, visible: UInt64, _ txn: borrowing WriteTransaction, releasePages: () -> Void) throws {
        try clear(txn)
        var entity: [UInt8] = []
        var record: [UInt8] = []
        try txn.withCursor(on: history) { cursor in
            // The newest visible row of the entity being read.
            var newest: CursorEntry?
            var entry = try cursor.first()
            var read = 0
            while true {
                if let kept = newest, entry.map({ !HistoryKey.sameEntity(kept.key, $0.key) }) ?? true {
                    // Copied out before the write, which may move what reads returned.
                    entity.removeAll(keepingCapacity: true)
                    entity.append(contentsOf: kept.key[..<HistoryKey.entityLength(kept.key)])
                    record.removeAll(keepingCapacity: true)
                    record.append(contentsOf: repeatElement(0, count: OnlineRecord.length(row: kept.value, previous: nil)))
                    record.withUnsafeMutableBytes { buffer in
                        OnlineRecord.write(
                            eventTime: HistoryKey.eventTime(kept.key), createdTime: HistoryKey.createdTime(kept.key),
                            snapshot: HistoryKey.snapshot(kept.key), row: kept.value, previous: nil, into: buffer)
                    }
                    try txn.put(record, for: entity, in: database, options: .append)
                    newest = nil
                    if entry != nil { entry = try cursor.current() }
                }
                guard let current = entry else { return }
                read += 1
                if read % 16_384 == 0 { releasePages() }
                if current.key.count >= HistoryKey.suffixLength, HistoryKey.snapshot(current.key) <= visible {
                    newest = current
                }
                entry = try cursor.next()
            }
        }
    }
}
