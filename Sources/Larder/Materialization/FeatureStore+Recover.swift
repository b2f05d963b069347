import LMDBKit

/// A materialization or push that died between its first and last commit.
public struct AbandonedRun: Sendable, Equatable {
    /// The snapshot id it had claimed; never committed.
    public let snapshot: UInt64
    /// Its process id, as its own PID namespace saw it.
    public let process: Int32
    /// The views it was writing.
    public let views: [String]
}

extension FeatureStore {
    /// Removes what a run that died left behind: its history rows, and the online values it
    /// replaced are put back. The next run does this by itself; this call does it now, for an
    /// operator who wants the store clean (or to see what was left).
    ///
    /// A run is abandoned exactly when it no longer holds the run lock, so a live run in another
    /// process, container or PID namespace is never touched.
    /// - Returns: the run rolled back, or nil when there was none.
    /// - Throws: ``LarderError/runInProgress(snapshot:process:)`` while a run is going.
    @discardableResult
    public func recoverAbandonedRun() throws -> AbandonedRun? {
        let lock = try acquireRunLock()
        defer { lock.release() }
        return try environment.write { txn -> AbandonedRun? in
            guard let pending = try PendingRun.recoverAbandoned(store: self, txn, holding: lock) else { return nil }
            let registry = try registry(in: txn)
            let names = registry.views.values.filter { pending.views.contains($0.spec.id) }.map(\.spec.definition.name).sorted()
            return AbandonedRun(snapshot: pending.snapshot, process: pending.process, views: names)
        }
    }
}
