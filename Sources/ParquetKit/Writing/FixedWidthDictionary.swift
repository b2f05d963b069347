/// The distinct values of a fixed-width column chunk (int32, int64, float, double, timestamps),
/// by bit pattern, in order of first appearance, for dictionary encoding: an open-addressing
/// table of entry numbers. Low-cardinality numbers — counts, categories coded as integers,
/// rounded rates — then take a few bits each instead of four or eight bytes.
struct FixedWidthDictionary {
    private(set) var entries: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int

    init(expected: Int) {
        var capacity = 16
        while capacity < expected * 2 { capacity <<= 1 }
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
    }

    /// The entry number of `value`, added if new.
    @inline(__always)
    mutating func index(of value: UInt64) -> Int32 {
        var slot = Self.hash(value) & mask
        while true {
            let entry = slots[slot]
            if entry < 0 { break }
            if entries[Int(entry)] == value { return entry }
            slot = (slot + 1) & mask
        }
        let entry = Int32(entries.count)
        slots[slot] = entry
        entries.append(value)
        if entries.count * 2 > slots.count { grow() }
        return entry
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for (entry, value) in entries.enumerated() {
            var slot = Self.hash(value) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(entry)
        }
    }

    @inline(__always)
    private static func hash(_ value: UInt64) -> Int {
        var hash = value &* 0x9E37_79B9_7F4A_7C15
        hash ^= hash >> 32
        return Int(truncatingIfNeeded: hash)
    }
}
