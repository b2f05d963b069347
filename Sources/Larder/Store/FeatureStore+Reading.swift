import LMDBKit

/// The LMDB databases of one feature view.
@usableFromInline
struct ViewDatabases: Sendable {
    /// Key: entity key ‖ event time ‖ created time ‖ snapshot id; value: encoded row.
    @usableFromInline let history: Database
    /// Key: entity key; value: event time, created time, snapshot id, encoded row.
    @usableFromInline let online: Database
}

extension FeatureStore {
    /// Runs `body` in a read transaction with the registry it sees and the handles of every
    /// view's databases.
    func read<R>(_ body: (borrowing ReadTransaction, Registry, [UInt32: ViewDatabases]) throws -> R) throws -> R {
        try readWithContext { txn, context, _ in try body(txn, context.registry, context.databases) }
    }

    /// Runs `body` in a read transaction with a ``ReadContext`` that matches it.
    ///
    /// LMDB cannot use a database handle opened after a transaction began, so a new context
    /// only uses handles known before it: the cached context's, or a snapshot taken before the
    /// transaction once some were missing. When the registry names a view this process has not
    /// opened yet, the transaction ends, the handles are opened, and `body` runs afresh. A read
    /// whose transaction the cached context was already checked in touches neither.
    ///
    /// `body` also gets the highest snapshot whose rows are visible: a materialization commits
    /// in several transactions, and its rows stay invisible until its last one.
    @inline(__always)
    func readWithContext<R>(_ body: (borrowing ReadTransaction, ReadContext, UInt64) throws -> R) throws -> R {
        var failedOpening: [UInt32]?
        var opened: [UInt32: ViewDatabases]?  // taken before the transaction, after opening some
        // The result is moved out of the transaction's closure rather than returned in an enum:
        // a lookup's answer is then never copied (each copy is a retain and a release per field).
        var result: R?
        while true {
            let cached = readContext.withLock { $0 }
            let handles = opened
            let missing: [ViewRecord]? = try environment.read { txn in
                let id = txn.id
                if let cached, let visible = cached.visibleSnapshot(ifCheckedIn: id) {
                    result = try body(txn, cached, visible)
                    return nil
                }
                switch try context(for: txn, cached: cached, handles: handles ?? cached?.databases ?? [:]) {
                case .ready(let context):
                    let visible = try StoreMeta.visibleSnapshot(in: meta, txn)
                    context.markChecked(in: id, visibleSnapshot: visible)
                    result = try body(txn, context, visible)
                    return nil
                case .needsHandles(let records):
                    return records
                }
            }
            guard let records = missing else { return result.take()! }
            // A view deleted meanwhile has no databases any more: read again with the new
            // registry. Databases missing twice for the same registry mean real damage.
            if !(try openDatabases(of: records)) {
                if failedOpening == records.map(\.id) {
                    throw LarderError.damagedStore(path: path, reason: "view \(records[0].definition.name): its databases are missing")
                }
                failedOpening = records.map(\.id)
            }
            opened = viewDatabases.withLock { $0 }
        }
    }

    /// The context for `txn`: the cached one if its registry version is the one `txn` sees,
    /// else a new one (cached when it is the newest).
    private func context(for txn: borrowing ReadTransaction, cached: ReadContext?, handles: [UInt32: ViewDatabases]) throws -> ContextOutcome {
        let version = try StoreMeta.requiredUInt64(StoreMeta.registryVersionKey, in: meta, txn)
        if let cached, cached.registry.version == version, cached.databases.count == handles.count { return .ready(cached) }
        let registry = try registry(in: txn)
        let missing = registry.views.values.map(\.spec).filter { handles[$0.id] == nil }
        guard missing.isEmpty else { return .needsHandles(missing) }
        let context = ReadContext(registry: registry, databases: handles)
        readContext.withLock { current in
            if current == nil || current!.registry.version <= version { current = context }
        }
        return .ready(context)
    }

    /// Opens the databases of `records` outside any transaction and remembers them; false if
    /// some were not there.
    func openDatabases(of records: [ViewRecord]) throws -> Bool {
        var all = true
        for record in records {
            guard let history = try environment.database(named: record.historyDatabaseName),
                  let online = try environment.database(named: record.onlineDatabaseName) else {
                all = false
                continue
            }
            let databases = ViewDatabases(history: history, online: online)
            viewDatabases.withLock { $0[record.id] = databases }
        }
        return all
    }

    /// The databases of `record` inside the write transaction, created if new.
    func databases(of record: ViewRecord, in txn: borrowing WriteTransaction) throws -> ViewDatabases {
        ViewDatabases(
            history: try txn.createDatabase(named: record.historyDatabaseName),
            online: try txn.createDatabase(named: record.onlineDatabaseName))
    }
}

private enum ContextOutcome {
    case ready(ReadContext)
    case needsHandles([ViewRecord])
}
