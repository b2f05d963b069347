import Foundation

/// Sorts (key, payload) records by key bytes within a memory budget: records accumulate in a
/// buffer; past the budget they are sorted and written to a run file; at the end the runs and
/// the records still in memory are merged. With little data nothing touches the disk.
///
/// With `concurrentSpills`, a full buffer is sorted and written on a worker thread while the
/// caller fills a second one: each holds half the budget, and the caller's parsing and the
/// sort run on two cores. While a spill is written, its sort scratch (24 bytes a record) and
/// a 1 MB write buffer come on top. The join, whose sorters rarely spill and which runs its
/// own phases side by side, keeps one buffer of the whole budget.
///
/// The merge reads every run at once, through a read buffer each sized so that together they
/// take about the budget (64 kB to 1 MB each), and one open file each.
final class ExternalSorter {
    private let budget: Int
    private let directory: String
    private let pool: BufferPool
    private let concurrentSpills: Bool
    /// The bytes the records being filled may take before they spill.
    private let spillThreshold: Int
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
    /// The spill being sorted and written on a worker thread, and the arena it will give back.
    private var spillInFlight: SpillJob?
    private var spareArena: [UInt8] = []

    /// Buffers come from `pool` (the join's, shared with its other phases) or one of the
    /// sorter's own; either way the records spill at the budget or when their buffer is full.
    init(budget: Int, directory: String, pool: BufferPool? = nil, concurrentSpills: Bool = false) {
        self.budget = max(budget, 1 << 16)
        self.directory = directory
        self.pool = pool ?? BufferPool(budget: concurrentSpills ? self.budget / 2 : self.budget)
        self.concurrentSpills = concurrentSpills
        self.spillThreshold = concurrentSpills ? self.budget / 2 : self.budget
    }

    deinit {
        if let spillInFlight, let buffers = try? spillInFlight.finish() {
            pool.give(buffers.recordBuffers.0)
            pool.give(buffers.recordBuffers.1)
        }
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
                if arena.count + moved > spillThreshold {
                    try spill()
                    records = try recordsWithRoom()  // The sort may have swapped buffers.
                }
                moveKeysToArena(records)
            }
            inlineKeyLength = -1
            (records + count).initialize(to: SortRecord(prefix: KeyPrefix(key), word: appendToArena(key: key, payload: payload)))
        }
        count += 1
        if arena.count + count * MemoryLayout<SortRecord>.stride > spillThreshold { try spill() }
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
        if arena.capacity == 0 { arena.reserveCapacity(min(spillThreshold, 1 << 30)) }
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
        let inScratch = sortRecords(records, scratch: scratch, count: count, layout: layout, arena: arena)
        pool.give(UnsafeMutableRawPointer(inScratch ? records : scratch))
        if inScratch { self.records = scratch }
    }

    /// Hands the records and the arena to a spill job, which sorts them and writes a run file,
    /// and starts afresh with an empty arena (and, at the next append, a records buffer). A
    /// spill on this thread gives its arena back at once; one on the worker leaves the other
    /// arena to fill meanwhile.
    private func spill() throws {
        try finishSpillInFlight()
        guard let records, count > 0 else { return }  // nothing to spill: the buffer stays
        defer {
            self.records = nil
            count = 0
        }
        let path = newRunPath()
        var full: [UInt8] = []
        swap(&full, &arena)
        let scratch = pool.take().bindMemory(to: SortRecord.self, capacity: capacity)
        let job = SpillJob(records: records, scratch: scratch, count: count, arena: full, layout: layout, path: path)
        if concurrentSpills {
            job.start()
            spillInFlight = job
        } else {
            job.run()
            try collect(job)
        }
        swap(&arena, &spareArena)
    }

    /// A fresh run file's path, recorded so that the sorter removes the file at the end.
    private func newRunPath() -> String {
        let path = directory + "/larder-sort-\(UUID().uuidString).run"
        runs.append(path)
        return path
    }

    /// Waits for the spill on the worker thread, if any, and takes its buffers back.
    private func finishSpillInFlight() throws {
        guard let job = spillInFlight else { return }
        spillInFlight = nil
        try collect(job)
    }

    private func collect(_ job: SpillJob) throws {
        let buffers = try job.finish()
        pool.give(buffers.recordBuffers.0)
        pool.give(buffers.recordBuffers.1)
        spareArena = buffers.arena
    }

    /// Writes records that `produce` hands over already in key order straight to a run file,
    /// merged with the others at the end: for data that arrives sorted and would only take
    /// memory here.
    func appendSortedRun(_ produce: (_ write: (_ key: UnsafeRawBufferPointer, _ payload: UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let path = newRunPath()
        try RunFile.write(to: path, produce)
    }

    /// A reader that hands out the records in key order, one call at a time: the records
    /// still in memory, merged with the runs on disk if any.
    func sortedReader() throws -> SortedReader {
        // The records move to the reader: a sorter is read once, and keeping a second copy
        // would double its memory.
        defer {
            arena = []
            spareArena = []
            records = nil
            count = 0
        }
        try finishSpillInFlight()
        sortInMemory()
        let inMemory = SortedRecords(arena: arena, records: records, count: count, layout: layout, pool: pool)
        let readBuffer = min(max(budget / max(runs.count, 1), 1 << 16), 1 << 20)
        return try SortedReader(inMemory: inMemory, runs: try runs.map { try RunReader(path: $0, bufferSize: readBuffer) })
    }
}
