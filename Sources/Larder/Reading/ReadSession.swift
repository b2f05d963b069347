import LMDBKit

/// One consistent read of the store, for online lookups and reads as of a time or snapshot, lent by ``FeatureStore/withSession(_:)``.
///
/// Every lookup in a session sees the same committed state, so a request that reads several
/// views sees them from the same snapshot. Sessions are cheap (a pooled read transaction is
/// renewed), but keep them short: a long one pins old pages.
public struct ReadSession: ReadableTransactionProtocol, ~Copyable {
    public let handle: TransactionHandle
    @usableFromInline let context: ReadContext
    /// Rows of snapshots above this one belong to a run still in progress: not seen.
    @usableFromInline let visibleSnapshot: UInt64
    /// The store's snapshot records, to refuse reads as of a snapshot that does not exist.
    let snapshots: Database

    var registry: Registry { context.registry }
    var databases: [UInt32: ViewDatabases] { context.databases }

    /// The registry version this session reads with.
    public var registryVersion: UInt64 { context.registry.version }

    /// `view` as of this session's registry: itself, or resolved again after an apply.
    @inlinable
    func current(_ view: PreparedView) throws -> PreparedView {
        if view.plan.registryVersion == context.registry.version { return view }
        return try resolve(view)
    }

    @usableFromInline
    func resolve(_ view: PreparedView) throws -> PreparedView {
        try PreparedView(name: view.name, features: view.features.map(\.name), registry: registry, databases: databases)
    }

    // MARK: Latest (the hot path: one B-tree lookup)

    /// Lends the online row of the entity with int64 key `key` to `body`, without copying or
    /// allocating; `nil` when the entity has no row. The ttl is not applied: see
    /// ``FeatureRowView/isOutsideMaxAge(at:)``.
    ///
    /// Inlinable, with what it calls, because it is the hot path: the benchmark showed the
    /// cross-module generic call costing more than the B-tree lookup.
    @inlinable
    public func withRow<R>(_ view: PreparedView, key: Int64, _ body: (FeatureRowView) throws -> R) throws -> R? {
        let view = try current(view)
        var encoded = KeyEncoding.int64Key(key)
        return try withUnsafeBytes(of: &encoded) { try withCurrentRow(view, encodedKey: $0, body) }
    }

    /// Lends the online row of the entity with the given join-key values (several for a
    /// composite key, in the view's entity order).
    public func withRow<R>(_ view: PreparedView, key: [EntityKeyValue], _ body: (FeatureRowView) throws -> R) throws -> R? {
        let view = try current(view)
        try check(key, for: view)
        guard KeyEncoding.fits(key) else { return nil }
        return try KeyEncoding.encode(key).withUnsafeBytes { try withCurrentRow(view, encodedKey: $0, body) }
    }

    /// The lookup itself, for a view already checked against this session's registry.
    @inlinable
    func withCurrentRow<R>(_ view: PreparedView, encodedKey: UnsafeRawBufferPointer, _ body: (FeatureRowView) throws -> R) throws -> R? {
        let plan = view.plan
        let visible = visibleSnapshot
        return try withValue(for: encodedKey, in: plan.databases.online) { bytes -> R? in
            guard let record = OnlineRecord.visible(bytes, upTo: visible), let row = RowView(OnlineRecord.row(record)) else { return nil }
            return try body(FeatureRowView(
                eventTime: OnlineRecord.eventTime(record), createdTime: OnlineRecord.createdTime(record),
                snapshot: OnlineRecord.snapshot(record), row: row, plan: plan))
        } ?? nil
    }

    // MARK: Point in time and snapshots (one cursor seek in history)

    /// Lends the history row that was current for the entity at `asOf` (the newest with event
    /// time `<=` it; ties on event time go to the later created time, then the later
    /// snapshot), considering only rows written by snapshots up to `asOfSnapshot` when given.
    ///
    /// With `asOfSnapshot` alone this is what a latest lookup returned right after that snapshot
    /// committed, even after later runs.
    public func withRow<R>(
        _ view: PreparedView,
        key: [EntityKeyValue],
        asOf: Timestamp? = nil,
        asOfSnapshot: UInt64? = nil,
        _ body: (FeatureRowView) throws -> R
    ) throws -> R? {
        try requireSnapshot(asOfSnapshot)
        return try withHistoryRow(view, key: key, asOf: asOf, asOfSnapshot: asOfSnapshot, body)
    }

    /// `withRow(_:key:asOf:asOfSnapshot:_:)` for a snapshot id already checked (once per
    /// request, not once per lookup).
    func withHistoryRow<R>(
        _ view: PreparedView, key: [EntityKeyValue], asOf: Timestamp?, asOfSnapshot: UInt64?, _ body: (FeatureRowView) throws -> R
    ) throws -> R? {
        let view = try current(view)
        try check(key, for: view)
        guard KeyEncoding.fits(key) else { return nil }
        let entity = KeyEncoding.encode(key)
        let time = asOf?.microseconds ?? .max
        let maxSnapshot = min(asOfSnapshot ?? .max, visibleSnapshot)
        var search = HistoryKey.make(entity: entity, eventTime: time, createdTime: .max, snapshot: .max)
        let plan = view.plan
        return try withCursor(on: plan.databases.history) { cursor -> R? in
            var entry = try search.withUnsafeBytes { try cursor.seek(atMost: $0) }
            while let current = entry, current.key.count == HistoryKey.length(entityLength: entity.count),
                  current.key.starts(with: entity) {
                let snapshot = HistoryKey.snapshot(current.key)
                if snapshot <= maxSnapshot, let row = RowView(current.value) {
                    return try body(FeatureRowView(
                        eventTime: HistoryKey.eventTime(current.key), createdTime: HistoryKey.createdTime(current.key),
                        snapshot: snapshot, row: row, plan: plan))
                }
                entry = try cursor.previous()
            }
            search.removeAll()
            return nil
        }
    }

    @available(*, deprecated, renamed: "withRow(_:key:asOf:asOfSnapshot:_:)")
    public func withRow<R>(
        _ view: PreparedView, key: [EntityKeyValue], asOf: Timestamp? = nil, atSnapshot: UInt64?, _ body: (FeatureRowView) throws -> R
    ) throws -> R? {
        try withRow(view, key: key, asOf: asOf, asOfSnapshot: atSnapshot, body)
    }

    /// Refuses a snapshot id this session cannot see (nil and 0 pass).
    func requireSnapshot(_ id: UInt64?) throws {
        try SnapshotStorage.requireVisible(id, visible: visibleSnapshot, in: snapshots, self)
    }

    private func check(_ key: [EntityKeyValue], for view: PreparedView) throws {
        guard key.map(\.keyType) == view.plan.keyTypes else {
            throw LarderError.keyTypeMismatch(view: view.name, expected: view.plan.keyTypes.map(\.rawValue), found: key.map { "\($0.keyType.rawValue) \($0)" })
        }
    }
}

extension FeatureStore {
    /// Runs `body` with an ``ReadSession``: one consistent view of the store for lookups.
    public func withSession<R>(_ body: (borrowing ReadSession) throws -> R) throws -> R {
        try readWithContext { txn, context, visible in
            let session = ReadSession(handle: txn.handle, context: context, visibleSnapshot: visible, snapshots: snapshotsDatabase)
            return try body(session)
        }
    }
}
