import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The lock a materialization or push holds from before its first commit until after its last:
/// an exclusive `flock` on the store's directory itself (no lock file that could be deleted
/// under a live run, letting a second writer lock a new one).
///
/// A pending-run marker is abandoned exactly when this lock is free: the kernel releases the
/// lock of a process that dies, whatever happened to its PID (reused, or in another PID
/// namespace: two containers sharing a volume on one host). `flock` works between processes of
/// one host, like LMDB's own locks; stores on network filesystems are not supported by either.
final class RunLock {
    private let descriptor: Int32

    /// The lock, taken without waiting; nil while another run holds it.
    /// - Parameter wait: how long to keep trying before giving up.
    static func acquire(in directory: String, wait: Duration = .zero) throws -> RunLock? {
        let descriptor = try openForLocking(directory)
        // Capped at a century: adding a longer duration to the clock would overflow.
        let deadline = ContinuousClock.now + min(max(wait, .zero), .seconds(100 * 365 * 86_400))
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR else {
                close(descriptor)
                throw LarderError.lockFailed(path: directory, reason: String(cString: strerror(code)))
            }
            guard ContinuousClock.now < deadline else {
                close(descriptor)
                return nil
            }
            usleep(20_000)
        }
        return RunLock(descriptor: descriptor)
    }

    /// Whether a run holds the lock now (checked by taking it for a moment).
    static func isHeld(in directory: String) throws -> Bool {
        guard let lock = try acquire(in: directory) else { return true }
        lock.release()
        return false
    }

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { release() }

    private var released = false

    /// Lets the next run go ahead. Also happens when the lock is deallocated, or the process ends.
    func release() {
        guard !released else { return }
        released = true
        // Unlocked before closing: a child forked by another thread meanwhile shares this open
        // file, and closing only our descriptor would leave the lock held until the child execs.
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

}

/// The directory opened for `flock`.
private func openForLocking(_ directory: String) throws -> Int32 {
    let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else {
        throw LarderError.lockFailed(path: directory, reason: String(cString: strerror(errno)))
    }
    return descriptor
}

extension FeatureStore {
    /// The run lock of this store, waiting up to `wait` for a run that holds it.
    /// - Throws: ``LarderError/runInProgress(snapshot:process:)`` naming the run that holds it.
    func acquireRunLock(wait: Duration = .zero) throws -> RunLock {
        if let lock = try RunLock.acquire(in: path, wait: wait) { return lock }
        let pending = try environment.read { txn in try PendingRun.load(from: meta, txn) }
        throw LarderError.runInProgress(snapshot: pending?.snapshot ?? 0, process: pending?.process ?? 0)
    }
}
