import CLMDB

/// Read transactions that have been reset, kept for reuse.
///
/// `mdb_txn_begin` allocates; `mdb_txn_renew` on a reset transaction does not. With
/// `MDB_NOTLS` a reset transaction keeps its reader slot and may be renewed on any thread, so
/// every ``Environment/read(_:)`` after the first costs two lock operations and no allocation.
///
/// The idle transactions are a stack in a fixed buffer rather than an array: every read takes
/// one and gives it back, and an array in a class pays a uniqueness check and a dynamic
/// exclusivity check on each of those.
final class ReaderPool: @unchecked Sendable {
    private let lock = Lock()
    private let idle: UnsafeMutablePointer<OpaquePointer>
    private var count = 0  // guarded by `lock`
    private let capacity: Int

    init(capacity: Int) {
        // Leave reader slots for other processes and for transactions outside the pool.
        self.capacity = max(1, capacity / 2)
        idle = .allocate(capacity: self.capacity)
    }

    deinit {
        idle.deallocate()
    }

    @inline(__always) func take() -> OpaquePointer? {
        lock.withLock {
            guard count > 0 else { return nil }
            count -= 1
            return idle[count]
        }
    }

    /// Keeps a reset transaction for reuse, or aborts it when the pool is full.
    @inline(__always) func give(_ transaction: OpaquePointer) {
        let kept = lock.withLock { () -> Bool in
            guard count < capacity else { return false }
            idle[count] = transaction
            count += 1
            return true
        }
        if !kept { mdb_txn_abort(transaction) }
    }

    /// Aborts every idle transaction; called before the environment closes or remaps.
    func drain() {
        let all = lock.withLock { () -> [OpaquePointer] in
            defer { count = 0 }
            return Array(UnsafeBufferPointer(start: idle, count: count))
        }
        for transaction in all { mdb_txn_abort(transaction) }
    }
}
