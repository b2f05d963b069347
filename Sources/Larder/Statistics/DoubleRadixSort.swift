/// Sorts finite doubles by LSD radix sort over their bit patterns, a byte per pass, skipping
/// the passes where every value has the same byte (the sign and exponent bytes, mostly): for the
/// blocks of 4,096 values the statistics sort, several times faster than a comparison sort on
/// unordered input.
enum DoubleRadixSort {
    static func sort(_ values: UnsafeMutableBufferPointer<Double>) {
        let count = values.count
        guard count > 1 else { return }
        let keys = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: count)
        let other = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: count)
        defer {
            keys.deallocate()
            other.deallocate()
        }
        // Bit patterns ordered as the numbers are: negatives flipped whole, positives' sign set.
        for index in 0..<count {
            let bits = values[index].bitPattern
            keys[index] = bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
        }
        var source = keys, target = other
        var counts = [Int](repeating: 0, count: 256)
        for shift in stride(from: 0, to: 64, by: 8) {
            for index in 0..<256 { counts[index] = 0 }
            for index in 0..<count { counts[Int((source[index] >> UInt64(shift)) & 0xFF)] += 1 }
            if counts.contains(count) { continue }  // one byte value for all: this pass changes nothing
            var total = 0
            for index in 0..<256 {
                let size = counts[index]
                counts[index] = total
                total += size
            }
            for index in 0..<count {
                let key = source[index]
                let bucket = Int((key >> UInt64(shift)) & 0xFF)
                target[counts[bucket]] = key
                counts[bucket] += 1
            }
            swap(&source, &target)
        }
        for index in 0..<count {
            let key = source[index]
            values[index] = Double(bitPattern: key & (1 << 63) != 0 ? key & ~(1 << 63) : ~key)
        }
    }
}
