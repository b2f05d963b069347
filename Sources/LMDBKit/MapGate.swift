#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Guards LMDB's rule that `mdb_env_set_mapsize` may only run when no transaction of this
/// process is active: it unmaps and remaps the file, so a live transaction would be left
/// pointing at freed memory.
///
/// Every transaction holds the gate shared for as long as it is active; growing the map holds
/// it exclusively. Reader preference (glibc's default) lets a thread that already holds a read
/// transaction open another one without deadlocking behind a waiting resize.
final class MapGate: @unchecked Sendable {
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    init() {
        lock = .allocate(capacity: 1)
        pthread_rwlock_init(lock, nil)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    @inline(__always) func enterShared() { pthread_rwlock_rdlock(lock) }
    @inline(__always) func leaveShared() { pthread_rwlock_unlock(lock) }

    /// Takes the gate exclusively, polling so that a wait that can never end (this thread
    /// holds it shared) turns into `false` rather than a hang.
    func tryExclusive(forSeconds seconds: Double) -> Bool {
        var waited = 0.0
        while pthread_rwlock_trywrlock(lock) != 0 {
            guard waited < seconds else { return false }
            usleep(200)
            waited += 0.0002
        }
        return true
    }

    func leaveExclusive() { pthread_rwlock_unlock(lock) }
}

/// A plain mutex for short critical sections (the reader pool, the database-handle cache).
final class Lock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }

    @inline(__always) func withLock<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
