/// What one feature's values looked like over a set of rows — a run, a training set, a window of
/// history — in a form that merges: the statistics of two sets of rows combine into those of
/// their union without reading a row again (Docs/Monitoring.md).
///
/// - every feature: rows and nulls;
/// - numbers (integers, floats, booleans as 0 and 1, timestamps as seconds since the epoch):
///   `Moments` and a `QuantileSketch`;
/// - strings: a `DistinctCount` and the `FrequentValues`; bytes: the distinct count;
/// - lists: the distribution of their lengths, as for numbers.
public struct FeatureStatistics: Codable, Sendable, Equatable {
    public struct Numbers: Codable, Sendable, Equatable {
        public private(set) var moments = Moments()
        public private(set) var quantiles = QuantileSketch()

        mutating func add(_ value: Double) {
            moments.add(value)
            quantiles.add(value)
        }

        /// Adds a block of values and returns how many it left out: infinities and NaN, which
        /// have no rank and no mean. The finite ones are ordered (to `DoubleRadixSort`'s
        /// precision) and halved into the quantile sketch at once. The block's contents are left
        /// undefined.
        mutating func add(block: UnsafeMutableBufferPointer<Double>) -> Int {
            let (count, low, high) = moments.add(finiteOf: block)
            let finite = UnsafeMutableBufferPointer(rebasing: block[..<count])
            DoubleRadixSort.nearlySort(finite, between: low, and: high)
            quantiles.add(sorted: finite)
            return block.count - finite.count
        }

        mutating func merge(_ other: Numbers) {
            moments.merge(other.moments)
            quantiles.merge(other.quantiles)
        }
    }

    public struct Strings: Codable, Sendable, Equatable {
        public private(set) var distinct = DistinctCount()
        /// Nil for bytes: their distinct count only.
        public private(set) var frequent: FrequentValues?

        /// - Parameter frequent: keep the most frequent values (strings), or not (bytes).
        init(frequent: Bool) {
            self.frequent = frequent ? FrequentValues() : nil
        }

        mutating func merge(_ other: Strings) {
            distinct.merge(other.distinct)
            if let theirs = other.frequent {
                if frequent == nil { frequent = theirs } else { frequent!.merge(theirs) }
            }
        }

        mutating func add(utf8: UnsafeRawBufferPointer) {
            _ = add(utf8: utf8, hash: StableHash.hash(utf8))
        }

        /// Counts a value whose `StableHash` is `hash`; returns its most-frequent-values
        /// counter (-1 for bytes, which have none), for `addSeen`.
        mutating func add(utf8: UnsafeRawBufferPointer, hash: UInt64) -> Int {
            distinct.add(hash: hash)
            return frequent?.add(utf8: utf8, hash: hash) ?? -1
        }

        /// Counts a value already counted, whose counter was at `place`: its distinct count
        /// cannot change. Returns the counter's place now.
        @inline(__always)
        mutating func addSeen(utf8: UnsafeRawBufferPointer, hash: UInt64, place: Int) -> Int {
            frequent?.addAgain(utf8: utf8, hash: hash, place: place) ?? -1
        }

        mutating func add(bytes: UnsafeRawBufferPointer) {
            distinct.add(hash: StableHash.hash(bytes))
        }
    }

    public private(set) var rows = 0
    public private(set) var nulls = 0
    /// Infinities and NaNs: counted here, left out of `numbers` (a mean with an infinity in it
    /// says nothing).
    public private(set) var nonFinite = 0
    public private(set) var numbers: Numbers?
    public private(set) var strings: Strings?
    public private(set) var listLengths: Numbers?

    public init() {}

    /// Statistics assembled from their parts (by `ViewStatisticsCollector`).
    init(rows: Int, nulls: Int, nonFinite: Int, numbers: Numbers?, strings: Strings?, listLengths: Numbers?) {
        (self.rows, self.nulls, self.nonFinite) = (rows, nulls, nonFinite)
        (self.numbers, self.strings, self.listLengths) = (numbers, strings, listLengths)
    }

    public mutating func add(_ value: FeatureValue) {
        rows += 1
        switch value {
        case .null: nulls += 1
        case .bool(let flag): addNumber(flag ? 1 : 0)
        case .int32(let number): addNumber(Double(number))
        case .int64(let number): addNumber(Double(number))
        case .float32(let number): addNumber(Double(number))
        case .float64(let number): addNumber(number)
        case .timestamp(let time): addNumber(Double(time.microseconds) / 1_000_000)
        case .string(var text): text.withUTF8 { addString(utf8: UnsafeRawBufferPointer($0)) }
        case .bytes(let bytes): bytes.withUnsafeBytes { addBytes($0) }
        case .int64List(let list): addLength(list.count)
        case .float32List(let list): addLength(list.count)
        case .float64List(let list): addLength(list.count)
        case .stringList(let list): addLength(list.count)
        }
    }

    public mutating func merge(_ other: FeatureStatistics) {
        rows += other.rows
        nulls += other.nulls
        nonFinite += other.nonFinite
        if let theirs = other.numbers { numbers == nil ? (numbers = theirs) : numbers!.merge(theirs) }
        if let theirs = other.strings { strings == nil ? (strings = theirs) : strings!.merge(theirs) }
        if let theirs = other.listLengths { listLengths == nil ? (listLengths = theirs) : listLengths!.merge(theirs) }
    }

    /// The share of rows that were null (nil without rows).
    public var nullRate: Double? {
        rows > 0 ? Double(nulls) / Double(rows) : nil
    }

    private mutating func addNumber(_ value: Double) {
        guard value.isFinite else {
            nonFinite += 1
            return
        }
        if numbers == nil { numbers = Numbers() }
        numbers!.add(value)
    }

    private mutating func addString(utf8: UnsafeRawBufferPointer) {
        if strings == nil { strings = Strings(frequent: true) }
        strings!.add(utf8: utf8)
    }

    private mutating func addBytes(_ bytes: UnsafeRawBufferPointer) {
        if strings == nil { strings = Strings(frequent: false) }
        strings!.add(bytes: bytes)
    }

    private mutating func addLength(_ length: Int) {
        if listLengths == nil { listLengths = Numbers() }
        listLengths!.add(Double(length))
    }

    private enum CodingKeys: String, CodingKey {
        case rows, nulls, nonFinite = "non_finite", numbers, strings, listLengths = "list_lengths"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rows = try container.decode(Int.self, forKey: .rows)
        nulls = try container.decode(Int.self, forKey: .nulls)
        nonFinite = try container.decode(Int.self, forKey: .nonFinite)
        numbers = try container.decodeIfPresent(Numbers.self, forKey: .numbers)
        strings = try container.decodeIfPresent(Strings.self, forKey: .strings)
        listLengths = try container.decodeIfPresent(Numbers.self, forKey: .listLengths)
        // Counts that add up (statistics files come from anywhere).
        guard (0...(1 << 53)).contains(rows), nulls >= 0, nonFinite >= 0, nulls <= rows, nonFinite <= rows - nulls else {
            throw DecodingError.dataCorruptedError(forKey: .rows, in: container, debugDescription: "\(nulls) nulls and \(nonFinite) non-finite values in \(rows) rows")
        }
    }
}
