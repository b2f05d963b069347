import LMDBKit

#if canImport(Glibc)
import Glibc
#endif

/// A materialization or push between its first and last commit, recorded in `meta` so readers,
/// other writers and the next run know about it: its snapshot id, the process running it (for
/// messages only: a PID means nothing in another PID namespace) and the views it writes.
///
/// The run holds the ``RunLock`` throughout, so a marker is abandoned exactly when the lock is free.
struct PendingRun {
    let snapshot: UInt64
    var process: Int32 = getpid()
    let views: [UInt32]

    func save(in meta: Database, _ txn: borrowing WriteTransaction) throws {
        try txn.put(PendingRunRecord.encode(snapshot: snapshot, process: process, views: views), for: StoreMeta.pendingRunKey, in: meta)
    }

    static func load(from meta: Database, _ txn: borrowing some ReadableTransaction) throws -> PendingRun? {
        try txn.withValue(for: StoreMeta.pendingRunKey, in: meta) { bytes -> PendingRun? in
            // A marker of another size is damage: taken for "no run", a dead run's rows would stay.
            guard let record = PendingRunRecord.decode(bytes) else {
                throw LarderError.damagedStore(path: txn.path, reason: "meta 'pending_run' has \(bytes.count) bytes, not 12 and 4 per view")
            }
            return PendingRun(snapshot: record.snapshot, process: record.process, views: record.views)
        } ?? nil
    }

    /// Refuses while another run is going; removes what a dead one left behind and returns it.
    /// A caller that holds the run lock itself passes it: then any marker is abandoned.
    @discardableResult
    static func recoverAbandoned(store: FeatureStore, _ txn: borrowing WriteTransaction, holding lock: RunLock? = nil) throws -> PendingRun? {
        guard let pending = try load(from: store.meta, txn) else { return nil }
        if lock == nil, try RunLock.isHeld(in: store.path) {
            throw LarderError.runInProgress(snapshot: pending.snapshot, process: pending.process)
        }
        try pending.rollBack(store: store, txn)
        return pending
    }

    /// Refuses while another run is going (a registry change or retention under a run in
    /// progress would change what its later batches write).
    static func checkNoneAlive(store: FeatureStore, _ txn: borrowing some ReadableTransaction) throws {
        if let pending = try load(from: store.meta, txn), try RunLock.isHeld(in: store.path) {
            throw LarderError.runInProgress(snapshot: pending.snapshot, process: pending.process)
        }
    }

    /// Deletes the history rows of this run's snapshot and puts back the online records it
    /// replaced, then forgets the run. Scans the views it wrote, in bounded batches.
    func rollBack(store: FeatureStore, _ txn: borrowing WriteTransaction) throws {
        let registry = try store.registry(in: txn)
        for stored in registry.views.values where views.contains(stored.spec.id) {
            let databases = try store.databases(of: stored.spec, in: txn)
            try removeHistory(databases.history, txn)
            try OnlineTable(database: databases.online).restore(replacedBy: snapshot, txn)
        }
        try txn.delete(StoreMeta.pendingRunKey, in: store.meta)
    }

    private func removeHistory(_ history: Database, _ txn: borrowing WriteTransaction) throws {
        let snapshot = self.snapshot
        try scanInBatches(history, txn) { entry -> [UInt8]? in
            entry.key.count >= HistoryKey.suffixLength && HistoryKey.snapshot(entry.key) == snapshot ? Array(entry.key) : nil
        } apply: { key in
            try txn.delete(key, in: history)
        }
    }
}
