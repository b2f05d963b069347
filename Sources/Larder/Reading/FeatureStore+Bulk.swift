import LMDBKit

extension FeatureStore {
    /// Calls `body` with every entity of `view` and its row, streaming through the table in key
    /// order, for batch scorers.
    ///
    /// Without `asOfSnapshot`, the online rows; with it, each entity's row as a latest lookup saw
    /// it right after that snapshot committed (taken from history), so a scoring run can be
    /// repeated exactly. One read transaction: every row comes from the same committed state.
    public func forEachOnlineRow(
        of view: String,
        features: [String]? = nil,
        asOfSnapshot: UInt64? = nil,
        _ body: (_ entity: [EntityKeyValue], _ row: FeatureRowView) throws -> Void
    ) throws {
        try withSession { session in
            let view = try PreparedView(name: view, features: features, registry: session.registry, databases: session.databases)
            try session.requireSnapshot(asOfSnapshot)
            if let snapshot = asOfSnapshot {
                try session.forEachHistoryLatest(view, asOfSnapshot: min(snapshot, session.visibleSnapshot), body)
                return
            }
            let visible = session.visibleSnapshot
            try session.withCursor(on: view.plan.databases.online) { cursor in
                try cursor.forEach(prefix: []) { entry in
                    guard let record = OnlineRecord.visible(entry.value, upTo: visible), let row = RowView(OnlineRecord.row(record)),
                          let entity = KeyEncoding.decode(entry.key, types: view.plan.keyTypes) else { return true }
                    try body(entity, FeatureRowView(
                        eventTime: OnlineRecord.eventTime(record), createdTime: OnlineRecord.createdTime(record),
                        snapshot: OnlineRecord.snapshot(record), row: row, plan: view.plan))
                    return true
                }
            }
        }
    }
}

extension ReadSession {
    /// For each entity, the history row with the largest (event, created, snapshot) among those
    /// written by snapshots up to `snapshot`: one forward pass, one row held at a time.
    fileprivate func forEachHistoryLatest(_ view: PreparedView, asOfSnapshot snapshot: UInt64, _ body: ([EntityKeyValue], FeatureRowView) throws -> Void) throws {
        try withCursor(on: view.plan.databases.history) { cursor in
            var entry = try cursor.first()
            while let first = entry {
                guard let length = KeyEncoding.entityKeyLength(first.key, types: view.plan.keyTypes) else {
                    entry = try cursor.next()
                    continue
                }
                let entity = Array(first.key[..<length])
                var best: CursorEntry?
                var current: CursorEntry? = first
                while let row = current, row.key.count == HistoryKey.length(entityLength: length), row.key.starts(with: entity) {
                    if HistoryKey.snapshot(row.key) <= snapshot { best = row }
                    current = try cursor.next()
                }
                if let best, let row = RowView(best.value), let values = KeyEncoding.decode(best.key, types: view.plan.keyTypes) {
                    // `best` points into the map and stays valid: no write happens in a read.
                    try body(values, FeatureRowView(
                        eventTime: HistoryKey.eventTime(best.key), createdTime: HistoryKey.createdTime(best.key),
                        snapshot: HistoryKey.snapshot(best.key), row: row, plan: view.plan))
                }
                entry = current
            }
        }
    }
}

extension FeatureStore {
    @available(*, deprecated, renamed: "forEachOnlineRow(of:features:asOfSnapshot:_:)")
    public func forEachOnlineRow(
        of view: String, features: [String]? = nil, atSnapshot: UInt64?,
        _ body: (_ entity: [EntityKeyValue], _ row: FeatureRowView) throws -> Void
    ) throws {
        try forEachOnlineRow(of: view, features: features, asOfSnapshot: atSnapshot, body)
    }
}
