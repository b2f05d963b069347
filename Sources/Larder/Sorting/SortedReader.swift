import Foundation

/// A sorter's last records, sorted in memory: read directly when nothing spilled, or merged
/// with the run files as one more run.
final class SortedRecords {
    let arena: [UInt8]
    /// In a buffer given back to `pool` at the end.
    let records: UnsafeMutablePointer<SortRecord>?
    let count: Int
    let layout: RecordLayout
    private let pool: BufferPool

    init(arena: [UInt8], records: UnsafeMutablePointer<SortRecord>?, count: Int, layout: RecordLayout, pool: BufferPool) {
        self.arena = arena
        self.records = records
        self.count = records == nil ? 0 : count
        self.layout = layout
        self.pool = pool
    }

    deinit {
        if let records { pool.give(UnsafeMutableRawPointer(records)) }
    }

    /// Lends record `index`'s key and payload.
    @inline(__always)
    func withRecord<R>(_ index: Int, _ body: (_ key: UnsafeRawBufferPointer, _ payload: UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let record = records![index]
        let layout = layout
        return try arena.withUnsafeBytes { bytes in
            try record.withKey(layout, in: bytes) { key in try body(key, record.payload(layout, in: bytes)) }
        }
    }
}

/// Records in key order, pulled one at a time: from memory, or merged from run files and the
/// records left in memory.
final class SortedReader {
    private let inMemory: SortedRecords
    /// The next record in memory.
    private var position = 0
    /// Records before this one have been warmed up (see `warmUp`).
    private var warmedUpTo = 0
    /// Where the warm-up loads go, so that they are not optimized away.
    private var touched: UInt8 = 0
    private var merge: RunMerge?

    init(inMemory: SortedRecords, runs: [RunReader]) throws {
        self.inMemory = inMemory
        if !runs.isEmpty { merge = try RunMerge(runs: runs, inMemory: inMemory) }
    }

    /// Calls `body` with every record left, in key order (ties keep no particular order: make
    /// keys unique where order matters).
    func forEach(_ body: (_ key: UnsafeRawBufferPointer, _ payload: UnsafeRawBufferPointer) throws -> Void) throws {
        if let merge {
            try merge.forEach(body)
            return
        }
        guard let records = inMemory.records else { return }
        // The arena lent once for all the records, not once per record.
        let layout = inMemory.layout, count = inMemory.count
        try inMemory.arena.withUnsafeBytes { bytes in
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
        if let merge {
            guard let result = try merge.peek(body) else { return nil }
            try merge.advance()
            return result
        }
        guard let result = try peek(body) else { return nil }
        position += 1
        return result
    }

    /// Lends the next record to `body` without moving past it, or returns nil at the end.
    func peek<R>(_ body: (_ key: UnsafeRawBufferPointer, _ payload: UnsafeRawBufferPointer) throws -> R) throws -> R? {
        if let merge { return try merge.peek(body) }
        guard position < inMemory.count, let records = inMemory.records else { return nil }
        if position == warmedUpTo { warmUp(records) }
        return try inMemory.withRecord(position, body)
    }

    /// Touches the bytes of the next records, one load each, in a loop with nothing else to
    /// do: the records lie scattered over the arena (sorting moved only their places), so each
    /// is a cache miss, and misses issued together overlap where ones met one at a time, amid
    /// the caller's work, do not. It took the join benchmark from 2.5 s to 1.7 s.
    private func warmUp(_ records: UnsafeMutablePointer<SortRecord>) {
        let end = min(inMemory.count, warmedUpTo + 64)
        guard case .arena = inMemory.layout else {
            warmedUpTo = inMemory.count  // Inline keys: nothing to fetch.
            return
        }
        var sum: UInt8 = 0
        inMemory.arena.withUnsafeBytes { bytes in
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
}
