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
    /// Keys and rows, back to back. Raw memory rather than an array: three appends per row
    /// through `Array.append(contentsOf:)` cost more than the copies themselves.
    private var arena: UnsafeMutableRawPointer
    private var capacity: Int
    private var used = 0

    init(snapshot: UInt64) {
        self.snapshot = snapshot
        capacity = 1 << 16
        arena = .allocate(byteCount: capacity, alignment: 8)
    }

    deinit { arena.deallocate() }

    var count: Int { entries.count }

    mutating func removeAll() {
        used = 0
        entries.removeAll(keepingCapacity: true)
    }

    /// Adds a row: the entity key, its times, and the row.
    mutating func append(entity: UnsafeRawBufferPointer, eventTime: Int64, createdTime: Int64, row: UnsafeRawBufferPointer) {
        let keyLength = HistoryKey.length(entityLength: entity.count)
        reserve(keyLength + row.count)
        let keyStart = used
        let key = UnsafeMutableRawBufferPointer(start: arena + keyStart, count: keyLength)
        if let base = entity.baseAddress { key.baseAddress!.copyMemory(from: base, byteCount: entity.count) }
        HistoryKey.writeSuffix(eventTime: eventTime, createdTime: createdTime, snapshot: snapshot, entityLength: entity.count, into: key)
        // The key is at least 24 bytes (times and snapshot), so there are always 8 to load.
        let leadingBytes = UInt64(bigEndian: key.loadUnaligned(as: UInt64.self))
        let valueStart = keyStart + keyLength
        if let base = row.baseAddress { (arena + valueStart).copyMemory(from: base, byteCount: row.count) }
        used = valueStart + row.count
        entries.append(Entry(keyStart: keyStart, entityLength: entity.count, valueStart: valueStart, valueLength: row.count,
                             eventTime: eventTime, createdTime: createdTime, leadingBytes: leadingBytes, sequence: entries.count))
    }

    /// Sorts by history key, then input order (all keys of a batch end in the same snapshot).
    mutating func sort() {
        let bytes = UnsafeRawBufferPointer(start: arena, count: used)
        entries.sort { a, b in
            if a.leadingBytes != b.leadingBytes { return a.leadingBytes < b.leadingBytes }
            let order = compareBytes(UnsafeRawBufferPointer(rebasing: bytes[a.keyStart + 8..<a.keyStart + a.entityLength + 24]),
                                     UnsafeRawBufferPointer(rebasing: bytes[b.keyStart + 8..<b.keyStart + b.entityLength + 24]))
            return order != 0 ? order < 0 : a.sequence < b.sequence
        }
    }

    /// Lends the arena, from which `Entry.bytes(in:)` cuts each row's parts.
    func withArena<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: arena, count: used))
    }

    private mutating func reserve(_ byteCount: Int) {
        guard used + byteCount > capacity else { return }
        var larger = capacity * 2
        while used + byteCount > larger { larger *= 2 }
        let grown = UnsafeMutableRawPointer.allocate(byteCount: larger, alignment: 8)
        grown.copyMemory(from: arena, byteCount: used)
        arena.deallocate()
        arena = grown
        capacity = larger
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
