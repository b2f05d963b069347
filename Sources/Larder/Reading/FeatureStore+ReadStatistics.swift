extension FeatureStore {
    /// The statistics of `view`'s history rows whose event time lies in `[start, end)`, computed
    /// now from the stored rows (Docs/Monitoring.md): feature name → statistics. A row rewritten
    /// by a later run with a changed value counts once, with its newest value; with
    /// `asOfSnapshot`, the history as that snapshot left it.
    /// - Throws: ``LarderError/unknownView(name:reference:known:)``, or
    ///   ``LarderError/unknownSnapshot(id:latest:)`` for a snapshot no reader can see.
    public func statistics(of view: String, from start: Timestamp, to end: Timestamp, asOfSnapshot: UInt64? = nil) throws -> [String: FeatureStatistics] {
        let features = try registry.layout(of: view).features.map(\.name)
        var statistics = Array(repeating: FeatureStatistics(), count: features.count)
        var pending: HistoryRow?
        func count(_ row: HistoryRow) {
            for (index, value) in row.values.enumerated() where index < statistics.count { statistics[index].add(value) }
        }
        try forEachHistoryRow(of: view, from: start, to: end, asOfSnapshot: asOfSnapshot) { row in
            // Versions of one (entity, event time, created time) come together, oldest first.
            if let previous = pending, previous.entity != row.entity || previous.eventTime != row.eventTime || previous.createdTime != row.createdTime {
                count(previous)
            }
            pending = row
        }
        if let pending { count(pending) }
        return Dictionary(uniqueKeysWithValues: zip(features, statistics))
    }
}

extension FeatureStore {
    /// The statistics of `view`'s online table as it is now — each entity's latest stored row,
    /// no ttl applied: what serving reads, for comparing with a training set's or a snapshot's
    /// statistics (training/serving skew).
    /// - Throws: ``LarderError/unknownView(name:reference:known:)``.
    public func onlineStatistics(of view: String) throws -> [String: FeatureStatistics] {
        let features = try registry.layout(of: view).features.map(\.name)
        var statistics = Array(repeating: FeatureStatistics(), count: features.count)
        try forEachOnlineRow(of: view) { _, row in
            for index in statistics.indices { statistics[index].add(row.value(index)) }
        }
        return Dictionary(uniqueKeysWithValues: zip(features, statistics))
    }
}
