import LMDBKit

extension FeatureStore {
    /// Deletes history rows whose event time is older than `retention` before `now`, in `views`
    /// (every view when `nil`). Online rows stay.
    ///
    /// For each entity the newest rows before the cutoff are kept, so a point-in-time join or
    /// `asOf` lookup at any time after the cutoff answers exactly as before; only answers for
    /// times before the cutoff change. Returns the number of rows deleted. One atomic commit.
    /// - Throws: ``LarderError/invalidArgument(name:reason:)`` for a negative retention or one
    ///   past 2^63 µs (a cutoff before the beginning of time deletes nothing).
    @discardableResult
    public func expireHistory(olderThan retention: Duration, in views: [String]? = nil, now: Timestamp = .now) throws -> Int {
        guard retention >= .zero, retention.exactMicroseconds != nil else {
            throw LarderError.invalidArgument(name: "olderThan", reason: "retention \(retention) is \(retention < .zero ? "negative" : "too large (at most 106751991d)")")
        }
        let cutoff = (now - retention).microseconds
        return try environment.write { txn in
            // Rows a dead run left behind must not count as history: remove them first.
            try PendingRun.recoverAbandoned(store: self, txn)
            let registry = try registry(in: txn)
            let records = try (views ?? registry.views.keys.sorted()).map { try registry.layout(of: $0).record }
            var deleted = 0
            for record in records {
                let history = try databases(of: record, in: txn).history
                var resume: [UInt8]? = []
                while let start = resume {
                    // Collect a bounded batch of keys, then delete them outside the scan.
                    let (doomed, next) = try expiredKeys(in: history, from: start, cutoff: cutoff, keyTypes: record.keyTypes, limit: 65_536, txn)
                    for key in doomed { try txn.delete(key, in: history) }
                    deleted += doomed.count
                    resume = next
                }
            }
            return deleted
        }
    }

    /// Keys to delete from `start` on, and where to resume (`nil` at the end). A batch always
    /// ends at an entity boundary, so "the newest group before the cutoff" is judged whole.
    private func expiredKeys(
        in history: Database, from start: [UInt8], cutoff: Int64, keyTypes: [Entity.KeyType], limit: Int,
        _ txn: borrowing WriteTransaction
    ) throws -> ([[UInt8]], [UInt8]?) {
        try txn.withCursor(on: history) { cursor in
            var doomed: [[UInt8]] = []
            var entity: [UInt8] = []
            var oldRows: [[UInt8]] = []
            func settle() {
                // Keep the newest (event, created) group before the cutoff; the rest goes.
                guard let newest = oldRows.last else { return }
                // Rows of the same (entity, event time, created time) differ only in their snapshot.
                let kept = newest.withUnsafeBytes { Array(HistoryKey.withoutSnapshot($0)) }
                doomed += oldRows.filter { !$0.starts(with: kept) }
                oldRows.removeAll()
            }
            var entry = try start.isEmpty ? cursor.first() : start.withUnsafeBytes { try cursor.seek(atLeast: $0) }
            while let current = entry {
                guard let length = KeyEncoding.entityKeyLength(current.key, types: keyTypes),
                      current.key.count == HistoryKey.length(entityLength: length) else {
                    entry = try cursor.next()
                    continue
                }
                if !current.key[..<length].elementsEqual(entity) {
                    settle()
                    if doomed.count >= limit { return (doomed, Array(current.key)) }
                    entity = Array(current.key[..<length])
                }
                if HistoryKey.eventTime(current.key) < cutoff { oldRows.append(Array(current.key)) }
                entry = try cursor.next()
            }
            settle()
            return (doomed, nil)
        }
    }
}
