/// Orders the finite values among doubles by LSD radix sort over four bytes of their bit
/// patterns: the highest byte in which they differ and the three below it, a byte per pass,
/// skipping the passes where every value has the same byte. Values whose bit patterns agree on
/// those bytes — closer than 2⁻²⁴ of the values' spread, and than a part in a million (2⁻²⁰) of
/// their magnitude — may stay in their input order; everything else comes out sorted. That is
/// what the quantile sketch needs from a block it halves: a value kept in place of its
/// neighbour moves no rank and no quantile by more than that, far inside the sketch's error, and
/// the four other bytes' passes — half the work — are saved. Starting at the highest differing
/// byte rather than at the top matters for values far from zero: a billion plus or minus a few
/// would otherwise all share their top four bytes and keep their order. Infinities and NaN are
/// set aside first, as they would widen the spread to every bit.
///
/// For the blocks of 4,096 values the statistics sort, several times faster than a comparison
/// sort on unordered input. The scratch space is raw memory: a pass is one read and one
/// scattered write.
enum DoubleRadixSort {
    private static let sortedBytes = 4

    /// Moves the finite values to the front of `values`, ordered, and returns how many there
    /// are; what follows them is left undefined.
    static func nearlySortFinite(_ values: UnsafeMutableBufferPointer<Double>) -> Int {
        guard let base = values.baseAddress else { return 0 }
        // Keys, their copy for the passes to scatter into, and the histograms, in one allocation.
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: 2 * values.count * 8 + 4 * 256 * 4, alignment: 8)
        defer { scratch.deallocate() }
        var source = scratch.bindMemory(to: UInt64.self, capacity: 2 * values.count)
        var target = source + values.count
        let histograms = (scratch + 2 * values.count * 8).bindMemory(to: UInt32.self, capacity: 4 * 256)
        histograms.initialize(repeating: 0, count: 4 * 256)

        // The finite values' bit patterns, ordered as the numbers are: negatives flipped whole,
        // positives' sign set. Each is written, and kept only if finite (no branch to mispredict).
        // The bits in which they differ gather against the first finite one's.
        guard let first = values.firstIndex(where: \.isFinite) else { return 0 }
        let reference = key(base[first])
        var count = 0, differing: UInt64 = 0
        for index in first..<values.count {
            let value = base[index], key = key(value)
            source[count] = key
            let finite: UInt64 = value.isFinite ? ~0 : 0
            count &+= Int(truncatingIfNeeded: finite & 1)
            differing |= (key ^ reference) & finite
        }
        guard differing != 0 else {  // one bit pattern throughout: nothing to order
            base.update(repeating: Self.value(source[0]), count: count)
            return count
        }
        let lowest = max(0, (63 - differing.leadingZeroBitCount) / 8 - (Self.sortedBytes - 1))
        let lowestShift = UInt64(lowest * 8)
        for index in 0..<count {
            let key = source[index] &>> lowestShift
            for byte in 0..<Self.sortedBytes { histograms[byte &* 256 &+ Int(truncatingIfNeeded: key &>> UInt64(byte &* 8)) & 0xFF] &+= 1 }
        }
        for byte in 0..<Self.sortedBytes {
            let counts = histograms + byte * 256
            let shift = lowestShift + UInt64(byte * 8)
            // One byte value for all: this pass would change nothing.
            if Int(counts[Int(truncatingIfNeeded: source[0] &>> shift) & 0xFF]) == count { continue }
            var total: UInt32 = 0
            for bucket in 0..<256 {
                let size = counts[bucket]
                counts[bucket] = total
                total &+= size
            }
            for index in 0..<count {
                let key = source[index]
                let bucket = Int(truncatingIfNeeded: key &>> shift) & 0xFF
                target[Int(counts[bucket])] = key
                counts[bucket] &+= 1
            }
            swap(&source, &target)
        }
        for index in 0..<count { base[index] = Self.value(source[index]) }
        return count
    }

    @inline(__always)
    private static func key(_ value: Double) -> UInt64 {
        let bits = value.bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    @inline(__always)
    private static func value(_ key: UInt64) -> Double {
        Double(bitPattern: key & (1 << 63) != 0 ? key & ~(1 << 63) : ~key)
    }
}
