import CLMDB

/// The identity of a live LMDB transaction. Only LMDBKit can make one.
///
/// A type that wraps a lent transaction (a session of a higher layer) may conform to
/// ``ReadableTransactionProtocol`` by keeping its handle, and so read with the same API.
/// - Warning: Valid only inside the closure that lent the transaction; never keep it longer.
public struct TransactionHandle {
    @usableFromInline let pointer: OpaquePointer
    @usableFromInline unowned(unsafe) let environment: Environment
}

/// What every transaction can do: point reads, zero-copy reads and cursors.
///
/// ``ReadTransaction`` and ``WriteTransaction`` conform, so code that only reads takes
/// `borrowing some ReadableTransaction` and works inside either. Transactions are non-copyable
/// and only exist inside the closure that `read` or `write` lends them to.
public protocol ReadableTransactionProtocol: ~Copyable {
    var handle: TransactionHandle { get }
}

/// Any transaction, read or write, as a parameter type: `borrowing some ReadableTransaction`.
public typealias ReadableTransaction = ReadableTransactionProtocol & ~Copyable

/// A read-only view of one committed state of the environment, lent by ``Environment/read(_:)``.
public struct ReadTransaction: ReadableTransactionProtocol, ~Copyable {
    public let handle: TransactionHandle
}

/// The environment's single writer, lent by ``Environment/write(_:)``. Commits when the
/// closure returns, aborts when it throws.
public struct WriteTransaction: ReadableTransactionProtocol, ~Copyable {
    public let handle: TransactionHandle
}

@inline(__always)
func withMDBValue<R>(_ bytes: UnsafeRawBufferPointer, _ body: (inout MDB_val) throws -> R) rethrows -> R {
    var value = MDB_val(mv_size: bytes.count, mv_data: UnsafeMutableRawPointer(mutating: bytes.baseAddress))
    return try body(&value)
}

extension ReadableTransactionProtocol where Self: ~Copyable {
    /// The directory of the transaction's environment, for error messages.
    public var path: String { handle.environment.path }

    /// The transaction id (`mdb_txn_id`): the committed state this transaction sees.
    public var id: Int { mdb_txn_id(handle.pointer) }

    /// Lends the stored bytes for `key` to `body` without copying them, or returns `nil` when the
    /// key is absent.
    ///
    /// Inlinable because it is the online hot path: the benchmark showed the cross-module call
    /// and its unspecialized generic closure cost as much as the B-tree lookup itself.
    /// - Warning: The buffer points into the memory map. It is valid only inside `body`: do not
    ///   store it or return it. Copy what you need to keep.
    @inlinable
    public func withValue<R>(
        for key: UnsafeRawBufferPointer,
        in database: Database,
        _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R? {
        var keyValue = MDB_val(mv_size: key.count, mv_data: UnsafeMutableRawPointer(mutating: key.baseAddress))
        var value = MDB_val()
        let rc = mdb_get(handle.pointer, database.id, &keyValue, &value)
        if rc == MDB_NOTFOUND { return nil }
        if rc != 0 { throw LMDBError(returnCode: rc, operation: "mdb_get", path: handle.environment.path) }
        return try body(UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size))
    }

    /// Lends the stored bytes for `key` to `body` without copying them; see the overload above.
    public func withValue<R>(
        for key: [UInt8],
        in database: Database,
        _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R? {
        try key.withUnsafeBytes { try withValue(for: $0, in: database, body) }
    }

    /// A copy of the bytes stored for `key`, or `nil` when the key is absent.
    public func value(for key: [UInt8], in database: Database) throws -> [UInt8]? {
        try withValue(for: key, in: database) { Array($0) }
    }

    /// Whether `key` is present.
    public func contains(_ key: [UInt8], in database: Database) throws -> Bool {
        try withValue(for: key, in: database) { _ in true } ?? false
    }

    /// The shape of `database`'s B-tree as this transaction sees it.
    public func statistics(of database: Database) throws(LMDBError) -> DatabaseStatistics {
        var raw = MDB_stat()
        try check(mdb_stat(handle.pointer, database.id, &raw), "mdb_stat", path: path)
        return DatabaseStatistics(raw)
    }

    /// Lends a cursor over `database` to `body`; the cursor closes when `body` returns.
    public func withCursor<R>(on database: Database, _ body: (borrowing Cursor) throws -> R) throws -> R {
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(handle.pointer, database.id, &cursor), "mdb_cursor_open", path: path)
        guard let cursor else { throw LMDBError(.badTransaction, operation: "mdb_cursor_open", path: path) }
        defer { mdb_cursor_close(cursor) }
        return try body(Cursor(pointer: cursor, environment: handle.environment))
    }
}
