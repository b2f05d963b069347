/// The most frequent values of a string feature and their counts, by the Space-Saving algorithm
/// (Metwally et al., 2005): `capacity` counters; a value not yet counted when all are taken
/// replaces the smallest counter and inherits its count plus one. Any value more frequent than
/// 1/capacity of the input is among the counters, and each count overestimates by at most the
/// count it inherited (`error`). Merging adds the counts of two summaries and keeps the largest.
public struct FrequentValues: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public let value: String
        public fileprivate(set) var count: Int
        /// The most `count` may overstate.
        public fileprivate(set) var error: Int
    }

    public static let defaultCapacity = 64

    public let capacity: Int
    private var entries: [String: Entry] = [:]

    public init(capacity: Int = FrequentValues.defaultCapacity) {
        self.capacity = max(1, capacity)
    }

    public mutating func add(_ value: String) {
        if entries[value] != nil {
            entries[value]!.count += 1
            return
        }
        if entries.count < capacity {
            entries[value] = Entry(value: value, count: 1, error: 0)
            return
        }
        let smallest = entries.values.min { ($0.count, $0.value) < ($1.count, $1.value) }!
        entries[smallest.value] = nil
        entries[value] = Entry(value: value, count: smallest.count + 1, error: smallest.count)
    }

    public mutating func merge(_ other: FrequentValues) {
        for entry in other.entries.values {
            if var mine = entries[entry.value] {
                mine.count += entry.count
                mine.error += entry.error
                entries[entry.value] = mine
            } else {
                entries[entry.value] = entry
            }
        }
        if entries.count > capacity {
            entries = Dictionary(uniqueKeysWithValues: top(capacity).map { ($0.value, $0) })
        }
    }

    /// The `count` most frequent values, most frequent first (ties by value).
    public func top(_ count: Int) -> [Entry] {
        Array(entries.values.sorted { ($1.count, $0.value) < ($0.count, $1.value) }.prefix(count))
    }
}
