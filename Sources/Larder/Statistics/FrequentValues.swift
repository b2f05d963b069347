/// The most frequent values of a string feature and their counts, by the Space-Saving algorithm
/// (Metwally et al., 2005): `capacity` counters; a value not yet counted when all are taken
/// replaces the smallest counter and inherits its count plus one. Any value more frequent than
/// 1/capacity of the input is among the counters, and each count overestimates by at most the
/// count it inherited (`error`). Merging adds the counts of two summaries and keeps the largest.
///
/// Counters are found by the value's `StableHash`, so counting a value already counted reads
/// its bytes in place and makes no string.
public struct FrequentValues: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public let value: String
        public fileprivate(set) var count: Int
        /// The most `count` may overstate.
        public fileprivate(set) var error: Int
    }

    public static let defaultCapacity = 64

    public let capacity: Int
    private var entries: [Entry] = []
    /// Hash of each entry's value → its place in `entries`.
    private var places: [UInt64: Int] = [:]

    public init(capacity: Int = FrequentValues.defaultCapacity) {
        self.capacity = max(1, capacity)
    }

    public mutating func add(_ value: String) {
        var value = value
        value.withUTF8 { add(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// Counts the string whose UTF-8 is `utf8`.
    mutating func add(utf8: UnsafeRawBufferPointer) {
        let hash = StableHash.hash(utf8)
        if let place = places[hash] {
            entries[place].count += 1
            return
        }
        let value = String(decoding: utf8, as: UTF8.self)
        if entries.count < capacity {
            places[hash] = entries.count
            entries.append(Entry(value: value, count: 1, error: 0))
            return
        }
        var smallest = 0
        for index in entries.indices.dropFirst() where entries[index].count < entries[smallest].count { smallest = index }
        places[StableHash.hash(entries[smallest].value.utf8)] = nil
        places[hash] = smallest
        entries[smallest] = Entry(value: value, count: entries[smallest].count + 1, error: entries[smallest].count)
    }

    public mutating func merge(_ other: FrequentValues) {
        for entry in other.entries {
            let hash = StableHash.hash(entry.value.utf8)
            if let place = places[hash] {
                entries[place].count += entry.count
                entries[place].error += entry.error
            } else {
                places[hash] = entries.count
                entries.append(entry)
            }
        }
        if entries.count > capacity {
            entries = top(capacity)
            places = Self.places(of: entries)
        }
    }

    /// The `count` most frequent values, most frequent first (ties by value).
    public func top(_ count: Int) -> [Entry] {
        Array(entries.sorted { ($1.count, $0.value) < ($0.count, $1.value) }.prefix(count))
    }

    private static func places(of entries: [Entry]) -> [UInt64: Int] {
        Dictionary(uniqueKeysWithValues: entries.enumerated().map { (StableHash.hash($1.value.utf8), $0) })
    }

    // Stored as the entries alone, most frequent first; the index is rebuilt.
    private enum CodingKeys: String, CodingKey { case capacity, entries }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        capacity = max(1, try container.decode(Int.self, forKey: .capacity))
        entries = try container.decode([Entry].self, forKey: .entries)
        places = Self.places(of: entries)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(capacity, forKey: .capacity)
        try container.encode(top(entries.count), forKey: .entries)
    }

    public static func == (left: FrequentValues, right: FrequentValues) -> Bool {
        left.capacity == right.capacity && left.top(left.entries.count) == right.top(right.entries.count)
    }
}
