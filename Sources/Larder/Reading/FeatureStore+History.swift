import LMDBKit

extension FeatureStore {
    /// Calls `body` with every history row of `view` whose event time lies in `[start, end)`,
    /// in key order (entity, then event time), without holding them all in memory.
    ///
    /// With `asOfSnapshot`, rows written by later snapshots are left out: the history exactly as
    /// it stood when that snapshot committed. Rows are decoded with the schema they were written
    /// with; features added since read as null.
    public func forEachHistoryRow(
        of view: String,
        from start: Timestamp = Timestamp(microseconds: .min),
        to end: Timestamp = Timestamp(microseconds: .max),
        asOfSnapshot: UInt64? = nil,
        _ body: (HistoryRow) throws -> Void
    ) throws {
        try readWithContext { txn, context, visible in
            let layout = try context.registry.layout(of: view)
            guard let databases = context.databases[layout.record.id] else { return }
            try SnapshotStorage.requireVisible(asOfSnapshot, visible: visible, in: snapshotsDatabase, txn)
            let maxSnapshot = min(asOfSnapshot ?? .max, visible)
            let keyTypes = layout.record.keyTypes
            try txn.withCursor(on: databases.history) { cursor in
                try cursor.forEach(prefix: []) { entry in
                    guard let entityLength = KeyEncoding.entityKeyLength(entry.key, types: keyTypes),
                          entry.key.count == HistoryKey.length(entityLength: entityLength) else { return true }
                    let eventTime = HistoryKey.eventTime(entry.key)
                    let createdTime = HistoryKey.createdTime(entry.key)
                    let snapshot = HistoryKey.snapshot(entry.key)
                    guard eventTime >= start.microseconds, eventTime < end.microseconds,
                          snapshot <= maxSnapshot, let row = RowView(entry.value),
                          let entity = KeyEncoding.decode(entry.key, types: keyTypes) else { return true }
                    try body(HistoryRow(
                        entity: entity, eventTime: Timestamp(microseconds: eventTime),
                        createdTime: createdTime == .min ? nil : Timestamp(microseconds: createdTime),
                        snapshot: snapshot, values: layout.values(of: row)))
                    return true
                }
            }
        }
    }

    /// Every history row of `view` in `[start, end)`, collected; see ``forEachHistoryRow(of:from:to:asOfSnapshot:_:)``.
    public func historyRows(
        of view: String,
        from start: Timestamp = Timestamp(microseconds: .min),
        to end: Timestamp = Timestamp(microseconds: .max),
        asOfSnapshot: UInt64? = nil
    ) throws -> [HistoryRow] {
        var rows: [HistoryRow] = []
        try forEachHistoryRow(of: view, from: start, to: end, asOfSnapshot: asOfSnapshot) { rows.append($0) }
        return rows
    }
}

extension Registry {
    /// The layout of a view, or an error naming the known views.
    func layout(of view: String) throws -> ViewLayout {
        guard let record = views[view]?.spec else {
            throw LarderError.unknownView(name: view, known: Array(views.keys))
        }
        return ViewLayout(record)
    }
}

extension FeatureStore {
    /// Calls `body` with every history row in `[start, end)` of each view a feature service
    /// reads, view by view (rows carry all of their view's features).
    public func forEachHistoryRow(
        ofService service: String,
        from start: Timestamp = Timestamp(microseconds: .min),
        to end: Timestamp = Timestamp(microseconds: .max),
        asOfSnapshot: UInt64? = nil,
        _ body: (_ view: String, _ row: HistoryRow) throws -> Void
    ) throws {
        let references = try FeatureRequest.references(ofService: service, in: try registry)
        var views: [String] = []
        for reference in references where !views.contains(reference.view) { views.append(reference.view) }
        for view in views {
            try forEachHistoryRow(of: view, from: start, to: end, asOfSnapshot: asOfSnapshot) { try body(view, $0) }
        }
    }
}
