/// Sorts sort records by their 16-byte key prefixes with a least-significant-digit radix sort
/// (one byte a pass, skipping bytes every record shares), then orders each run of equal
/// prefixes by the rest of the key with `areInIncreasingOrder`.
///
/// The join's keys (int64 entity ‖ time ‖ row, or a row number) differ in only a few of those
/// bytes, so this takes a handful of linear passes where a comparison sort takes ~20 rounds of
/// closure calls.
func radixSort(_ records: inout [SortRecord], areInIncreasingOrder: (SortRecord, SortRecord) -> Bool) {
    let count = records.count
    guard count > 1 else { return }
    // One pass over the data counts every byte position's values.
    var histograms = [Int](repeating: 0, count: 16 * 256)
    records.withUnsafeBufferPointer { records in
        histograms.withUnsafeMutableBufferPointer { histograms in
            for record in records {
                for byte in 0..<8 {
                    histograms[byte * 256 + digit(record.prefix.high, UInt64(56 - 8 * byte))] += 1
                    histograms[(8 + byte) * 256 + digit(record.prefix.low, UInt64(56 - 8 * byte))] += 1
                }
            }
        }
    }
    var scratch = [SortRecord](unsafeUninitializedCapacity: count) { buffer, initialized in
        adviseHugePages(UnsafeMutableRawPointer(buffer.baseAddress), byteCount: buffer.count * MemoryLayout<SortRecord>.stride)
        initialized = count
    }
    histograms.withUnsafeMutableBufferPointer { histograms in
        // Least significant byte first: byte 15 is the low word's last.
        for position in stride(from: 15, through: 0, by: -1) {
            let counts = UnsafeMutableBufferPointer(rebasing: histograms[position * 256..<(position + 1) * 256])
            if counts.contains(count) { continue }  // Every record has the same byte here.
            var offset = 0
            for value in 0..<256 {
                let bucket = counts[value]
                counts[value] = offset
                offset += bucket
            }
            let shift = UInt64(56 - 8 * (position % 8))
            let isHigh = position < 8
            records.withUnsafeBufferPointer { source in
                scratch.withUnsafeMutableBufferPointer { target in
                    for record in source {
                        let word = isHigh ? record.prefix.high : record.prefix.low
                        let value = digit(word, shift)
                        target[counts[value]] = record
                        counts[value] += 1
                    }
                }
            }
            swap(&records, &scratch)
        }
    }
    // Equal prefixes: order by the rest of the key.
    var start = 0
    while start < count {
        var end = start + 1
        while end < count && records[end].prefix == records[start].prefix { end += 1 }
        if end - start > 1 { records[start..<end].sort(by: areInIncreasingOrder) }
        start = end
    }
}

/// The byte of `word` at `shift` bits from the right.
@inline(__always)
private func digit(_ word: UInt64, _ shift: UInt64) -> Int {
    Int(truncatingIfNeeded: (word >> shift) & 0xFF)
}
