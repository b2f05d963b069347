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
        var bytes: [UInt8] = []
        withUnsafeBytes(of: snapshot.bigEndian) { bytes += $0 }
        withUnsafeBytes(of: UInt32(bitPattern: process).bigEndian) { bytes += $0 }
        for view in views { withUnsafeBytes(of: view.bigEndian) { bytes += $0 } }
        try txn.put(bytes, for: StoreMeta.pendingRunKey, in: meta)
    }

    static func load(from meta: Database, _ txn: borrowing some ReadableTransaction) throws -> PendingRun? {
        try txn.withValue(for: StoreMeta.pendingRunKey, in: meta) { bytes -> PendingRun? in
            // A marker of another size is damage: taken for "no run", a dead run's rows would stay.
            guard bytes.count >= 12, (bytes.count - 12) % 4 == 0 else {
                throw LarderError.damagedStore(path: txn.path, reason: "meta 'pending_run' has \(bytes.count) bytes, not 12 and 4 per view")
            }
            let views = stride(from: 12, to: bytes.count, by: 4).map { UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: $0, as: UInt32.self)) }
            return PendingRun(
                snapshot: UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)),
                process: Int32(bitPattern: UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self))),
                views: views)
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
            try restoreOnline(databases.online, txn)
        }
        try txn.delete(StoreMeta.pendingRunKey, in: store.meta)
    }

    private func removeHistory(_ history: Database, _ txn: borrowing WriteTransaction) throws {
        var resume: [UInt8]? = []
        while let start = resume {
            var doomed: [[UInt8]] = []
            resume = nil
            try txn.withCursor(on: history) { cursor in
                var entry = try start.isEmpty ? cursor.first() : start.withUnsafeBytes { try cursor.seek(atLeast: $0) }
                while let current = entry {
                    if doomed.count >= 65_536 { resume = Array(current.key); return }
                    if current.key.count >= HistoryKey.suffixLength, HistoryKey.snapshot(current.key) == snapshot {
                        doomed.append(Array(current.key))
                    }
                    entry = try cursor.next()
                }
            }
            for key in doomed { try txn.delete(key, in: history) }
        }
    }

    private func restoreOnline(_ online: Database, _ txn: borrowing WriteTransaction) throws {
        var resume: [UInt8]? = []
        while let start = resume {
            var changes: [(key: [UInt8], previous: [UInt8]?)] = []
            resume = nil
            try txn.withCursor(on: online) { cursor in
                var entry = try start.isEmpty ? cursor.first() : start.withUnsafeBytes { try cursor.seek(atLeast: $0) }
                while let current = entry {
                    if changes.count >= 65_536 { resume = Array(current.key); return }
                    if current.value.count >= OnlineRecord.headerLength, OnlineRecord.snapshot(current.value) == snapshot {
                        changes.append((Array(current.key), OnlineRecord.previous(current.value).map { Array($0) }))
                    }
                    entry = try cursor.next()
                }
            }
            for change in changes {
                if let previous = change.previous {
                    try txn.put(previous, for: change.key, in: online)
                } else {
                    try txn.delete(change.key, in: online)
                }
            }
        }
    }
}
