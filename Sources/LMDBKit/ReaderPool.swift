import CLMDB

/// Read transactions that have been reset, kept for reuse.
///
/// `mdb_txn_begin` allocates; `mdb_txn_renew` on a reset transaction does not. With
/// `MDB_NOTLS` a reset transaction keeps its reader slot and may be renewed on any thread, so
/// every ``Environment/read(_:)`` after the first costs two lock operations and no allocation.
final class ReaderPool: @unchecked Sendable {
    private let lock = Lock()
    private var idle: [OpaquePointer] = []
    private let capacity: Int

    init(capacity: Int) {
        // Leave reader slots for other processes and for transactions outside the pool.
        self.capacity = max(1, capacity / 2)
        idle.reserveCapacity(self.capacity)
    }

    @inline(__always) func take() -> OpaquePointer? {
        lock.withLock { idle.popLast() }
    }

    /// Keeps a reset transaction for reuse, or aborts it when the pool is full.
    @inline(__always) func give(_ transaction: OpaquePointer) {
        let kept = lock.withLock { () -> Bool in
            guard idle.count < capacity else { return false }
            idle.append(transaction)
            return true
        }
        if !kept { mdb_txn_abort(transaction) }
    }

    /// Aborts every idle transaction; called before the environment closes or remaps.
    func drain() {
        let all = lock.withLock { () -> [OpaquePointer] in
            defer { idle.removeAll(keepingCapacity: true) }
            return idle
        }
        for transaction in all { mdb_txn_abort(transaction) }
    }
}
