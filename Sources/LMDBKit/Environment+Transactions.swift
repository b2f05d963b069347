import CLMDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Environment {
    /// Runs `body` in a read transaction: a consistent view of the last commit, unaffected by
    /// writers until `body` returns.
    ///
    /// Transactions are reused (reset and renewed), so after warm-up this costs no allocation and
    /// no `mdb_txn_begin`. Keep read transactions short: a long one pins old pages, so the file
    /// grows, and it delays map growth in this process.
    @inline(__always)
    public func read<R>(_ body: (borrowing ReadTransaction) throws -> R) throws -> R {
        let pointer = try beginRead()
        defer { endRead(pointer) }
        return try body(ReadTransaction(handle: TransactionHandle(pointer: pointer, environment: self)))
    }

    @usableFromInline
    func beginRead() throws(LMDBError) -> OpaquePointer {
        while true {
            gate.enterShared()
            var rc: Int32
            var pointer: OpaquePointer?
            if let pooled = readerPool.take() {
                rc = mdb_txn_renew(pooled)
                if rc == 0 { return pooled }
                mdb_txn_abort(pooled)
            } else {
                rc = mdb_txn_begin(handle, nil, UInt32(MDB_RDONLY), &pointer)
                if rc == 0, let pointer { return pointer }
            }
            gate.leaveShared()
            guard rc == MDB_MAP_RESIZED else {
                throw LMDBError(returnCode: rc, operation: "mdb_txn_begin(read)", path: path)
            }
            try adoptGrownMap()
        }
    }

    @usableFromInline
    func endRead(_ pointer: OpaquePointer) {
        mdb_txn_reset(pointer)
        gate.leaveShared()
        readerPool.give(pointer)
    }

    /// Runs `body` in the write transaction and commits when it returns; if it throws, the
    /// transaction aborts and nothing it wrote remains.
    ///
    /// One writer at a time, across every thread and process; others wait here. While it runs,
    /// other threads of this process that open a database handle for the first time wait too.
    ///
    /// When the map is full, the transaction is aborted, the map doubled (up to
    /// `Options.maxMapSize`) and `body` **runs again from the start** on a fresh transaction, so
    /// the caller sees success and nothing committed earlier is lost. Therefore `body` must only
    /// change the store, or make its other effects (counters, files, messages) repeatable, or
    /// do them after `write` returns.
    /// - Throws: whatever `body` throws, `.readOnly` in a read-only environment, `.mapFull` once
    ///   the map cannot grow further, or a commit error such as an I/O failure.
    public func write<R>(_ body: (borrowing WriteTransaction) throws -> R) throws -> R {
        guard !options.readOnly else { throw LMDBError(.readOnly, operation: "write", path: path) }
        while true {
            databaseOpenLock.lock()
            gate.enterShared()
            var pointer: OpaquePointer?
            let rc = mdb_txn_begin(handle, nil, 0, &pointer)
            guard rc == 0, let pointer else {
                gate.leaveShared()
                databaseOpenLock.unlock()
                if rc == MDB_MAP_RESIZED {
                    try adoptGrownMap()
                    continue
                }
                throw LMDBError(returnCode: rc, operation: "mdb_txn_begin(write)", path: path)
            }
            writerHitMapFull = false
            databaseLock.withLock {
                writer = (pthread_self(), pointer)
                pendingDatabases.removeAll()
            }
            let result: R
            do {
                result = try body(WriteTransaction(handle: TransactionHandle(pointer: pointer, environment: self)))
            } catch {
                mdb_txn_abort(pointer)
                gate.leaveShared()
                databaseLock.withLock {
                    writer = nil
                    pendingDatabases.removeAll()
                }
                databaseOpenLock.unlock()
                if writerHitMapFull {
                    try growMap()
                    continue
                }
                throw error
            }
            let commit = mdb_txn_commit(pointer)  // frees the transaction, committed or not
            gate.leaveShared()
            databaseLock.withLock {
                writer = nil
                if commit == 0 { databases.merge(pendingDatabases) { _, new in new } }
                pendingDatabases.removeAll()
            }
            databaseOpenLock.unlock()
            if commit == 0 { return result }
            if commit == MDB_MAP_FULL || writerHitMapFull {
                try growMap()
                continue
            }
            // LMDB reports a write that found the disk full as EIO: say which it was.
            if commit == EIO, isDiskFull { throw LMDBError(.system(ENOSPC), operation: "mdb_txn_commit", path: path) }
            throw LMDBError(returnCode: commit, operation: "mdb_txn_commit", path: path)
        }
    }

    /// Whether the filesystem of the environment has less room left than a few pages.
    private var isDiskFull: Bool {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return false }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize) < 64 * 4_096
    }

    /// Doubles the map, or fails with `.mapFull` at `maxMapSize`.
    func growMap() throws(LMDBError) {
        try exclusivelyForResize(operation: "grow map") { () throws(LMDBError) in
            let current = info.mapSize
            guard current < options.maxMapSize else {
                throw LMDBError(.mapFull, operation: "mdb_put", path: path)
            }
            let grown = min(max(current * 2, 1 << 20), options.maxMapSize)
            readerPool.drain()
            try check(mdb_env_set_mapsize(handle, grown), "mdb_env_set_mapsize", path: path)
        }
    }

    /// Another process grew the map past ours (`MDB_MAP_RESIZED`): adopt its size.
    func adoptGrownMap() throws(LMDBError) {
        try exclusivelyForResize(operation: "adopt grown map") { () throws(LMDBError) in
            readerPool.drain()
            try check(mdb_env_set_mapsize(handle, 0), "mdb_env_set_mapsize", path: path)
        }
    }

    /// Waits until no transaction of this process is active, then runs `body`.
    ///
    /// A thread that holds a read transaction while it writes would wait here for itself, so
    /// after a generous wait this gives up with a clear error instead of hanging.
    private func exclusivelyForResize(operation: String, _ body: () throws(LMDBError) -> Void) throws(LMDBError) {
        guard gate.tryExclusive(forSeconds: 30) else {
            throw LMDBError(.mapFull, operation: "\(operation): a transaction of this process stayed open for 30 s", path: path)
        }
        defer { gate.leaveExclusive() }
        try body()
    }
}
