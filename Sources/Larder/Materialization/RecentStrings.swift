#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The string values a run's statistics met last, per feature, with their hashes: a value met
/// again is counted without hashing its bytes or updating its distinct count (a value already
/// in a HyperLogLog sketch cannot change it), and its most-frequent-values counter is found from
/// the place it had. Exports repeat a few dozen values (cities, categories, devices) in any
/// order: grouped by entity, a value repeats on consecutive rows; ordered by time or shuffled,
/// it comes back among the last few dozen.
///
/// Per feature, `ways` entries indexed by the value's length and last eight bytes (6 KB); a
/// value of at most `longest` bytes is kept whole, so that equality is checked on the bytes
/// themselves. Raw memory owned by the collector (a struct of pointers: reading it retains
/// nothing), freed by `deallocate`.
struct RecentStrings {
    private struct Entry {
        var length: Int  // -1: empty
        var tail: UInt64
        var hash: UInt64
        /// The value's counter in the most-frequent-values table when it was last counted.
        var place: Int
    }

    private static let ways = 64
    private static let longest = 64

    private let entries: UnsafeMutablePointer<Entry>
    private let bytes: UnsafeMutableRawPointer
    /// Per feature, the entry of the value it met last: checked first, as a value often repeats
    /// on consecutive rows (an export grouped by entity repeats an entity's city).
    private let last: UnsafeMutablePointer<Int>

    init(features: Int) {
        entries = .allocate(capacity: max(1, features * Self.ways))
        entries.initialize(repeating: Entry(length: -1, tail: 0, hash: 0, place: -1), count: max(1, features * Self.ways))
        bytes = .allocate(byteCount: max(1, features * Self.ways * Self.longest), alignment: 8)
        last = .allocate(capacity: max(1, features))
        for feature in 0..<max(1, features) { (last + feature).initialize(to: feature * Self.ways) }
    }

    func deallocate() {
        entries.deallocate()
        bytes.deallocate()
        last.deallocate()
    }

    /// Counts `value`, a value of string or bytes feature `feature` lying inside the encoded
    /// `row`, into `strings`. The check against the feature's previous value is inlined into
    /// the caller's loop; the rest is a call.
    @inline(__always)
    func add(_ value: UnsafeRawBufferPointer, in row: UnsafeRawBufferPointer, feature: Int, to strings: inout FeatureStatistics.Strings) {
        guard value.count <= Self.longest, let tail = Self.tail(of: value, in: row) else {
            _ = strings.add(utf8: value, hash: StableHash.hash(value))
            return
        }
        if count(value, tail: tail, at: last[feature], to: &strings) { return }
        addNotPrevious(value, tail: tail, feature: feature, to: &strings)
    }

    @inline(never)
    private func addNotPrevious(_ value: UnsafeRawBufferPointer, tail: UInt64, feature: Int, to strings: inout FeatureStatistics.Strings) {
        let way = Int(truncatingIfNeeded: ((tail ^ UInt64(value.count)) &* 0x9e37_79b9_7f4a_7c15) &>> 58)
        let index = feature &* Self.ways &+ way
        last[feature] = index
        if count(value, tail: tail, at: index, to: &strings) { return }
        let hash = StableHash.hash(value)
        let place = strings.add(utf8: value, hash: hash)
        // Up to eight bytes, the tail is the whole value: nothing to copy.
        if value.count > 8 { (bytes + index &* Self.longest).copyMemory(from: value.baseAddress!, byteCount: value.count) }
        entries[index] = Entry(length: value.count, tail: tail, hash: hash, place: place)
    }

    /// Counts `value` again if entry `index` holds it.
    @inline(__always)
    private func count(_ value: UnsafeRawBufferPointer, tail: UInt64, at index: Int, to strings: inout FeatureStatistics.Strings) -> Bool {
        let entry = entries + index
        guard entry.pointee.length == value.count, entry.pointee.tail == tail,
              value.count <= 8 || memcmp(bytes + index &* Self.longest, value.baseAddress!, value.count) == 0 else { return false }
        entry.pointee.place = strings.addSeen(utf8: value, hash: entry.pointee.hash, place: entry.pointee.place)
        return true
    }

    /// The last eight bytes of `value` as a word, shifted so that a shorter value's bytes are
    /// all there is; read from the row (a value never starts in the row's first eight bytes,
    /// which hold its header and slots). Nil when the row is too short for that (a damaged row):
    /// such a value is counted without being kept.
    @inline(__always)
    private static func tail(of value: UnsafeRawBufferPointer, in row: UnsafeRawBufferPointer) -> UInt64? {
        guard value.count > 0 else { return 0 }
        guard let start = value.baseAddress, let rowStart = row.baseAddress, start + value.count - 8 >= rowStart else { return nil }
        let word = UInt64(littleEndian: (start + value.count - 8).loadUnaligned(as: UInt64.self))
        return value.count >= 8 ? word : word &>> UInt64(64 - 8 * value.count)
    }
}
