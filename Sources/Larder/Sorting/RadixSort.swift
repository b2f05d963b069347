/// Sorts sort records by their 16-byte key prefixes, then orders each run of equal prefixes by
/// the rest of the key with `areInIncreasingOrder`.
///
/// The prefix is two words. Records are first ordered by the high word with a
/// least-significant-digit radix sort (one byte a pass, skipping bytes every record shares);
/// each run of equal high words is then ordered by the low word: by insertion for short runs,
/// by the same radix passes for long ones. For a join lookup with an int64 entity, the high word
/// is the entity and the low word the time, and an entity has only a few lookups, so this takes
/// the entity's few varying bytes in linear passes and finishes with short insertion sorts,
/// where radix passes over the time's bytes too would read and write every record five more
/// times.
///
/// The records end up sorted in `records` or in `scratch` (of the same count); returns whether
/// in `scratch`.
func radixSort(
    _ records: UnsafeMutableBufferPointer<SortRecord>, scratch: UnsafeMutableBufferPointer<SortRecord>,
    areInIncreasingOrder: (SortRecord, SortRecord) -> Bool
) -> Bool {
    let count = records.count
    guard count > 1 else { return false }
    precondition(scratch.count == count)
    // Counts of every byte value at each of a word's 8 positions; reused by every call below.
    let histograms = UnsafeMutableBufferPointer<Int>.allocate(capacity: 8 * 256)
    defer { histograms.deallocate() }
    let inScratch = radixPasses(records, scratch, highWord: true, histograms: histograms)
    let (sorted, spare) = inScratch ? (scratch, records) : (records, scratch)
    var start = 0
    while start < count {
        let high = sorted[start].prefix.high
        var end = start + 1
        while end < count && sorted[end].prefix.high == high { end += 1 }
        sortByLowWord(UnsafeMutableBufferPointer(rebasing: sorted[start..<end]),
                      scratch: UnsafeMutableBufferPointer(rebasing: spare[start..<end]), histograms: histograms)
        start = end
    }
    // Equal prefixes: order by the rest of the key.
    start = 0
    while start < count {
        var end = start + 1
        while end < count && sorted[end].prefix == sorted[start].prefix { end += 1 }
        if end - start > 1 {
            var equalPrefixes = UnsafeMutableBufferPointer(rebasing: sorted[start..<end])
            equalPrefixes.sort(by: areInIncreasingOrder)
        }
        start = end
    }
    return inScratch
}

/// Orders records that share their high word by their low word.
private func sortByLowWord(
    _ records: UnsafeMutableBufferPointer<SortRecord>, scratch: UnsafeMutableBufferPointer<SortRecord>, histograms: UnsafeMutableBufferPointer<Int>
) {
    guard records.count > 1 else { return }
    guard records.count > 32 else {
        for index in 1..<records.count {
            let record = records[index]
            var place = index
            while place > 0 && records[place - 1].prefix.low > record.prefix.low {
                records[place] = records[place - 1]
                place -= 1
            }
            records[place] = record
        }
        return
    }
    if radixPasses(records, scratch, highWord: false, histograms: histograms) {
        records.baseAddress!.update(from: scratch.baseAddress!, count: records.count)
    }
}

/// Stable radix passes over the bytes of one prefix word, least significant first, moving the
/// records back and forth between `records` and `scratch`. Returns whether they end in `scratch`.
private func radixPasses(
    _ records: UnsafeMutableBufferPointer<SortRecord>, _ scratch: UnsafeMutableBufferPointer<SortRecord>,
    highWord isHigh: Bool, histograms: UnsafeMutableBufferPointer<Int>
) -> Bool {
    let count = records.count
    // One pass over the data counts every byte position's values.
    histograms.update(repeating: 0)
    for record in records {
        let value = isHigh ? record.prefix.high : record.prefix.low
        for byte in 0..<8 { histograms[byte * 256 + digit(value, UInt64(56 - 8 * byte))] += 1 }
    }
    var source = records
    var target = scratch
    var inScratch = false
    for position in stride(from: 7, through: 0, by: -1) {
        let counts = UnsafeMutableBufferPointer(rebasing: histograms[position * 256..<(position + 1) * 256])
        if counts.contains(count) { continue }  // Every record has the same byte here.
        var offset = 0
        for value in 0..<256 {
            let bucket = counts[value]
            counts[value] = offset
            offset += bucket
        }
        let shift = UInt64(56 - 8 * position)
        for record in source {
            let value = digit(isHigh ? record.prefix.high : record.prefix.low, shift)
            target[counts[value]] = record
            counts[value] += 1
        }
        swap(&source, &target)
        inScratch.toggle()
    }
    return inScratch
}

/// The byte of `word` at `shift` bits from the right.
@inline(__always)
private func digit(_ word: UInt64, _ shift: UInt64) -> Int {
    Int(truncatingIfNeeded: (word >> shift) & 0xFF)
}
