/// The distinct values of a fixed-width column chunk (int32, int64, float, double, timestamps),
/// by bit pattern, in order of first appearance, for dictionary encoding: an open-addressing
/// table of entry numbers. Low-cardinality numbers — counts, categories coded as integers,
/// rounded rates — then take a few bits each instead of four or eight bytes.
///
/// Looked up once per value of every numeric chunk, so its storage is raw memory: array
/// accesses' checks cost more than the probe itself.
struct FixedWidthDictionary: ~Copyable {
    private var values: UnsafeMutablePointer<UInt64>
    private(set) var count = 0
    private var capacity: Int
    private var slots: UnsafeMutablePointer<Int32>
    private var mask: Int
    /// 64 minus the log2 of the slot count: a hash's top bits pick the slot.
    private var shift: UInt64

    init(expected: Int) {
        var slotCount = 16
        while slotCount < expected * 2 { slotCount <<= 1 }
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: -1, count: slotCount)
        mask = slotCount - 1
        shift = UInt64(64 - (slotCount.bitWidth - 1 - slotCount.leadingZeroBitCount))
        capacity = slotCount / 2
        values = .allocate(capacity: capacity)
    }

    deinit {
        values.deallocate()
        slots.deallocate()
    }

    /// The entries, in order.
    var entries: UnsafeBufferPointer<UInt64> { UnsafeBufferPointer(start: values, count: count) }

    /// The entry number of `value`, added if new.
    @inline(__always)
    mutating func index(of value: UInt64) -> Int32 {
        var slot = hash(value)
        while true {
            let entry = slots[slot]
            if entry < 0 { break }
            if values[Int(entry)] == value { return entry }
            slot = (slot + 1) & mask
        }
        if count == capacity { grow(); return index(of: value) }
        let entry = Int32(count)
        slots[slot] = entry
        values[count] = value
        count += 1
        return entry
    }

    /// Twice the slots and room for twice the entries, the entries placed again.
    private mutating func grow() {
        let slotCount = (mask + 1) * 2
        slots.deallocate()
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: -1, count: slotCount)
        mask = slotCount - 1
        shift -= 1
        let larger = UnsafeMutablePointer<UInt64>.allocate(capacity: slotCount / 2)
        larger.initialize(from: values, count: count)
        values.deallocate()
        values = larger
        capacity = slotCount / 2
        for entry in 0..<count {
            var slot = hash(values[entry])
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(entry)
        }
    }

    /// The slot to probe first: the value's bits mixed (floats differ in their high bits,
    /// small integers in their low ones), then the product's top bits, which depend on all.
    @inline(__always)
    private func hash(_ value: UInt64) -> Int {
        let mixed = (value ^ (value >> 29)) &* 0xBF58_476D_1CE4_E5B9
        return Int(truncatingIfNeeded: mixed >> shift)
    }
}
