import CLMDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An LMDB environment: one directory holding `data.mdb` and `lock.mdb`, opened once per process.
///
/// LMDB forbids opening the same environment twice in one process (the second handle would
/// break its locks), so ``open(_:options:)`` hands back the handle that is already open for that
/// directory. Every handle uses `MDB_NOTLS`, so read transactions are not tied to a thread and may
/// be used from any thread or task. The environment closes when its last reference goes away.
///
/// Transactions are scoped by closures: ``read(_:)`` and ``write(_:)``.
public final class Environment: @unchecked Sendable {
    /// The directory, as given to ``open(_:options:)``.
    public let path: String
    /// The options the environment was opened with (by the first opener in this process).
    public let options: Options

    let handle: OpaquePointer
    let gate = MapGate()
    /// Guards `databases` and `pendingDatabases`.
    let databaseLock = Lock()
    /// LMDB: a transaction that opens a database handle must end before another transaction of
    /// this process opens one. The write transaction holds this lock from begin to end, and
    /// `database(named:)` takes it to open a handle in a short read transaction.
    let databaseOpenLock = Lock()
    /// The running write transaction and its thread, so `database(named:)` called from inside it
    /// opens the handle in that transaction instead of waiting for it.
    var writer: (thread: pthread_t, transaction: OpaquePointer)?
    let readerPool: ReaderPool
    private let fileID: FileID

    /// Database handles by name, once their creating transaction has committed.
    var databases: [String: Database] = [:]
    /// Set by a write operation that hit `MDB_MAP_FULL`, so `write` grows the map and retries
    /// even when the closure caught and rewrapped the error. Only the one writer touches it.
    var writerHitMapFull = false
    /// Where this process maps `data.mdb`, for `releaseResidentPages`, with the map size it was
    /// found at; guarded by `mappingLock`.
    private var mappingCache: (mapSize: Int, ranges: [Range<UInt>])?
    private let mappingLock = Lock()
    /// Databases created by the running write transaction, published on commit.
    var pendingDatabases: [String: Database] = [:]

    /// Opens (creating if needed) the environment in directory `path`, or returns the one this
    /// process already has open there.
    ///
    /// Opening clears reader slots left behind by dead processes (`mdb_reader_check`).
    /// - Throws: ``LMDBError`` with `.invalidFile` for a file that is not an LMDB environment,
    ///   `.versionMismatch` for another LMDB format, `.system(EACCES)` without permission,
    ///   `.system(ENOENT)` for a missing directory opened read-only, and `.alreadyOpen` when this
    ///   process has the directory open with a different `readOnly` setting.
    public static func open(_ path: String, options: Options = Options()) throws(LMDBError) -> Environment {
        // Kept absolute: files the environment opens later (a run's lock file, copies) must not
        // depend on the working directory, which the process may change after opening.
        let path = absolutePath(path)
        if !options.readOnly {
            try createDirectory(path, mode: options.directoryMode)
        }
        let id = try FileID(path: path)
        return try OpenEnvironments.shared.environment(for: id) { () throws(LMDBError) in
            try Environment(path: path, options: options, fileID: id)
        } compatible: { $0.options.readOnly == options.readOnly }
    }

    private init(path: String, options: Options, fileID: FileID) throws(LMDBError) {
        try DataFileHeader.checkNotTruncated(path + "/data.mdb", environment: path)
        var env: OpaquePointer?
        try check(mdb_env_create(&env), "mdb_env_create", path: path)
        guard let env else { throw LMDBError(.system(ENOMEM), operation: "mdb_env_create", path: path) }
        do {
            try check(mdb_env_set_maxdbs(env, MDB_dbi(options.maxDatabases)), "mdb_env_set_maxdbs", path: path)
            try check(mdb_env_set_maxreaders(env, UInt32(options.maxReaders)), "mdb_env_set_maxreaders", path: path)
            try check(mdb_env_set_mapsize(env, options.mapSize), "mdb_env_set_mapsize", path: path)
            var flags = UInt32(MDB_NOTLS)
            if options.readOnly { flags |= UInt32(MDB_RDONLY) }
            if !options.syncOnCommit { flags |= UInt32(MDB_NOSYNC) }
            try check(mdb_env_open(env, path, flags, mode_t(options.fileMode)), "mdb_env_open", path: path)
            var cleared: Int32 = 0
            try check(mdb_reader_check(env, &cleared), "mdb_reader_check", path: path)
        } catch {
            mdb_env_close(env)
            throw error
        }
        self.handle = env
        self.path = path
        self.options = options
        self.fileID = fileID
        self.readerPool = ReaderPool(capacity: options.maxReaders)
    }

    deinit {
        let handle = handle
        let readerPool = readerPool
        OpenEnvironments.shared.close(fileID) {
            readerPool.drain()
            mdb_env_close(handle)
        }
    }

    /// Map size, reader slots and the last transaction id.
    public var info: EnvironmentInfo {
        var raw = MDB_envinfo()
        mdb_env_info(handle, &raw)
        return EnvironmentInfo(
            mapSize: raw.me_mapsize,
            lastPageNumber: raw.me_last_pgno,
            lastTransactionID: raw.me_last_txnid,
            maxReaders: Int(raw.me_maxreaders),
            readersInUse: Int(raw.me_numreaders)
        )
    }

    /// Statistics of the environment's main B-tree (the one that lists the named databases).
    public var statistics: DatabaseStatistics {
        var raw = MDB_stat()
        mdb_env_stat(handle, &raw)
        return DatabaseStatistics(raw)
    }

    /// Clears reader slots held by processes that have died, returning how many were freed.
    @discardableResult
    public func clearStaleReaders() throws(LMDBError) -> Int {
        var cleared: Int32 = 0
        try check(mdb_reader_check(handle, &cleared), "mdb_reader_check", path: path)
        return Int(cleared)
    }

    /// Writes a copy of the environment into the empty or missing directory `destination`.
    ///
    /// With `compact` (the default) free pages are left out and pages are renumbered, so the copy
    /// is as small as the live data (`mdb_env_copy2` with `MDB_CP_COMPACT`). The copy is a
    /// consistent snapshot taken inside a read transaction; writers are not blocked.
    /// The copy's directory (when created) and `data.mdb` get the permissions of `options`.
    public func copy(to destination: String, compact: Bool = true) throws(LMDBError) {
        try Environment.createDirectory(destination, mode: options.directoryMode)
        gate.enterShared()
        defer { gate.leaveShared() }
        let flags = compact ? UInt32(MDB_CP_COMPACT) : 0
        // The file is created here, with the environment's mode from the start (LMDB's own
        // `mdb_env_copy2` creates it 0666 less the umask), and never over an existing one.
        let descriptor = createFile(destination + "/data.mdb", mode: options.fileMode)
        guard descriptor >= 0 else { throw LMDBError(.system(errno), operation: "open", path: destination + "/data.mdb") }
        defer { close(descriptor) }
        try check(mdb_env_copyfd2(handle, descriptor, flags), "mdb_env_copyfd2", path: path)
    }

    /// Drops this process's mappings of the memory map's pages, so the pages a long job has
    /// read stop counting as its resident memory. They stay in the kernel's page cache (the
    /// map is a read-only shared file mapping), and the next access maps them again, so this is
    /// safe at any time, even while transactions read.
    ///
    /// LMDB does not tell where it mapped the file (`me_mapaddr` is only set for fixed maps), so
    /// the mapping is found in `/proc/self/maps` (Linux); elsewhere this does nothing.
    public func releaseResidentPages() {
        gate.enterShared()  // the map must not move while we look at it
        defer { gate.leaveShared() }
        // The mapping moves only when the map is resized, which changes its size: reading
        // /proc/self/maps once per size keeps this cheap enough to call every few thousand rows.
        let mapSize = info.mapSize
        mappingLock.lock()
        if mappingCache?.mapSize != mapSize { mappingCache = (mapSize, mappedRanges()) }
        let ranges = mappingCache?.ranges ?? []
        mappingLock.unlock()
        for range in ranges {
            madvise(UnsafeMutableRawPointer(bitPattern: range.lowerBound), range.count, MADV_DONTNEED)
        }
    }

    /// The address ranges where `data.mdb` of this environment is mapped.
    private func mappedRanges() -> [Range<UInt>] {
        guard let maps = fopen("/proc/self/maps", "r") else { return [] }
        defer { fclose(maps) }
        var dataFile = stat()
        guard stat(path + "/data.mdb", &dataFile) == 0 else { return [] }
        var ranges: [Range<UInt>] = []
        var line = [CChar](repeating: 0, count: 4096)
        while fgets(&line, Int32(line.count), maps) != nil {
            // "start-end perms offset major:minor inode path". Match the file by device and inode
            // (whatever the path spelling) and only shared mappings: dropping the pages of a
            // private mapping of some other file would throw away its copy-on-write contents.
            let text = line.withUnsafeBufferPointer { buffer in
                String(decoding: UnsafeRawBufferPointer(buffer).prefix { $0 != 0 }, as: UTF8.self)
            }
            let fields = text.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, UInt64(fields[4]) == UInt64(dataFile.st_ino),
                  fields[1].count == 4, fields[1].last == "s" else { continue }
            let device = fields[3].split(separator: ":")
            let dev = UInt64(dataFile.st_dev)
            let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~UInt64(0xfff))
            let minor = (dev & 0xff) | ((dev >> 12) & ~UInt64(0xff))
            guard device.count == 2, UInt64(device[0], radix: 16) == major, UInt64(device[1], radix: 16) == minor else { continue }
            let bounds = fields[0].split(separator: "-")
            guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16) else { continue }
            ranges.append(start..<end)
        }
        return ranges
    }

    /// Flushes buffers to disk; only needed when `syncOnCommit` is off.
    public func sync() throws(LMDBError) {
        try check(mdb_env_sync(handle, 1), "mdb_env_sync", path: path)
    }

    /// `mkdir -p`, with `mode` for the last directory.
    static func createDirectory(_ path: String, mode: UInt32) throws(LMDBError) {
        var components: [Substring] = []
        var current = ""
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        for (index, part) in parts.enumerated() {
            components.append(part)
            current = components.joined(separator: "/")
            if current.isEmpty { continue }
            let isLast = index == parts.count - 1 || parts[(index + 1)...].allSatisfy(\.isEmpty)
            if mkdir(current, isLast ? mode_t(mode) : 0o755) != 0 && errno != EEXIST {
                throw LMDBError(.system(errno), operation: "mkdir", path: current)
            }
        }
    }
}

extension DatabaseStatistics {
    init(_ raw: MDB_stat) {
        self.init(
            pageSize: Int(raw.ms_psize),
            depth: Int(raw.ms_depth),
            branchPages: raw.ms_branch_pages,
            leafPages: raw.ms_leaf_pages,
            overflowPages: raw.ms_overflow_pages,
            entries: raw.ms_entries
        )
    }
}

/// `open(2)` creating a new file, named apart from `Environment.open`.
private func createFile(_ path: String, mode: UInt32) -> Int32 {
    open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
}

/// `path` against the current working directory, unless it is absolute already.
private func absolutePath(_ path: String) -> String {
    guard !path.hasPrefix("/"), let directory = getcwd(nil, 0) else { return path }
    defer { free(directory) }
    return String(cString: directory) + "/" + path
}
