/// Prepared rows of one view, packed in one buffer and sorted by history key before writing,
/// so the B-tree is walked in order (a sorted batch touches each page once).
struct RowBatch {
    struct Entry {
        var keyStart: Int
        /// Entity key length; the history key prefix is entity ‖ event ‖ created (+16 bytes).
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

    private(set) var arena: [UInt8] = []
    private(set) var entries: [Entry] = []

    var count: Int { entries.count }

    mutating func removeAll() {
        arena.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
    }

    /// Adds a row: the entity key, its times, and the row.
    mutating func append(entity: UnsafeRawBufferPointer, eventTime: Int64, createdTime: Int64, row: UnsafeRawBufferPointer) {
        let keyStart = arena.count
        arena.append(contentsOf: entity)
        let times = ((UInt64(bitPattern: eventTime) ^ (1 << 63)).bigEndian, (UInt64(bitPattern: createdTime) ^ (1 << 63)).bigEndian)
        withUnsafeBytes(of: times) { arena.append(contentsOf: $0) }
        // The prefix is at least 16 bytes (the two times), so there are always 8 to load.
        let leadingBytes = arena.withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: keyStart, as: UInt64.self)) }
        let valueStart = arena.count
        arena.append(contentsOf: row)
        entries.append(Entry(keyStart: keyStart, entityLength: entity.count, valueStart: valueStart, valueLength: row.count,
                             eventTime: eventTime, createdTime: createdTime, leadingBytes: leadingBytes, sequence: entries.count))
    }

    /// Sorts by (entity, event time, created time), then input order.
    mutating func sort() {
        arena.withUnsafeBytes { bytes in
            entries.sort { a, b in
                if a.leadingBytes != b.leadingBytes { return a.leadingBytes < b.leadingBytes }
                let order = compare(bytes, a.keyStart + 8, a.entityLength + 8, b.keyStart + 8, b.entityLength + 8)
                return order != 0 ? order < 0 : a.sequence < b.sequence
            }
        }
    }

    /// Lends the arena, from which `Entry.bytes(in:)` cuts each row's parts.
    func withArena<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try arena.withUnsafeBytes(body)
    }
}

extension RowBatch.Entry {
    /// The history key prefix (entity ‖ event ‖ created), the entity key and the row, in `arena`.
    @inline(__always)
    func bytes(in arena: UnsafeRawBufferPointer) -> (prefix: UnsafeRawBufferPointer, entity: UnsafeRawBufferPointer, row: UnsafeRawBufferPointer) {
        (UnsafeRawBufferPointer(rebasing: arena[keyStart..<keyStart + entityLength + 16]),
         UnsafeRawBufferPointer(rebasing: arena[keyStart..<keyStart + entityLength]),
         UnsafeRawBufferPointer(rebasing: arena[valueStart..<valueStart + valueLength]))
    }
}

/// memcmp order, shorter first on a common prefix.
@inline(__always)
func compare(_ bytes: UnsafeRawBufferPointer, _ a: Int, _ aLength: Int, _ b: Int, _ bLength: Int) -> Int {
    let common = min(aLength, bLength)
    let result = memcmp(bytes.baseAddress! + a, bytes.baseAddress! + b, common)
    return result != 0 ? Int(result) : aLength - bLength
}

@inline(__always)
func equalBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
    a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
