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

        mutating func merge(_ other: Numbers) {
            moments.merge(other.moments)
            quantiles.merge(other.quantiles)
        }
    }

    public struct Strings: Codable, Sendable, Equatable {
        public private(set) var distinct = DistinctCount()
        /// Nil for bytes: their distinct count only.
        public private(set) var frequent: FrequentValues?

        mutating func merge(_ other: Strings) {
            distinct.merge(other.distinct)
            if let theirs = other.frequent {
                if frequent == nil { frequent = theirs } else { frequent!.merge(theirs) }
            }
        }

        fileprivate mutating func add(_ text: String) {
            distinct.add(text)
            if frequent == nil { frequent = FrequentValues() }
            frequent!.add(text)
        }

        fileprivate mutating func add(bytes: [UInt8]) {
            distinct.add(hash: StableHash.hash(bytes))
        }
    }

    public private(set) var rows = 0
    public private(set) var nulls = 0
    public private(set) var numbers: Numbers?
    public private(set) var strings: Strings?
    public private(set) var listLengths: Numbers?

    public init() {}

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
        case .string(let text): strings(default: Strings()) { $0.add(text) }
        case .bytes(let bytes): strings(default: Strings()) { $0.add(bytes: bytes) }
        case .int64List(let list): addLength(list.count)
        case .float32List(let list): addLength(list.count)
        case .float64List(let list): addLength(list.count)
        case .stringList(let list): addLength(list.count)
        }
    }

    public mutating func merge(_ other: FeatureStatistics) {
        rows += other.rows
        nulls += other.nulls
        if let theirs = other.numbers { numbers == nil ? (numbers = theirs) : numbers!.merge(theirs) }
        if let theirs = other.strings { strings == nil ? (strings = theirs) : strings!.merge(theirs) }
        if let theirs = other.listLengths { listLengths == nil ? (listLengths = theirs) : listLengths!.merge(theirs) }
    }

    /// The share of rows that were null (nil without rows).
    public var nullRate: Double? {
        rows > 0 ? Double(nulls) / Double(rows) : nil
    }

    private mutating func addNumber(_ value: Double) {
        if numbers == nil { numbers = Numbers() }
        numbers!.add(value)
    }

    private mutating func addLength(_ length: Int) {
        if listLengths == nil { listLengths = Numbers() }
        listLengths!.add(Double(length))
    }

    private mutating func strings(default empty: Strings, _ update: (inout Strings) -> Void) {
        if strings == nil { strings = empty }
        update(&strings!)
    }

    private enum CodingKeys: String, CodingKey {
        case rows, nulls, numbers, strings, listLengths = "list_lengths"
    }
}
