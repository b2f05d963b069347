import Foundation
import LMDBKit

/// Point-in-time lookups against one view's history, asked in ascending (entity, time) order,
/// so the cursor moves forwards through the history (back only by the step that overshoots, and
/// past rows of later snapshots): a lookup near the previous one steps there entry by entry
/// instead of descending the B-tree from its root again.
///
/// The order of the search keys follows the order of the lookups because every entity-key
/// encoding is self-delimiting (int64: 8 bytes; string: its length first), so no entity's key is
/// a proper prefix of another's.
struct HistoryWalk {
    /// Past this many steps, seek from the root. (4 and 64 measured the same on the join
    /// benchmark: the choice hardly matters.)
    static let maximumSteps = 16

    private let maxSnapshot: UInt64
    private let ttl: Int64
    /// The entity key ‖ time ‖ 0xFF…: the largest history key a lookup may match.
    private var search: [UInt8] = []
    /// Whether the cursor rests on an entry whose key is at most the previous search key.
    private var isPositioned = false

    init(maxSnapshot: UInt64, ttl: Int64) {
        self.maxSnapshot = maxSnapshot
        self.ttl = ttl
        search.reserveCapacity(KeyEncoding.maxKeyLength)
    }

    /// Calls `found` with the stored row of the history entry with the largest key at most
    /// (entity, time), written by a visible snapshot and within the ttl, if there is one.
    /// Lookups must come in ascending (entity, time) order.
    mutating func lookUp(
        _ cursor: borrowing Cursor, entity: UnsafeRawBufferPointer, time: Int64,
        _ found: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        search.removeAll(keepingCapacity: true)
        search.append(contentsOf: entity)
        withUnsafeBytes(of: (UInt64(bitPattern: time) ^ (1 << 63)).bigEndian) { search.append(contentsOf: $0) }
        withUnsafeBytes(of: (UInt64.max, UInt64.max)) { search.append(contentsOf: $0) }  // Any created time, any snapshot.
        var entry = try search.withUnsafeBytes { search in try landAtMost(cursor, search) }
        isPositioned = entry != nil
        // Newest first: skip rows of snapshots later than the one asked for.
        while let current = entry, current.key.count == entity.count + KeyEncoding.historySuffixLength,
              compareKeys(UnsafeRawBufferPointer(rebasing: current.key[..<entity.count]), entity) == 0 {
            if KeyEncoding.loadUInt64(at: entity.count + 16, in: current.key) <= maxSnapshot {
                let eventTime = KeyEncoding.loadInt64(at: entity.count, in: current.key)
                if ttl > 0, eventTime < time - ttl { return }  // The newest is too old: null.
                try found(current.value)
                return
            }
            entry = try cursor.previous()
            isPositioned = entry != nil
        }
    }

    /// Moves to the last entry with key `<= search`: forwards from where the cursor rests when
    /// that is near, from the root otherwise.
    private func landAtMost(_ cursor: borrowing Cursor, _ search: UnsafeRawBufferPointer) throws -> CursorEntry? {
        guard isPositioned else { return try cursor.seek(atMost: search) }
        for _ in 0..<Self.maximumSteps {
            guard let next = try cursor.next() else { return try cursor.last() }
            if compareKeys(next.key, search) > 0 { return try cursor.previous() }
        }
        return try cursor.seek(atMost: search)
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
