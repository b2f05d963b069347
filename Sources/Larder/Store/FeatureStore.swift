import LMDBKit
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A Larder feature store: one directory, opened in-process by any number of readers and one
/// writer at a time, across threads and processes.
///
/// ```swift
/// let store = try FeatureStore.open("features.larder")
/// try store.apply(definitions)
/// ```
public final class FeatureStore: Sendable {
    /// The LMDB environment under the store, for reading what the store does not offer (raw
    /// statistics, copies, structure checks). Writing Larder's databases through it would leave
    /// its counters, registry and run markers out of step with the rows: see Docs/LMDBKit.md.
    public let environment: Environment
    let meta: Database
    let registryDatabase: Database
    /// Snapshot id (big-endian) → JSON of the `Snapshot`.
    let snapshotsDatabase: Database
    /// Snapshot id (big-endian) + view name → JSON of its features' statistics
    /// (`StatisticsStorage`); nil in a store opened read-only that was made before it existed.
    let statisticsDatabase: Database?
    private let cachedRegistry: Mutex<Registry>
    /// Database handles of views, by view id, opened once per process.
    let viewDatabases = Mutex<[UInt32: ViewDatabases]>([:])
    /// The registry and handles the last reads used; see `ReadContext`.
    let readContext = Mutex<ReadContext?>(nil)
    /// Feature requests resolved against the registry, for the online lookups that repeat them.
    let resolvedRequests = RecentValues<FeatureRequestKey, FeatureRequest>(capacity: 16)

    /// Opens the store in directory `path`, creating it (with the permissions of `access`)
    /// unless `readOnly` or `createIfMissing` is false.
    /// - Throws: ``LarderError/noStore(path:)`` when there is no store and none may be created,
    ///   ``LarderError/notALarderStore(path:)`` for another program's LMDB environment,
    ///   ``LarderError/unsupportedFormat(path:found:supported:)``, ``LarderError/damagedStore(path:reason:)``,
    ///   or an `LMDBError` for a file that is not LMDB at all, a truncated one, a missing path
    ///   or no permission.
    public static func open(_ path: String, readOnly: Bool = false, createIfMissing: Bool = true, access: FileAccess = .owner) throws -> FeatureStore {
        if readOnly || !createIfMissing {
            // LMDB would initialise a missing or empty data.mdb as a new environment.
            var info = stat()
            guard stat(path + "/data.mdb", &info) == 0, info.st_size > 0 else { throw LarderError.noStore(path: path) }
        }
        let environment = try Environment.open(path, options: .defaults {
            $0.readOnly = readOnly
            $0.fileMode = access.storeFileMode
            $0.directoryMode = access.storeDirectoryMode
        })
        return try FeatureStore(environment: environment, createIfMissing: createIfMissing)
    }

    /// Wraps an open environment, initializing the store's metadata if it is new and
    /// `createIfMissing`.
    public init(environment: Environment, createIfMissing: Bool = true) throws {
        self.environment = environment
        if !createIfMissing, try environment.database(named: "meta") == nil {
            throw environment.statistics.entries == 0 ? LarderError.noStore(path: environment.path) : LarderError.notALarderStore(path: environment.path)
        }
        if environment.options.readOnly {
            guard let meta = try environment.database(named: "meta"),
                  let registry = try environment.database(named: "registry"),
                  let snapshots = try environment.database(named: "snapshots") else {
                throw LarderError.notALarderStore(path: environment.path)
            }
            try environment.read { txn in try StoreMeta.check(meta, environment, txn) }
            self.meta = meta
            self.registryDatabase = registry
            self.snapshotsDatabase = snapshots
            self.statisticsDatabase = try environment.database(named: "statistics")
        } else {
            (self.meta, self.registryDatabase, self.snapshotsDatabase, self.statisticsDatabase) = try environment.write { txn in
                let meta = try StoreMeta.initializeOrCheck(environment, txn)
                return (meta, try txn.createDatabase(named: "registry"), try txn.createDatabase(named: "snapshots"),
                        try txn.createDatabase(named: "statistics"))
            }
        }
        self.cachedRegistry = Mutex(.empty)
    }

    /// The store's directory.
    public var path: String { environment.path }

    /// The applied definitions as of the last commit.
    public var registry: Registry {
        get throws { try environment.read { txn in try registry(in: txn) } }
    }

    /// The registry as `txn` sees it: the cached copy when its version matches the one stored
    /// in `txn`, otherwise loaded from `txn` (and cached if it is the newest seen).
    func registry(in txn: borrowing some ReadableTransaction) throws -> Registry {
        let version = try StoreMeta.requiredUInt64(StoreMeta.registryVersionKey, in: meta, txn)
        let cached = cachedRegistry.withLock { $0 }
        if cached.version == version { return cached }
        let loaded = try RegistryStorage.load(version: version, from: registryDatabase, txn)
        cachedRegistry.withLock { if $0.version < loaded.version { $0 = loaded } }
        return loaded
    }
}
