#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A directory's identity on disk, so two spellings of one path (`a/../b`, a symlink) are
/// recognised as the same environment.
struct FileID: Hashable, Sendable {
    let device: UInt64
    let inode: UInt64

    init(path: String) throws(LMDBError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw LMDBError(.system(errno), operation: "stat", path: path)
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw LMDBError(.system(ENOTDIR), operation: "open", path: path)
        }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}

/// The process-wide table of open environments, enforcing LMDB's one-handle-per-process rule.
///
/// LMDB's file locks belong to the process, so closing a second handle would silently drop the
/// first one's locks. An entry therefore stays in the table until its environment has finished
/// `mdb_env_close`, and an opener that finds a closing entry waits for it.
final class OpenEnvironments: @unchecked Sendable {
    static let shared = OpenEnvironments()

    private struct Entry {
        weak var environment: Environment?
    }

    private let lock = Lock()
    private var entries: [FileID: Entry] = [:]

    func environment(
        for id: FileID,
        open: () throws(LMDBError) -> Environment,
        compatible: (Environment) -> Bool
    ) throws(LMDBError) -> Environment {
        while true {
            let found: Environment?? = try lock.withLock { () throws(LMDBError) -> Environment?? in
                guard let entry = entries[id] else {
                    let environment = try open()
                    entries[id] = Entry(environment: environment)
                    return .some(environment)
                }
                guard let existing = entry.environment else { return .none }  // still closing
                guard compatible(existing) else {
                    throw LMDBError(.alreadyOpen, operation: "open", path: existing.path)
                }
                return .some(existing)
            }
            if case .some(let environment?) = found { return environment }
            sched_yield()
        }
    }

    /// Closes the handle and removes the entry in one step, from `Environment.deinit`.
    func close(_ id: FileID, _ close: () -> Void) {
        lock.withLock {
            close()
            entries[id] = nil
        }
    }
}
