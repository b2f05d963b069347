import Foundation

/// The history rows one view matched, by entity-row number: filled in the walk's (entity, time)
/// order, read back in row order by the output pass.
///
/// Row numbers are dense (0..<rows), so a table of offsets puts each match in its place in one
/// step; sorting (row, match) records back into row order took several radix passes over a
/// record table three times the size. Past the memory budget the matches move to an
/// `ExternalSorter`, which spills to disk.
final class MatchesByRow {
    private let rows: Int
    private let budget: Int
    private let directory: String
    private let pool: BufferPool
    /// For each row, 1 + the offset of its match in `arena` (0: no match): the start of a
    /// buffer from the pool, with `arena` after it, while the table is in memory.
    private var offsets: UnsafeMutablePointer<UInt32>?
    /// Each match as its length (4 bytes, little-endian) then its bytes, in the order set: raw
    /// memory, because array appends cost a third of the walk for a view matching every row.
    private var arena: UnsafeMutableRawPointer?
    private var arenaCapacity = 0
    // Written once per match: the runtime's exclusivity checks on class properties would cost
    // more than the write (no access to it escapes this class).
    @exclusivity(unchecked) private var arenaCount = 0
    /// Where matches go once the table would pass the budget, keyed by big-endian row number.
    private var overflow: ExternalSorter?
    /// Offsets waiting to be written, with their rows: they go to the table `pendingCapacity` at
    /// a time, in a loop with nothing else to do. Rows come in the walk's order, scattered over
    /// the table, which the walk's stream of history pages keeps pushing out of the cache: each
    /// write is a miss, and misses met one at a time, amid the walk, took 80 ns apiece.
    private let pending = UnsafeMutablePointer<(row: Int, offset: UInt32)>.allocate(capacity: pendingCapacity)
    @exclusivity(unchecked) private var pendingCount = 0
    private static let pendingCapacity = 64

    /// Buffers come from `pool` (the join's) or the table's own.
    init(rows: Int, budget: Int, directory: String, pool: BufferPool? = nil) {
        self.rows = rows
        self.budget = budget
        self.directory = directory
        let pool = pool ?? BufferPool(budget: budget)
        self.pool = pool
        let offsetsSize = (max(rows, 1) * MemoryLayout<UInt32>.stride + 7) & ~7
        if offsetsSize < min(budget, pool.bufferSize) / 2 {
            let buffer = pool.take()
            // A buffer from the pool holds what its last user left.
            let table = buffer.bindMemory(to: UInt32.self, capacity: offsetsSize / 4)
            table.initialize(repeating: 0, count: offsetsSize / 4)
            offsets = table
            arena = buffer + offsetsSize
            arenaCapacity = min(budget, pool.bufferSize) - offsetsSize
        } else {
            overflow = ExternalSorter(budget: budget, directory: directory, pool: pool)
        }
    }

    deinit {
        if let offsets { pool.give(UnsafeMutableRawPointer(offsets)) }
        pending.deallocate()
    }

    /// How many runs went to disk.
    var spilledRuns: Int { overflow?.spilledRuns ?? 0 }

    /// Records `match` for row `row` (each row at most once).
    func set(_ row: Int, to match: UnsafeRawBufferPointer) throws {
        if let offsets, let arena {
            let start = arenaCount
            if 4 + match.count <= arenaCapacity - start {
                arena.storeBytes(of: UInt32(match.count).littleEndian, toByteOffset: start, as: UInt32.self)
                if let bytes = match.baseAddress { (arena + start + 4).copyMemory(from: bytes, byteCount: match.count) }
                arenaCount = start + 4 + match.count
                pending[pendingCount] = (row, UInt32(start + 1))
                pendingCount += 1
                if pendingCount == Self.pendingCapacity { writePending(offsets) }
                return
            }
            try moveToSorter(offsets, arena)
        }
        try withUnsafeBytes(of: UInt64(row).bigEndian) { try overflow!.append(key: $0, payload: match) }
    }

    private func writePending(_ offsets: UnsafeMutablePointer<UInt32>) {
        for index in 0..<pendingCount {
            let (row, offset) = pending[index]
            offsets[row] = offset
        }
        pendingCount = 0
    }

    /// The table, read in row order, is already sorted by row number: it goes to disk as one
    /// sorted run, so the memory it held is free before the sorter fills its own.
    private func moveToSorter(_ offsets: UnsafeMutablePointer<UInt32>, _ arena: UnsafeMutableRawPointer) throws {
        writePending(offsets)
        let sorter = ExternalSorter(budget: budget, directory: directory, pool: pool)
        let bytes = UnsafeRawBufferPointer(start: arena, count: arenaCount)
        try sorter.appendSortedRun { write in
            for row in 0..<rows where offsets[row] != 0 {
                try withUnsafeBytes(of: UInt64(row).bigEndian) { try write($0, Self.match(at: Int(offsets[row] - 1), in: bytes)) }
            }
        }
        pool.give(UnsafeMutableRawPointer(offsets))
        self.offsets = nil
        self.arena = nil
        overflow = sorter
    }

    fileprivate static func match(at start: Int, in arena: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let count = Int(UInt32(littleEndian: arena.loadUnaligned(fromByteOffset: start, as: UInt32.self)))
        return UnsafeRawBufferPointer(rebasing: arena[start + 4..<start + 4 + count])
    }

    /// Hands the matches out in row order; call once, after the last `set`.
    func reader() throws -> MatchReader {
        if let offsets, let arena {
            writePending(offsets)
            self.offsets = nil
            self.arena = nil
            return MatchReader(offsets: offsets, rows: rows, arena: UnsafeRawBufferPointer(start: arena, count: arenaCount), pool: pool)
        }
        return MatchReader(sorted: try overflow!.sortedReader())
    }
}

/// The matches of one view in row order: `match(row, body)` for rows 0, 1, 2, … in turn.
final class MatchReader {
    private let offsets: UnsafeMutablePointer<UInt32>?
    private let rows: Int
    private let arena: UnsafeRawBufferPointer
    /// Where the buffer holding `offsets` and `arena` goes back with the reader.
    private let pool: BufferPool?
    private let sorted: SortedReader?
    /// Rows before this one have had their matches touched (see `warmUp`).
    private var warmedUpTo = 0
    private var touched: UInt8 = 0
    /// The row of the sorted reader's next match (Int.max once there is none left).
    private var nextSortedRow = -1

    fileprivate init(offsets: UnsafeMutablePointer<UInt32>, rows: Int, arena: UnsafeRawBufferPointer, pool: BufferPool) {
        self.offsets = offsets
        self.rows = rows
        self.arena = arena
        self.pool = pool
        sorted = nil
    }

    fileprivate init(sorted: SortedReader) {
        offsets = nil
        rows = 0
        arena = UnsafeRawBufferPointer(start: nil, count: 0)
        pool = nil
        self.sorted = sorted
    }

    deinit {
        if let offsets { pool?.give(UnsafeMutableRawPointer(offsets)) }
    }

    /// Calls `body` with the match of `row` (nil when there is none), valid only inside. Rows
    /// must be asked in increasing order.
    func match(_ row: Int, _ body: (UnsafeRawBufferPointer?) throws -> Void) throws {
        if let offsets {
            // Past the rows the table was made for (the input grew between the passes): none.
            guard row < rows else { return try body(nil) }
            if row == warmedUpTo { warmUp(offsets) }
            let offset = offsets[row]
            guard offset != 0 else { return try body(nil) }
            try body(MatchesByRow.match(at: Int(offset - 1), in: arena))
            return
        }
        guard let sorted else { return try body(nil) }
        if nextSortedRow < row { nextSortedRow = try sorted.peek { key, _ in Int(KeyEncoding.loadUInt64(at: 0, in: key)) } ?? .max }
        guard nextSortedRow == row else { return try body(nil) }
        _ = try sorted.next { _, match in try body(match) }
        nextSortedRow = -1
    }

    /// Touches the matches of the next rows, one load each, in a loop with nothing else to do:
    /// they lie scattered over the arena (set in the walk's order), so each is a cache miss, and
    /// misses issued together overlap where ones met one at a time, amid the output, do not.
    private func warmUp(_ offsets: UnsafeMutablePointer<UInt32>) {
        let end = min(rows, warmedUpTo + 64)
        var sum: UInt8 = 0
        for row in warmedUpTo..<end where offsets[row] != 0 {
            let start = Int(offsets[row] - 1)
            sum &+= arena[start] &+ arena[min(start + 64, arena.count - 1)]
        }
        warmedUpTo = end
        touched &+= sum
    }
}
