import CLMDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A named database (a B-tree) inside an environment.
///
/// A handle is a small integer valid for the life of the environment once the transaction that
/// created it has committed. Get one with ``Environment/database(named:)`` or
/// ``WriteTransaction/createDatabase(named:)``.
public struct Database: Sendable, Hashable {
    @usableFromInline let id: UInt32

    init(id: UInt32) { self.id = id }
}

extension Environment {
    /// The existing database called `name`, or `nil` when there is none.
    ///
    /// Handles are cached, so this costs a dictionary lookup after the first call.
    ///
    /// - Warning: LMDB does not let a transaction use a handle opened after it began. Get the
    ///   handles you need before `read`; inside `write` this opens the handle in the write
    ///   transaction itself, so it is usable there.
    public func database(named name: String) throws(LMDBError) -> Database? {
        let (cached, writer) = databaseLock.withLock { (databases[name], self.writer) }
        if let cached { return cached }
        if let writer, pthread_equal(writer.thread, pthread_self()) != 0 {
            return try openDatabase(named: name, create: false, inWrite: writer.transaction)
        }
        databaseOpenLock.lock()
        defer { databaseOpenLock.unlock() }
        if let cached = databaseLock.withLock({ databases[name] }) { return cached }
        // A handle opened in a read transaction joins the environment when that transaction
        // commits (a read-only commit just releases it), and is closed if it aborts.
        gate.enterShared()
        defer { gate.leaveShared() }
        var txn: OpaquePointer?
        try check(mdb_txn_begin(handle, nil, UInt32(MDB_RDONLY), &txn), "mdb_txn_begin", path: path)
        var dbi: MDB_dbi = 0
        let rc = mdb_dbi_open(txn, name, 0, &dbi)
        if rc == MDB_NOTFOUND {
            mdb_txn_abort(txn)
            return nil
        }
        guard rc == 0 else {
            mdb_txn_abort(txn)
            throw LMDBError(returnCode: rc, operation: "mdb_dbi_open(\(name))", path: path)
        }
        try check(mdb_txn_commit(txn), "mdb_txn_commit", path: path)
        let database = Database(id: dbi)
        databaseLock.withLock { databases[name] = database }
        return database
    }

    /// Opens `name` inside the running write transaction; the handle is published on commit.
    func openDatabase(named name: String, create: Bool, inWrite transaction: OpaquePointer) throws(LMDBError) -> Database? {
        var dbi: MDB_dbi = 0
        let rc = mdb_dbi_open(transaction, name, create ? UInt32(MDB_CREATE) : 0, &dbi)
        if rc == MDB_NOTFOUND, !create { return nil }
        try checkWrite(rc, "mdb_dbi_open(\(name))", environment: self)
        let database = Database(id: dbi)
        databaseLock.withLock { pendingDatabases[name] = database }
        return database
    }

    /// The database called `name`, created in its own write transaction if it does not exist.
    public func createDatabase(named name: String) throws -> Database {
        if let existing = try database(named: name) { return existing }
        return try write { txn in try txn.createDatabase(named: name) }
    }
}
