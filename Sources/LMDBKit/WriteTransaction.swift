import CLMDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a put treats an existing key and the tree.
public struct PutOptions: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Fail with `.keyExists` instead of replacing an existing value (`MDB_NOOVERWRITE`).
    public static let noOverwrite = PutOptions(rawValue: UInt32(MDB_NOOVERWRITE))
    /// The key sorts after every key in the database: skip the search and fill pages completely,
    /// for sorted bulk loads (`MDB_APPEND`). A key out of order fails with `.keyExists`.
    public static let append = PutOptions(rawValue: UInt32(MDB_APPEND))
}

/// Records `MDB_MAP_FULL` so `Environment.write` can grow the map and retry, then throws.
///
/// The environment is an autoclosure so that the success path does not retain it: cursors hold
/// it `unowned(unsafe)`, and a strong copy per put showed up in the materialization profile.
@inline(__always)
func checkWrite(_ rc: Int32, _ operation: @autoclosure () -> String, environment: @autoclosure () -> Environment) throws(LMDBError) {
    guard rc != 0 else { return }
    try writeFailed(rc, operation(), environment())
}

@inline(never)
private func writeFailed(_ rc: Int32, _ operation: String, _ environment: Environment) throws(LMDBError) {
    if rc == MDB_MAP_FULL { environment.writerHitMapFull = true }
    if rc == EACCES { throw LMDBError(.readOnly, operation: operation, path: environment.path) }
    throw LMDBError(returnCode: rc, operation: operation, path: environment.path)
}

extension WriteTransaction {
    private var environment: Environment { handle.environment }

    /// Stores `value` under `key`, replacing any existing value unless `options` say otherwise.
    /// - Throws: `.keyExists` with `.noOverwrite` or an out-of-order `.append`; `.badValueSize`
    ///   for an empty key or one longer than 511 bytes; `.mapFull` (after which `write` grows the
    ///   map and runs the closure again).
    public func put(
        _ value: UnsafeRawBufferPointer,
        for key: UnsafeRawBufferPointer,
        in database: Database,
        options: PutOptions = []
    ) throws(LMDBError) {
        let rc = withMDBValue(key) { key in
            withMDBValue(value) { value in
                mdb_put(handle.pointer, database.id, &key, &value, options.rawValue)
            }
        }
        try checkWrite(rc, "mdb_put", environment: environment)
    }

    /// Stores `value` under `key`; see the overload above.
    public func put(_ value: [UInt8], for key: [UInt8], in database: Database, options: PutOptions = []) throws(LMDBError) {
        let rc = key.withUnsafeBytes { key in
            value.withUnsafeBytes { value in
                withMDBValue(key) { key in
                    withMDBValue(value) { value in
                        mdb_put(handle.pointer, database.id, &key, &value, options.rawValue)
                    }
                }
            }
        }
        try checkWrite(rc, "mdb_put", environment: environment)
    }

    /// Reserves `length` bytes for `key` and lends them to `fill` to write the value in place,
    /// saving a copy for values assembled piece by piece (`MDB_RESERVE`).
    ///
    /// - Warning: The buffer is valid only inside `fill`, and `fill` must write every byte.
    public func put(
        reservingLength length: Int,
        for key: UnsafeRawBufferPointer,
        in database: Database,
        options: PutOptions = [],
        fill: (UnsafeMutableRawBufferPointer) throws -> Void
    ) throws {
        var value = MDB_val(mv_size: length, mv_data: nil)
        let rc = withMDBValue(key) { key in
            mdb_put(handle.pointer, database.id, &key, &value, options.rawValue | UInt32(MDB_RESERVE))
        }
        try checkWrite(rc, "mdb_put(reserve)", environment: environment)
        try fill(UnsafeMutableRawBufferPointer(start: value.mv_data, count: length))
    }

    /// Removes `key`; returns whether it was there.
    @discardableResult
    public func delete(_ key: UnsafeRawBufferPointer, in database: Database) throws(LMDBError) -> Bool {
        let rc = withMDBValue(key) { mdb_del(handle.pointer, database.id, &$0, nil) }
        if rc == MDB_NOTFOUND { return false }
        try checkWrite(rc, "mdb_del", environment: environment)
        return true
    }

    /// Removes `key`; returns whether it was there.
    @discardableResult
    public func delete(_ key: [UInt8], in database: Database) throws -> Bool {
        try key.withUnsafeBytes { try delete($0, in: database) }
    }

    /// Removes every entry of `database` and keeps the database.
    public func clear(_ database: Database) throws(LMDBError) {
        try checkWrite(mdb_drop(handle.pointer, database.id, 0), "mdb_drop(clear)", environment: environment)
    }

    /// Deletes `database` and its name. The handle must not be used afterwards.
    public func drop(_ database: Database) throws(LMDBError) {
        try checkWrite(mdb_drop(handle.pointer, database.id, 1), "mdb_drop(delete)", environment: environment)
        environment.forgetDatabase(database)
    }

    /// The database called `name`, created if needed. Its creation commits with this transaction.
    public func createDatabase(named name: String) throws(LMDBError) -> Database {
        try environment.openDatabase(named: name, create: true, inWrite: handle.pointer)!
    }
}

extension Environment {
    func forgetDatabase(_ database: Database) {
        databaseLock.withLock {
            databases = databases.filter { $0.value != database }
            pendingDatabases = pendingDatabases.filter { $0.value != database }
        }
    }
}
