/// Prepared rows of one view, packed in one buffer and sorted by history key before writing,
/// so the B-tree is walked in order (a sorted batch touches each page once).
///
/// Each row's complete history key (entity ‖ event ‖ created ‖ snapshot) is stored, so writing
/// builds no key: the writer hands LMDB the bytes in place.
struct RowBatch: ~Copyable {
    struct Entry {
        var keyStart: Int
        /// Entity key length; the history key is entity ‖ event ‖ created ‖ snapshot (+24 bytes).
        var entityLength: Int
        var valueStart: Int
        var valueLength: Int
        var eventTime: Int64
        var createdTime: Int64
        /// The key's first 8 bytes as a big-endian number: most comparisons end here, without
        /// a call to memcmp.
        var leadingBytes: UInt64
        /// Input order, so that among identical keys the later row wins, deterministically.
        var sequence: Int
    }

    /// The run's snapshot id, the last part of every history key.
    let snapshot: UInt64
    private(set) var entries: [Entry] = []
    /// Keys and rows, back to back, each key built in place. (Three appends per row through
    /// `Array.append(contentsOf:)` cost more than the copies themselves.)
    private var arena = GrowableBytes(capacity: 1 << 16)

    init(snapshot: UInt64) {
        self.snapshot = snapshot
    }

    var count: Int { entries.count }

    mutating func removeAll() {
        arena.removeAll()
        entries.removeAll(keepingCapacity: true)
    }

    /// Whether the last row added has this entity and these times: rows of one key must go in
    /// one batch, where the last of them wins and only it is compared with what is stored.
    func endsWith(entity: UnsafeRawBufferPointer, eventTime: Int64, createdTime: Int64) -> Bool {
        guard let last = entries.last, last.eventTime == eventTime, last.createdTime == createdTime,
              last.entityLength == entity.count else { return false }
        return arena.withBytes { equalBytes(last.bytes(in: $0).entity, entity) }
    }

    /// Moves the rows, in the order they were added, to `sorter`, numbered from `firstSequence`
    /// where the snapshot id goes (see `RowParser.append(to:sequence:)`); returns the next
    /// number.
    mutating func moveRows(to sorter: ExternalSorter, firstSequence: UInt64) throws -> UInt64 {
        var sequence = firstSequence
        var key = GrowableBytes(capacity: KeyEncoding.maxKeyLength)
        try arena.withBytes { bytes in
            for entry in entries {
                let (stored, _, _, row) = entry.bytes(in: bytes)
                key.removeAll()
                key.append(stored)
                HistoryKey.storeSnapshot(sequence, into: UnsafeMutableRawBufferPointer(start: key.base, count: key.count))
                try key.withBytes { try sorter.append(key: $0, payload: row) }
                sequence += 1
            }
        }
        removeAll()
        return sequence
    }

    /// Adds a row: the entity key, its times, and the row.
    mutating func append(entity: UnsafeRawBufferPointer, eventTime: Int64, createdTime: Int64, row: UnsafeRawBufferPointer) {
        let keyLength = HistoryKey.length(entityLength: entity.count)
        arena.reserve(keyLength + row.count)
        let keyStart = arena.count
        let key = UnsafeMutableRawBufferPointer(rebasing: arena.spare[..<keyLength])
        if let base = entity.baseAddress { key.baseAddress!.copyMemory(from: base, byteCount: entity.count) }
        HistoryKey.writeSuffix(eventTime: eventTime, createdTime: createdTime, snapshot: snapshot, entityLength: entity.count, into: key)
        let leadingBytes = HistoryKey.leadingBytes(UnsafeRawBufferPointer(key))
        arena.didAppend(keyLength)
        let valueStart = arena.count
        arena.append(row)
        entries.append(Entry(keyStart: keyStart, entityLength: entity.count, valueStart: valueStart, valueLength: row.count,
                             eventTime: eventTime, createdTime: createdTime, leadingBytes: leadingBytes, sequence: entries.count))
    }

    /// Sorts by history key, then input order (all keys of a batch end in the same snapshot).
    mutating func sort() {
        // Not through `withBytes`: the sort changes `entries`, another part of self.
        let bytes = UnsafeRawBufferPointer(start: arena.base, count: arena.count)
        entries.sort { a, b in
            if a.leadingBytes != b.leadingBytes { return a.leadingBytes < b.leadingBytes }
            let order = compareBytes(a.bytes(in: bytes).key, b.bytes(in: bytes).key)
            return order != 0 ? order < 0 : a.sequence < b.sequence
        }
    }

    /// Lends the arena, from which `Entry.bytes(in:)` cuts each row's parts.
    func withArena<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try arena.withBytes(body)
    }
}

extension RowBatch.Entry {
    /// The history key, its prefix without the snapshot, the entity key and the row, in `arena`.
    @inline(__always)
    func bytes(in arena: UnsafeRawBufferPointer) -> (key: UnsafeRawBufferPointer, prefix: UnsafeRawBufferPointer, entity: UnsafeRawBufferPointer, row: UnsafeRawBufferPointer) {
        let key = UnsafeRawBufferPointer(rebasing: arena[keyStart..<keyStart + HistoryKey.length(entityLength: entityLength)])
        return (key, HistoryKey.withoutSnapshot(key),
                UnsafeRawBufferPointer(rebasing: arena[keyStart..<keyStart + entityLength]),
                UnsafeRawBufferPointer(rebasing: arena[valueStart..<valueStart + valueLength]))
    }
}
