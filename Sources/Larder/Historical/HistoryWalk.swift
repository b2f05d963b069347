import Foundation
import LMDBKit

/// Point-in-time lookups against one view's history, asked in ascending (entity, time) order,
/// so the cursor moves forwards through the history (back only past rows of later snapshots): a
/// lookup near the previous one steps there entry by entry instead of descending the B-tree
/// from its root again.
///
/// The order of the search keys follows the order of the lookups because every entity-key
/// encoding is self-delimiting (int64: 8 bytes; string: its length first), so no entity's key is
/// a proper prefix of another's.
struct HistoryWalk: ~Copyable {
    /// Past `stepLimit` steps, the walk seeks from the root. A step costs ~30 ns on the join
    /// benchmark; a seek, which descends through branch pages that may have left the cache or the
    /// process, about as much as 64. So the limit is 64 while lookups lie near each other (16
    /// made the benchmark's walks 6% slower; 256 measured the same as 64), and it halves after
    /// each lookup that had to seek anyway, down to 4: for lookups sparse in a long history,
    /// steps before a seek are wasted (a fixed 64 made such walks 40% slower than 16).
    static let maximumSteps = 64
    static let minimumSteps = 4
    private var stepLimit = maximumSteps

    private let maxSnapshot: UInt64
    private let ttl: Int64
    /// The entity key ‖ time ‖ 0xFF…: the largest history key a lookup may match. Raw memory
    /// allocated once, and no class: either would be retained and released around every
    /// lookup, and those atomic operations wait for the walk's pending stores (~10% of a join).
    private let search = UnsafeMutableRawPointer.allocate(byteCount: KeyEncoding.maxKeyLength, alignment: 8)
    /// Whether `atMost` and `ahead` hold for the previous search key (false before the first
    /// lookup, and after a walk backwards past other snapshots' rows moved the cursor).
    private var isPositioned = false
    /// The last entry with a key at most the previous search key, if any. Its bytes stay valid
    /// as long as the read transaction: the walk keeps it instead of stepping back to it.
    private var atMost: CursorEntry?
    /// The entry the cursor rests on: the first with a key past the previous search key (nil
    /// at the end of the database).
    private var ahead: CursorEntry?

    init(maxSnapshot: UInt64, ttl: Int64) {
        self.maxSnapshot = maxSnapshot
        self.ttl = ttl
    }

    deinit { search.deallocate() }

    /// The stored row of the history entry with the largest key at most (entity, time), written
    /// by a visible snapshot and within the ttl, if there is one; its bytes are valid as long as
    /// the cursor's transaction. Lookups must come in ascending (entity, time) order.
    mutating func lookUp(_ cursor: borrowing Cursor, entity: UnsafeRawBufferPointer, time: Int64) throws -> UnsafeRawBufferPointer? {
        precondition(entity.count <= KeyEncoding.maxEntityKeyLength)
        if let base = entity.baseAddress { search.copyMemory(from: base, byteCount: entity.count) }
        // Any created time, any snapshot: the last key of the entity at `time`.
        let length = HistoryKey.length(entityLength: entity.count)
        HistoryKey.writeSuffix(eventTime: time, createdTime: .max, snapshot: .max, entityLength: entity.count,
                               into: UnsafeMutableRawBufferPointer(start: search, count: length))
        try land(cursor, UnsafeRawBufferPointer(start: search, count: length))
        guard let candidate = atMost, isOf(entity, candidate) else { return nil }
        if HistoryKey.snapshot(candidate.key) <= maxSnapshot {
            return answer(candidate, time: time)
        }
        // Newest first: skip rows of snapshots later than the one asked for. This moves the
        // cursor back, so the next lookup seeks afresh.
        isPositioned = false
        if ahead != nil { _ = try cursor.previous() }  // Back onto `candidate`.
        while let entry = try cursor.previous(), isOf(entity, entry) {
            if HistoryKey.snapshot(entry.key) <= maxSnapshot {
                return answer(entry, time: time)
            }
        }
        return nil
    }

    /// The entry's row, or nil when it is older than the ttl allows.
    private func answer(_ entry: CursorEntry, time: Int64) -> UnsafeRawBufferPointer? {
        let eventTime = HistoryKey.eventTime(entry.key)
        // A cutoff before the beginning of time (a far-past `time`) leaves every row inside.
        let (cutoff, overflow) = time.subtractingReportingOverflow(ttl)
        return ttl > 0 && !overflow && eventTime < cutoff ? nil : entry.value
    }

    /// Whether `entry` is a history row of `entity`.
    private func isOf(_ entity: UnsafeRawBufferPointer, _ entry: CursorEntry) -> Bool {
        entry.key.count == HistoryKey.length(entityLength: entity.count)
            && compareKeys(UnsafeRawBufferPointer(rebasing: entry.key[..<entity.count]), entity) == 0
    }

    /// Sets `atMost` and `ahead` for `search`: stepping forwards from where the cursor rests
    /// when that is near, seeking from the root otherwise.
    private mutating func land(_ cursor: borrowing Cursor, _ search: UnsafeRawBufferPointer) throws {
        if isPositioned {
            var steps = 0
            while let next = ahead, compareKeys(next.key, search) <= 0 {
                guard steps < stepLimit else {
                    stepLimit = max(Self.minimumSteps, stepLimit / 2)
                    return try seek(cursor, search)
                }
                atMost = next
                ahead = try cursor.next()
                steps += 1
            }
            stepLimit = min(Self.maximumSteps, stepLimit * 2)
            return
        }
        try seek(cursor, search)
    }

    private mutating func seek(_ cursor: borrowing Cursor, _ search: UnsafeRawBufferPointer) throws {
        isPositioned = true
        ahead = try cursor.seek(atLeast: search)
        if let next = ahead, compareKeys(next.key, search) == 0 {
            atMost = next
            ahead = try cursor.next()
        } else if ahead != nil {
            atMost = try cursor.previous()
            ahead = atMost == nil ? try cursor.first() : try cursor.next()
        } else {
            atMost = try cursor.last()
        }
    }
}

/// Byte order of two short keys, 8 bytes at a time: cheaper than a call to `memcmp` for the
/// few dozen bytes of a history key, and asked for at every step of a walk.
@inline(__always)
private func compareKeys(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Int {
    let common = min(left.count, right.count)
    var offset = 0
    while offset + 8 <= common {
        let a = UInt64(bigEndian: left.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        let b = UInt64(bigEndian: right.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        if a != b { return a < b ? -1 : 1 }
        offset += 8
    }
    while offset < common {
        if left[offset] != right[offset] { return left[offset] < right[offset] ? -1 : 1 }
        offset += 1
    }
    return left.count - right.count
}
