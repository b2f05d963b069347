import CLMDB

/// One key/value pair under a cursor.
///
/// - Warning: Both buffers point into the memory map. In a write transaction they are valid only
///   until the transaction writes; in a read-only one, until the transaction ends (its pages
///   never change: LMDB's `mdb_cursor_get`). Never past the closure that lent the cursor. Copy
///   what you keep.
public struct CursorEntry {
    public let key: UnsafeRawBufferPointer
    public let value: UnsafeRawBufferPointer

    @inlinable init(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        self.key = key
        self.value = value
    }
}

/// A position in one database, lent by a transaction's `withCursor(on:_:)`.
///
/// Every move returns the entry it lands on, or `nil` when there is none.
public struct Cursor: ~Copyable {
    @usableFromInline let pointer: OpaquePointer
    @usableFromInline unowned(unsafe) let environment: Environment

    // The moves are inlinable because the historical join steps a cursor millions of times:
    // called across the module boundary, each step returned its entry through memory, and the
    // caller's wide loads of the narrower stores stalled (store-to-load forwarding failed).
    // Inlined, the join's walk over 5M history rows took 0.26 s instead of 0.30 s.
    @inlinable @inline(__always)
    func move(_ operation: MDB_cursor_op, to target: UnsafeRawBufferPointer? = nil) throws(LMDBError) -> CursorEntry? {
        var key = MDB_val(mv_size: target?.count ?? 0, mv_data: UnsafeMutableRawPointer(mutating: target?.baseAddress))
        var value = MDB_val()
        let rc = mdb_cursor_get(pointer, &key, &value, operation)
        if rc == MDB_NOTFOUND { return nil }
        if rc != 0 { throw LMDBError(returnCode: rc, operation: "mdb_cursor_get", path: environment.path) }
        return CursorEntry(key: UnsafeRawBufferPointer(start: key.mv_data, count: key.mv_size),
                           value: UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size))
    }

    @inlinable @inline(__always) public func first() throws(LMDBError) -> CursorEntry? { try move(MDB_FIRST) }
    @inlinable @inline(__always) public func last() throws(LMDBError) -> CursorEntry? { try move(MDB_LAST) }
    @inlinable @inline(__always) public func next() throws(LMDBError) -> CursorEntry? { try move(MDB_NEXT) }
    @inlinable @inline(__always) public func previous() throws(LMDBError) -> CursorEntry? { try move(MDB_PREV) }
    @inlinable @inline(__always) public func current() throws(LMDBError) -> CursorEntry? { try move(MDB_GET_CURRENT) }

    /// Moves to exactly `key`.
    public func seek(exactly key: UnsafeRawBufferPointer) throws(LMDBError) -> CursorEntry? {
        try move(MDB_SET_KEY, to: key)
    }

    /// Moves to the first key `>=` `key`.
    @inlinable @inline(__always) public func seek(atLeast key: UnsafeRawBufferPointer) throws(LMDBError) -> CursorEntry? {
        try move(MDB_SET_RANGE, to: key)
    }

    /// Moves to the last key `<=` `key`: the point-in-time primitive ("the newest row at or
    /// before this time" when keys end in a big-endian timestamp).
    public func seek(atMost key: UnsafeRawBufferPointer) throws(LMDBError) -> CursorEntry? {
        guard let found = try move(MDB_SET_RANGE, to: key) else { return try last() }
        if found.key.elementsEqual(key) { return found }
        return try previous()
    }

    /// Calls `body` for each entry whose key starts with `prefix`, in key order or (with
    /// `reverse`) backwards, until `body` returns `false`.
    public func forEach(
        prefix: UnsafeRawBufferPointer,
        reverse: Bool = false,
        _ body: (CursorEntry) throws -> Bool
    ) throws {
        var entry: CursorEntry?
        if reverse {
            entry = try lastEntry(withPrefix: prefix)
        } else {
            entry = prefix.isEmpty ? try first() : try seek(atLeast: prefix)
        }
        while let current = entry, current.key.starts(with: prefix) {
            guard try body(current) else { return }
            entry = reverse ? try previous() : try next()
        }
    }

    /// Calls `body` for each entry whose key starts with `prefix`; see the overload above.
    public func forEach(prefix: [UInt8], reverse: Bool = false, _ body: (CursorEntry) throws -> Bool) throws {
        try prefix.withUnsafeBytes { try forEach(prefix: $0, reverse: reverse, body) }
    }

    /// The last entry whose key starts with `prefix`: seek past the prefix's range, step back.
    private func lastEntry(withPrefix prefix: UnsafeRawBufferPointer) throws -> CursorEntry? {
        // The smallest key greater than every key with this prefix: drop trailing 0xFF bytes,
        // then add one to the last byte. No such key exists for an all-0xFF prefix.
        var upper = Array(prefix)
        while let lastByte = upper.last, lastByte == 0xFF { upper.removeLast() }
        guard !upper.isEmpty else { return try last() }
        upper[upper.count - 1] += 1
        let beyond = try upper.withUnsafeBytes { try seek(atLeast: $0) }
        return beyond == nil ? try last() : try previous()
    }

    /// Deletes the entry under the cursor (write transactions only); the cursor then sits on
    /// the following entry, which ``current()`` returns.
    public func deleteCurrent() throws(LMDBError) {
        try checkWrite(mdb_cursor_del(pointer, 0), "mdb_cursor_del", environment: environment)
    }

    /// Stores `value` under `key` through the cursor (write transactions only); with `.append`
    /// this is the fastest sorted bulk load.
    public func put(
        _ value: UnsafeRawBufferPointer,
        for key: UnsafeRawBufferPointer,
        options: PutOptions = []
    ) throws(LMDBError) {
        let rc = withMDBValue(key) { key in
            withMDBValue(value) { value in mdb_cursor_put(pointer, &key, &value, options.rawValue) }
        }
        try checkWrite(rc, "mdb_cursor_put", environment: environment)
    }
}
