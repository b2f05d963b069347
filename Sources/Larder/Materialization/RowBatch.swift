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

    /// Adds a row: the entity key (encoded straight into the batch), its times, and the row.
    mutating func append(entity: [EntityKeyValue], eventTime: Int64, createdTime: Int64, row: [UInt8]) {
        let keyStart = arena.count
        let entityLength = KeyEncoding.length(of: entity)
        arena += repeatElement(0, count: entityLength + 16)
        arena.withUnsafeMutableBytes { buffer in
            _ = KeyEncoding.encode(entity, into: UnsafeMutableRawBufferPointer(rebasing: buffer[keyStart...]))
            KeyEncoding.storeInt64(eventTime, at: keyStart + entityLength, in: buffer)
            KeyEncoding.storeInt64(createdTime, at: keyStart + entityLength + 8, in: buffer)
        }
        let valueStart = arena.count
        arena += row
        entries.append(Entry(keyStart: keyStart, entityLength: entityLength, valueStart: valueStart,
                             valueLength: row.count, eventTime: eventTime, createdTime: createdTime, sequence: entries.count))
    }

    /// Sorts by (entity, event time, created time), then input order.
    mutating func sort() {
        arena.withUnsafeBytes { bytes in
            entries.sort { a, b in
                let order = compare(bytes, a.keyStart, a.entityLength + 16, b.keyStart, b.entityLength + 16)
                return order != 0 ? order < 0 : a.sequence < b.sequence
            }
        }
    }

    /// Lends the history key prefix (entity ‖ event ‖ created) and the row of `entry`.
    func withBytes<R>(of entry: Entry, _ body: (_ prefix: UnsafeRawBufferPointer, _ entity: UnsafeRawBufferPointer, _ row: UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try arena.withUnsafeBytes { bytes in
            try body(
                UnsafeRawBufferPointer(rebasing: bytes[entry.keyStart..<entry.keyStart + entry.entityLength + 16]),
                UnsafeRawBufferPointer(rebasing: bytes[entry.keyStart..<entry.keyStart + entry.entityLength]),
                UnsafeRawBufferPointer(rebasing: bytes[entry.valueStart..<entry.valueStart + entry.valueLength]))
        }
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
