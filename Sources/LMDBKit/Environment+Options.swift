extension Environment {
    /// How to open an environment. The defaults suit a feature store: a map that starts small
    /// and grows on demand, room for a few hundred named databases, and full durability.
    public struct Options: Sendable, Equatable {
        /// The initial map size in bytes. A store that outgrows it is grown by `write`, so this
        /// only matters for processes that open the file read-only while another one writes.
        public var mapSize: Int = 64 << 20
        /// The map never grows beyond this many bytes; a write that needs more fails with `.mapFull`.
        public var maxMapSize: Int = 1 << 40
        /// How many named databases the environment can hold (`mdb_env_set_maxdbs`). Each read
        /// transaction sets aside 49 bytes per database, so the default, 1,024, costs 50 kB per
        /// pooled reader.
        public var maxDatabases: Int = 1_024
        /// How many read transactions may be live at once across all processes (`mdb_env_set_maxreaders`).
        public var maxReaders: Int = 126
        /// Open for reading only (`MDB_RDONLY`): every write fails with `.readOnly`.
        public var readOnly: Bool = false
        /// Flush to disk on every commit. Turning it off (`MDB_NOSYNC`) keeps the file consistent
        /// after a process crash but may lose the last commits if the machine loses power.
        public var syncOnCommit: Bool = true
        /// Permissions for the files the environment creates (`data.mdb`, `lock.mdb`), narrowed
        /// by the umask. Private by default; a reader must be able to write `lock.mdb`.
        public var fileMode: UInt32 = 0o600
        /// Permissions for the environment's directory when `open` creates it. Directories above
        /// it that do not exist yet are created with `0o755` (narrowed by the umask), like `mkdir -p`.
        public var directoryMode: UInt32 = 0o700

        public init() {}

        /// Options with the given fields changed, for one-line call sites.
        public static func defaults(_ change: (inout Options) -> Void) -> Options {
            var options = Options()
            change(&options)
            return options
        }
    }
}

/// `mdb_env_info`: the map and the readers.
public struct EnvironmentInfo: Sendable, Equatable {
    /// The current map size in bytes.
    public var mapSize: Int
    /// The last page number in use; `(lastPageNumber + 1) * pageSize` is the used size.
    public var lastPageNumber: Int
    /// The id of the last committed transaction.
    public var lastTransactionID: Int
    /// The reader slots the environment has.
    public var maxReaders: Int
    /// The reader slots in use, by every process.
    public var readersInUse: Int
}

/// `mdb_stat`: the shape of one B-tree.
public struct DatabaseStatistics: Sendable, Equatable {
    public var pageSize: Int
    /// Depth of the B-tree (1 = a single leaf page).
    public var depth: Int
    public var branchPages: Int
    public var leafPages: Int
    public var overflowPages: Int
    /// The number of key/value pairs.
    public var entries: Int
}
