import LMDBKit

/// The LMDB databases of one feature view.
struct ViewDatabases: Sendable {
    /// Key: entity key ‖ event time ‖ created time; value: snapshot id ‖ encoded row.
    let history: Database
    /// Key: entity key; value: event time, created time, snapshot id, encoded row.
    let online: Database
}

extension FeatureStore {
    /// Runs `body` in a read transaction with the registry it sees and the handles of every
    /// view's databases.
    ///
    /// LMDB cannot use a database handle opened after a transaction began, so handles are
    /// taken from a snapshot made before it; when the registry names a view this process has
    /// not opened yet, the transaction ends, the handles are opened, and `body` runs afresh.
    func read<R>(_ body: (borrowing ReadTransaction, Registry, [UInt32: ViewDatabases]) throws -> R) throws -> R {
        while true {
            let handles = viewDatabases.withLock { $0 }
            let outcome: ReadOutcome<R> = try environment.read { txn in
                let registry = try registry(in: txn)
                let missing = registry.views.values.map(\.spec).filter { handles[$0.id] == nil }
                guard missing.isEmpty else { return .needsHandles(missing) }
                return .done(try body(txn, registry, handles))
            }
            switch outcome {
            case .done(let result): return result
            case .needsHandles(let records): try openDatabases(of: records)
            }
        }
    }

    /// Opens the databases of `records` outside any transaction and remembers them.
    func openDatabases(of records: [ViewRecord]) throws {
        for record in records {
            guard let history = try environment.database(named: record.historyDatabaseName),
                  let online = try environment.database(named: record.onlineDatabaseName) else {
                throw LarderError.unknown("view \(record.definition.name): its databases are missing from \(path); the store is damaged")
            }
            let databases = ViewDatabases(history: history, online: online)
            viewDatabases.withLock { $0[record.id] = databases }
        }
    }

    /// The databases of `record` inside the write transaction, created if new.
    func databases(of record: ViewRecord, in txn: borrowing WriteTransaction) throws -> ViewDatabases {
        ViewDatabases(
            history: try txn.createDatabase(named: record.historyDatabaseName),
            online: try txn.createDatabase(named: record.onlineDatabaseName))
    }
}

private enum ReadOutcome<R> {
    case done(R)
    case needsHandles([ViewRecord])
}
