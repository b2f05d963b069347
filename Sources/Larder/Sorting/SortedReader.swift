import Foundation

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

    init(arena: [UInt8], records: UnsafeMutablePointer<SortRecord>?, count: Int, layout: RecordLayout, pool: BufferPool) {
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
