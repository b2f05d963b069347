import Foundation

/// Sorts (key, payload) records by key bytes within a memory budget: records accumulate in
/// one buffer; past the budget they are sorted and written to a run file; at the end the runs
/// are merged. With little data nothing touches the disk.
final class ExternalSorter {
    private let budget: Int
    private let directory: String
    private let pool: BufferPool
    // Appended to once per record: the runtime's exclusivity checks on class properties would
    // cost more than the append (no access to them escapes this class).
    @exclusivity(unchecked) private var arena: [UInt8] = []
    /// The records, in a buffer from the pool, taken at the first append.
    @exclusivity(unchecked) private var records: UnsafeMutablePointer<SortRecord>?
    @exclusivity(unchecked) private var count = 0
    /// The length of every key, while the records hold them whole (see `RecordLayout`); -1 once
    /// they are in the arena, `Int.min` before the first record. An integer, so that the
    /// common append is decided by one comparison.
    @exclusivity(unchecked) private var inlineKeyLength = Int.min

    private var layout: RecordLayout { inlineKeyLength >= 0 ? .inline(keyLength: inlineKeyLength) : .arena }
    private var runs: [String] = []

    /// Buffers come from `pool` (the join's, shared with its other phases) or one of the
    /// sorter's own; either way the records spill at the budget or when their buffer is full.
    init(budget: Int, directory: String, pool: BufferPool? = nil) {
        self.budget = max(budget, 1 << 16)
        self.directory = directory
        self.pool = pool ?? BufferPool(budget: budget)
    }

    deinit {
        if let records { pool.give(UnsafeMutableRawPointer(records)) }
        for run in runs { try? FileManager.default.removeItem(atPath: run) }
    }

    /// How many runs went to disk (for tests and reports).
    var spilledRuns: Int { runs.count }

    private var capacity: Int { pool.bufferSize / MemoryLayout<SortRecord>.stride }

    func append(key: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer) throws {
        var records = try recordsWithRoom()
        if inlineKeyLength == Int.min, payload.isEmpty, key.count <= 24 { inlineKeyLength = key.count }
        if key.count == inlineKeyLength, payload.isEmpty {
            (records + count).initialize(to: SortRecord(inline: key))
        } else {
            if inlineKeyLength >= 0 {
                // The keys so far move to the arena, within the budget: past it, they go to
                // disk first, as they are (runs carry their own lengths).
                let moved = count * (8 + inlineKeyLength) + (count + 1) * MemoryLayout<SortRecord>.stride + 8 + key.count + payload.count
                if arena.count + moved > budget {
                    try spill()
                    records = try recordsWithRoom()  // The sort may have swapped buffers.
                }
                moveKeysToArena(records)
            }
            inlineKeyLength = -1
            (records + count).initialize(to: SortRecord(prefix: KeyPrefix(key), word: appendToArena(key: key, payload: payload)))
        }
        count += 1
        if arena.count + count * MemoryLayout<SortRecord>.stride > budget { try spill() }
    }

    /// Writes the keys of the records so far into the arena, for a record that cannot be held
    /// inline: from then on every key is there.
    private func moveKeysToArena(_ records: UnsafeMutablePointer<SortRecord>) {
        let none = UnsafeRawBufferPointer(start: nil, count: 0)
        for index in 0..<count {
            records[index].word = records[index].withKey(layout, in: none) { appendToArena(key: $0, payload: none) }
        }
    }

    /// Writes one arena entry (see `RecordLayout`); returns its offset.
    private func appendToArena(key: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer) -> UInt64 {
        if arena.capacity == 0 { arena.reserveCapacity(min(budget, 1 << 30)) }
        let offset = arena.count
        withUnsafeBytes(of: (UInt32(key.count).littleEndian, UInt32(payload.count).littleEndian)) { arena.append(contentsOf: $0) }
        arena.append(contentsOf: key)
        arena.append(contentsOf: payload)
        return UInt64(offset)
    }

    func append(key: UnsafeRawBufferPointer) throws {
        try append(key: key, payload: UnsafeRawBufferPointer(start: nil, count: 0))
    }

    /// The records buffer with room for one more, spilling first when it is full.
    @inline(__always)
    private func recordsWithRoom() throws -> UnsafeMutablePointer<SortRecord> {
        if count == capacity { try spill() }
        if let records = self.records { return records }
        let records = pool.take().bindMemory(to: SortRecord.self, capacity: capacity)
        self.records = records
        return records
    }

    /// Sorts the records, which may move them to a scratch buffer from the pool; the other
    /// buffer goes back.
    private func sortInMemory() {
        guard let records, count > 1 else { return }
        let scratch = pool.take().bindMemory(to: SortRecord.self, capacity: capacity)
        let (all, spare) = (UnsafeMutableBufferPointer(start: records, count: count), UnsafeMutableBufferPointer(start: scratch, count: count))
        let inScratch: Bool
        if case .inline = layout {
            // Keys of one length, equal in their first 16 bytes: the next 8 decide.
            inScratch = radixSort(all, scratch: spare) { $0.word < $1.word }
        } else {
            inScratch = arena.withUnsafeBytes { bytes in
                radixSort(all, scratch: spare) { left, right in
                    left.withKey(.arena, in: bytes) { left in right.withKey(.arena, in: bytes) { right in compareAfterPrefix(left, right) < 0 } }
                }
            }
        }
        pool.give(UnsafeMutableRawPointer(inScratch ? records : scratch))
        if inScratch { self.records = scratch }
    }

    private func spill() throws {
        sortInMemory()
        if let records {
            try writeRun { write in
                let layout = layout
                try arena.withUnsafeBytes { bytes in
                    for record in UnsafeBufferPointer(start: records, count: count) {
                        try record.withKey(layout, in: bytes) { key in try write(key, record.payload(layout, in: bytes)) }
                    }
                }
            }
        }
        // The buffers stay: the next run reuses their pages.
        arena.removeAll(keepingCapacity: true)
        count = 0
    }

    /// Writes records that `produce` hands over already in key order straight to a run file,
    /// merged with the others at the end: for data that arrives sorted and would only take
    /// memory here.
    func appendSortedRun(_ produce: (_ write: (_ key: UnsafeRawBufferPointer, _ payload: UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        try writeRun(produce)
    }

    /// A run file: each record as its key length and payload length (4 bytes each,
    /// little-endian), then its key and payload bytes.
    private func writeRun(_ produce: (_ write: (_ key: UnsafeRawBufferPointer, _ payload: UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let path = directory + "/larder-sort-\(UUID().uuidString).run"
        guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
            throw SourceError(file: path, line: 0, column: nil, reason: "cannot create a temporary sort file")
        }
        runs.append(path)
        defer { try? file.close() }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        try produce { key, payload in
            withUnsafeBytes(of: UInt32(key.count).littleEndian) { buffer.append(contentsOf: $0) }
            withUnsafeBytes(of: UInt32(payload.count).littleEndian) { buffer.append(contentsOf: $0) }
            buffer.append(contentsOf: key)
            buffer.append(contentsOf: payload)
            if buffer.count >= 1 << 20 {
                try file.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try file.write(contentsOf: buffer)
    }

    /// A reader that hands out the records in key order, one call at a time.
    func sortedReader() throws -> SortedReader {
        // The records move to the reader (or to disk): a sorter is read once, and keeping a
        // second copy would double its memory.
        defer {
            arena = []
            count = 0
        }
        if runs.isEmpty {
            sortInMemory()
            let reader = SortedReader(arena: arena, records: records, count: count, layout: layout, pool: pool)
            records = nil
            return reader
        }
        if count > 0 { try spill() }
        if let records { pool.give(UnsafeMutableRawPointer(records)) }
        records = nil
        return SortedReader(runs: try runs.map { try RunReader(path: $0) })
    }

}

/// Where a sorter's records hold their keys: whole in the record, when every key has the same
/// length, at most 24 bytes, and no payload (a join lookup with an int64 entity: entity ‖ time
/// ‖ row number); otherwise in the arena, each as its key and payload lengths (4 bytes each,
/// little-endian), then its key and payload bytes.
enum RecordLayout: Equatable {
    case inline(keyLength: Int)
    case arena
}

/// A record: its key's first 16 bytes, and either the key's bytes 16..<24 or its place in the
/// arena (see `RecordLayout`). The join's keys (an int64 entity and a time, or a row number)
/// are ordered by the prefix alone, without touching the arena; 24 bytes a record, so a million
/// lookups take 24 MB.
struct SortRecord {
    var prefix: KeyPrefix
    /// Inline: the key's bytes 16..<24 as a big-endian integer (zero-padded), so that integer
    /// order is byte order. In the arena: the offset of the record's entry.
    var word: UInt64

    init(prefix: KeyPrefix, word: UInt64) {
        self.prefix = prefix
        self.word = word
    }

    @inline(__always)
    init(inline key: UnsafeRawBufferPointer) {
        prefix = KeyPrefix(key)
        var tail: UInt64 = 0
        if key.count > 16 {
            withUnsafeMutableBytes(of: &tail) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: key[16...])) }
        }
        word = UInt64(bigEndian: tail)
    }

    /// Lends the key's bytes: from the record itself, or from `arena`.
    @inline(__always)
    func withKey<R>(_ layout: RecordLayout, in arena: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard case .inline(let keyLength) = layout else {
            let start = Int(word)
            let keyLength = Int(UInt32(littleEndian: arena.loadUnaligned(fromByteOffset: start, as: UInt32.self)))
            return try body(UnsafeRawBufferPointer(rebasing: arena[start + 8..<start + 8 + keyLength]))
        }
        var bytes = (prefix.high.bigEndian, prefix.low.bigEndian, word.bigEndian)
        return try withUnsafeBytes(of: &bytes) { try body(UnsafeRawBufferPointer(rebasing: $0[..<keyLength])) }
    }

    func payload(_ layout: RecordLayout, in arena: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard case .arena = layout else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let start = Int(word)
        let keyLength = Int(UInt32(littleEndian: arena.loadUnaligned(fromByteOffset: start, as: UInt32.self)))
        let payloadLength = Int(UInt32(littleEndian: arena.loadUnaligned(fromByteOffset: start + 4, as: UInt32.self)))
        return UnsafeRawBufferPointer(rebasing: arena[start + 8 + keyLength..<start + 8 + keyLength + payloadLength])
    }
}

/// The first 16 bytes of a key as two big-endian integers, zero-padded: comparing prefixes
/// orders keys as their bytes would, unless the prefixes are equal.
struct KeyPrefix: Comparable {
    let high: UInt64
    let low: UInt64

    @inline(__always)
    init(_ key: UnsafeRawBufferPointer) {
        if key.count >= 16 {
            high = UInt64(bigEndian: key.loadUnaligned(as: UInt64.self))
            low = UInt64(bigEndian: key.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            return
        }
        var padded: (UInt64, UInt64) = (0, 0)
        if !key.isEmpty { withUnsafeMutableBytes(of: &padded) { $0.copyMemory(from: key) } }
        high = UInt64(bigEndian: padded.0)
        low = UInt64(bigEndian: padded.1)
    }

    @inline(__always)
    static func < (left: KeyPrefix, right: KeyPrefix) -> Bool {
        left.high != right.high ? left.high < right.high : left.low < right.low
    }
}

/// Orders two keys with equal prefixes: by the bytes after the first 16, then by length.
@inline(__always)
private func compareAfterPrefix(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Int {
    if left.count <= 16 || right.count <= 16 { return left.count - right.count }
    return compareBytes(UnsafeRawBufferPointer(rebasing: left[16...]), UnsafeRawBufferPointer(rebasing: right[16...]))
}

/// Records in key order, pulled one at a time: from memory, or merged from run files.
final class SortedReader {
    private let arena: [UInt8]
    /// In memory: the sorted records, in a buffer given back to `pool` at the end.
    private let records: UnsafeMutablePointer<SortRecord>?
    private let count: Int
    private let layout: RecordLayout
    private let pool: BufferPool?
    private var position = 0
    private let runs: [RunReader]
    /// Records before this one have been warmed up (see `warmUp`).
    private var warmedUpTo = 0
    /// Where the warm-up loads go, so that they are not optimized away.
    private var touched: UInt8 = 0

    fileprivate init(arena: [UInt8], records: UnsafeMutablePointer<SortRecord>?, count: Int, layout: RecordLayout, pool: BufferPool) {
        self.arena = arena
        self.records = records
        self.count = records == nil ? 0 : count
        self.layout = layout
        self.pool = pool
        self.runs = []
    }

    init(runs: [RunReader]) {
        self.arena = []
        self.records = nil
        self.count = 0
        self.layout = .arena
        self.pool = nil
        self.runs = runs
    }

    deinit {
        if let records { pool?.give(UnsafeMutableRawPointer(records)) }
    }

    /// Calls `body` with every record left, in key order (ties keep no particular order: make
    /// keys unique where order matters).
    func forEach(_ body: (_ key: UnsafeRawBufferPointer, _ payload: UnsafeRawBufferPointer) throws -> Void) throws {
        guard runs.isEmpty, let records else {
            while try next(body) != nil {}
            return
        }
        // In memory: the arena lent once for all the records, not once per record.
        let layout = layout
        try arena.withUnsafeBytes { bytes in
            while position < count {
                if position == warmedUpTo { warmUp(records) }
                let record = records[position]
                try record.withKey(layout, in: bytes) { key in try body(key, record.payload(layout, in: bytes)) }
                position += 1
            }
        }
    }

    /// Lends the next record to `body` (its bytes are valid only inside) and moves past it, or
    /// returns nil at the end.
    func next<R>(_ body: (_ key: UnsafeRawBufferPointer, _ payload: UnsafeRawBufferPointer) throws -> R) throws -> R? {
        guard let result = try peek(body) else { return nil }
        if runs.isEmpty {
            position += 1
        } else {
            try smallestRun()?.advance()
        }
        return result
    }

    /// Lends the next record to `body` without moving past it, or returns nil at the end.
    func peek<R>(_ body: (_ key: UnsafeRawBufferPointer, _ payload: UnsafeRawBufferPointer) throws -> R) throws -> R? {
        if runs.isEmpty {
            guard position < count, let records else { return nil }
            if position == warmedUpTo { warmUp(records) }
            let record = records[position]
            return try arena.withUnsafeBytes { bytes in
                try record.withKey(layout, in: bytes) { key in try body(key, record.payload(layout, in: bytes)) }
            }
        }
        guard let reader = smallestRun() else { return nil }
        return try body(reader.currentKey, reader.currentPayload)
    }

    /// Touches the bytes of the next records, one load each, in a loop with nothing else to
    /// do: the records lie scattered over the arena (sorting moved only their places), so each
    /// is a cache miss, and misses issued together overlap where ones met one at a time, amid
    /// the caller's work, do not. It took the join benchmark from 2.5 s to 1.7 s.
    private func warmUp(_ records: UnsafeMutablePointer<SortRecord>) {
        let end = min(count, warmedUpTo + 64)
        guard case .arena = layout else {
            warmedUpTo = count  // Inline keys: nothing to fetch.
            return
        }
        var sum: UInt8 = 0
        arena.withUnsafeBytes { bytes in
            for index in warmedUpTo..<end {
                let start = Int(records[index].word)
                // The lengths' low bytes: the end of a short entry (most are), somewhere in a long one.
                let length = 8 + Int(bytes[start]) + Int(bytes[start + 4])
                sum &+= bytes[start] &+ bytes[min(start + length, bytes.count) - 1]
            }
        }
        warmedUpTo = end
        touched &+= sum
    }

    /// The run whose current record comes first.
    private func smallestRun() -> RunReader? {
        var smallest: RunReader?
        for reader in runs where reader.hasCurrent {
            guard let best = smallest else { smallest = reader; continue }
            if reader.currentPrefix < best.currentPrefix
                || (reader.currentPrefix == best.currentPrefix && compareAfterPrefix(reader.currentKey, best.currentKey) < 0) {
                smallest = reader
            }
        }
        return smallest
    }
}

/// Reads a run file record by record through a buffer it owns; the current record is lent
/// straight from that buffer, valid until the next `advance()`.
final class RunReader {
    private let file: FileHandle
    private var buffer: UnsafeMutableRawPointer
    private var capacity = 1 << 20
    private var filled = 0
    private var position = 0
    private(set) var hasCurrent = false
    private(set) var currentKey = UnsafeRawBufferPointer(start: nil, count: 0)
    private(set) var currentPayload = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The current key's first 16 bytes, to decide most merge comparisons.
    private(set) var currentPrefix = KeyPrefix(UnsafeRawBufferPointer(start: nil, count: 0))

    init(path: String) throws {
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw SourceError(file: path, line: 0, column: nil, reason: "cannot read a temporary sort file")
        }
        self.file = file
        buffer = .allocate(byteCount: capacity, alignment: 8)
        try advance()
    }

    deinit {
        try? file.close()
        buffer.deallocate()
    }

    /// Makes `count` unread bytes available, reading more of the file; false at its end.
    private func fill(_ count: Int) throws -> Bool {
        while filled - position < count {
            if position > 0 {
                buffer.copyMemory(from: buffer + position, byteCount: filled - position)
                filled -= position
                position = 0
            }
            if count > capacity {
                let larger = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 8)
                larger.copyMemory(from: buffer, byteCount: filled)
                buffer.deallocate()
                buffer = larger
                capacity = count
            }
            guard let chunk = try file.read(upToCount: capacity - filled), !chunk.isEmpty else { return false }
            chunk.withUnsafeBytes { (buffer + filled).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            filled += chunk.count
        }
        return true
    }

    func advance() throws {
        hasCurrent = false
        guard try fill(8) else { return }
        let keyLength = Int(UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
        let payloadLength = Int(UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: position + 4, as: UInt32.self)))
        guard try fill(8 + keyLength + payloadLength) else { return }
        currentKey = UnsafeRawBufferPointer(start: buffer + position + 8, count: keyLength)
        currentPayload = UnsafeRawBufferPointer(start: buffer + position + 8 + keyLength, count: payloadLength)
        currentPrefix = KeyPrefix(currentKey)
        position += 8 + keyLength + payloadLength
        hasCurrent = true
    }
}
