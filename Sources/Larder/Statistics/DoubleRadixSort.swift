/// Orders finite doubles by LSD radix sort over two 12-bit digits of their bit patterns, from
/// the highest bit in which the values differ. Values whose bit patterns agree on those 24 bits
/// may stay in their input order; everything else comes out sorted. That is values closer than
/// 2⁻²⁴ of the block's spread when they share their sign and binary exponent, and at worst
/// (a block spanning both signs) closer than 2⁻¹² of their magnitude, the twelve mantissa bits
/// left after the sign and the exponent — what the quantile sketch needs from a block it halves:
/// a value kept in place of a neighbour that close moves no quantile by more than that, and no
/// rank beyond the values tied that closely (one or two of a block of normal values around
/// their mode), far inside the sketch's error.
///
/// For the blocks of 16,384 values the statistics sort, several times faster than a comparison
/// sort: one pass makes the keys and both histograms, one scatters by the low digit, and the
/// last scatters by the high digit straight into the output as numbers. Starting at the highest
/// differing bit matters for values far from zero: a billion and eighths share their top 32
/// bits.
enum DoubleRadixSort {
    private static let digitBits: UInt64 = 12
    private static let buckets = 1 << 12

    /// Orders `values`, which all lie between `low` and `high` (their extremes, known to the
    /// caller: every bit pattern between theirs shares the bits theirs share, which tells the
    /// digits to sort on without a pass of its own). Negative zeros come out as zeros.
    static func nearlySort(_ values: UnsafeMutableBufferPointer<Double>, between low: Double, and high: Double) {
        let count = values.count
        guard count > 1, let base = values.baseAddress else { return }
        // The bits in which the values differ (adding 0 makes a negative zero a zero, whose bit
        // pattern then lies between the extremes').
        let differing = key(low + 0) ^ key(high + 0)
        guard differing != 0 else { return }  // one value throughout: nothing to order
        // Keys, their copy for the first pass to scatter into, and the two histograms, in one allocation.
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: 2 * count * 8 + 2 * buckets * 4, alignment: 8)
        defer { scratch.deallocate() }
        let keys = scratch.bindMemory(to: UInt64.self, capacity: 2 * count)
        let scattered = keys + count
        let histograms = (scratch + 2 * count * 8).bindMemory(to: UInt32.self, capacity: 2 * buckets)
        histograms.initialize(repeating: 0, count: 2 * buckets)

        let top = 63 - differing.leadingZeroBitCount
        let shift = UInt64(max(0, top + 1 - 2 * Int(digitBits)))
        let mask = UInt64(buckets - 1)
        // Bit patterns ordered as the numbers are: negatives flipped whole, positives' sign set.
        for index in 0..<count {
            let key = key(base[index] + 0)
            keys[index] = key
            let digits = key &>> shift
            histograms[Int(truncatingIfNeeded: digits & mask)] &+= 1
            histograms[buckets &+ Int(truncatingIfNeeded: (digits &>> digitBits) & mask)] &+= 1
        }
        // The low digit, unless one value of it holds for all (the pass would change nothing).
        var source = keys
        if Int(histograms[Int(truncatingIfNeeded: (keys[0] &>> shift) & mask)]) != count {
            startingOffsets(histograms)
            for index in 0..<count {
                let key = keys[index]
                let bucket = Int(truncatingIfNeeded: (key &>> shift) & mask)
                scattered[Int(histograms[bucket])] = key
                histograms[bucket] &+= 1
            }
            source = scattered
        }
        // The high digit, into the output.
        let high = histograms + buckets, highShift = shift + digitBits
        guard Int(high[Int(truncatingIfNeeded: (source[0] &>> highShift) & mask)]) != count else {
            for index in 0..<count { base[index] = value(source[index]) }
            return
        }
        startingOffsets(high)
        for index in 0..<count {
            let key = source[index]
            let bucket = Int(truncatingIfNeeded: (key &>> highShift) & mask)
            base[Int(high[bucket])] = value(key)
            high[bucket] &+= 1
        }
    }

    /// Turns a digit's histogram into the offset where each digit value's run starts.
    @inline(__always)
    private static func startingOffsets(_ counts: UnsafeMutablePointer<UInt32>) {
        var total: UInt32 = 0
        for bucket in 0..<buckets {
            let size = counts[bucket]
            counts[bucket] = total
            total &+= size
        }
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
