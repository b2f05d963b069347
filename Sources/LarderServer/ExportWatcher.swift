import Foundation
import Larder
import Logging
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// Serves the newest export at a path (`larder serve --read-only --watch`): polls the identity
/// of `PATH/data.mdb` and, when another file has been moved into place (a symlink switched to a
/// new export directory, or a directory renamed over), opens it, checks it reads, and makes it
/// the store later requests read. An export that does not open is logged and the old one
/// served on; a path that is briefly missing (mid-swap) is waited out.
///
/// Only whole directories are switched: LMDB's lock file records which meta page is current,
/// so a `data.mdb` replaced under an old `lock.mdb` would be read wrongly — see Docs/Scaling.md.
struct ExportWatcher: Service {
    let path: String
    let served: ServedStore
    let interval: Duration
    let logger: Logger
    let onSwitch: @Sendable (FeatureStore) -> Void

    /// The device and inode of a data file, or nil when there is none.
    static func identity(of path: String) -> [UInt64]? {
        var info = stat()
        guard stat(path + "/data.mdb", &info) == 0 else { return nil }
        return [UInt64(info.st_dev), UInt64(info.st_ino)]
    }

    func run() async throws {
        // Polls until the server shuts down (the sleep throws on cancellation).
        try? await cancelWhenGracefulShutdown { try await watch() }
    }

    private func watch() async throws {
        var serving = Self.identity(of: path)
        var refused: [UInt64]?
        while true {
            try await Task.sleep(for: interval)
            guard let found = Self.identity(of: path), found != serving, found != refused else { continue }
            do {
                let store = try FeatureStore.open(path, readOnly: true)
                let latest = try store.snapshots().last?.id ?? 0
                served.replace(with: store)
                serving = found
                refused = nil
                onSwitch(store)
                logger.info("serving a new export", metadata: ["path": "\(path)", "latest_snapshot": "\(latest)"])
            } catch {
                // Tried once per file: the next export moved into place is tried afresh.
                refused = found
                logger.error("a new export at the path does not open; serving the previous one", metadata: ["path": "\(path)", "error": "\(error)"])
            }
        }
    }
}
