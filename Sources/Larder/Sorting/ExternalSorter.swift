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
        // Owner-only, like everything Larder writes unless asked otherwise: spills hold entity keys.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw TemporaryFileError(path: path, reason: "cannot create it: " + String(cString: strerror(errno)))
        }
        let file = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        runs.append(path)
        defer { try? file.close() }
        var buffer = GrowableBytes(capacity: 1 << 20)
        func flush() throws {
            do { try buffer.withBytes { try file.write(contentsOf: $0) } } catch { throw TemporaryFileError(path: path, doing: "write it", error) }
            buffer.removeAll()
        }
        try produce { key, payload in
            buffer.append(atMost: 8) { out in
                UnsafeMutableRawPointer(out).storeBytes(of: UInt32(key.count).littleEndian, as: UInt32.self)
                UnsafeMutableRawPointer(out + 4).storeBytes(of: UInt32(payload.count).littleEndian, as: UInt32.self)
                return 8
            }
            buffer.append(key)
            buffer.append(payload)
            if buffer.count >= 1 << 20 { try flush() }
        }
        try flush()
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
