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
    /// The `StableHash` of each entry's value, in the order of `entries`.
    private var hashes: [UInt64] = []
    /// An open-addressing table over the hashes (already well mixed, so no second hash as
    /// `Dictionary` would compute): entry index + 1, 0 for an empty slot, -1 for a removed one.
    private var table: [Int32] = []
    private var removed = 0

    public init(capacity: Int = FrequentValues.defaultCapacity) {
        self.capacity = max(1, capacity)
        rebuild()
    }

    public mutating func add(_ value: String) {
        var value = value
        value.withUTF8 { _ = add(utf8: UnsafeRawBufferPointer($0), hash: StableHash.hash($0)) }
    }

    /// Counts the string whose UTF-8 is `utf8` and whose `StableHash` is `hash`; returns the
    /// place of its counter, for `addAgain`.
    @discardableResult
    mutating func add(utf8: UnsafeRawBufferPointer, hash: UInt64) -> Int {
        if let place = place(of: hash) {
            entries[place].count += 1
            return place
        }
        let value = String(decoding: utf8, as: UTF8.self)
        if entries.count < capacity {
            insert(Entry(value: value, count: 1, error: 0), hash: hash)
            return entries.count - 1
        }
        var smallest = 0
        for index in entries.indices.dropFirst() where entries[index].count < entries[smallest].count { smallest = index }
        let inherited = entries[smallest].count
        removeSlot(of: smallest)
        entries[smallest] = Entry(value: value, count: inherited + 1, error: inherited)
        hashes[smallest] = hash
        put(hash: hash, place: smallest)
        // Removed slots lengthen probes: past a quarter of the table, start afresh.
        if removed > table.count / 4 { rebuild() }
        return smallest
    }

    /// `add(utf8:hash:)` for a value whose counter was at `place` when it was last counted:
    /// found there without a probe unless another value has taken that counter since. Inlined:
    /// it runs for most string values of a run.
    @inline(__always)
    mutating func addAgain(utf8: UnsafeRawBufferPointer, hash: UInt64, place: Int) -> Int {
        guard place >= 0, place < hashes.count, hashes[place] == hash else { return add(utf8: utf8, hash: hash) }
        entries[place].count += 1
        return place
    }

    private var mask: Int { table.count - 1 }

    private func place(of hash: UInt64) -> Int? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let found = table[slot]
            if found == 0 { return nil }
            if found > 0, hashes[Int(found) - 1] == hash { return Int(found) - 1 }
            slot = (slot + 1) & mask
        }
    }

    private mutating func insert(_ entry: Entry, hash: UInt64) {
        entries.append(entry)
        hashes.append(hash)
        put(hash: hash, place: entries.count - 1)
    }

    private mutating func put(hash: UInt64, place: Int) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while table[slot] > 0 { slot = (slot + 1) & mask }
        if table[slot] < 0 { removed -= 1 }
        table[slot] = Int32(place + 1)
    }

    /// Marks the slot of entry `place` removed (its hash still in `hashes`).
    private mutating func removeSlot(of place: Int) {
        var slot = Int(truncatingIfNeeded: hashes[place]) & mask
        while table[slot] != 0 {
            if table[slot] == Int32(place + 1) {
                table[slot] = -1
                removed += 1
                return
            }
            slot = (slot + 1) & mask
        }
    }

    /// The table made again from `hashes`: four slots per possible entry, a power of two.
    private mutating func rebuild() {
        var size = 8
        while size < capacity * 4 { size *= 2 }
        table = [Int32](repeating: 0, count: size)
        removed = 0
        for (place, hash) in hashes.enumerated() { put(hash: hash, place: place) }
    }

    public mutating func merge(_ other: FrequentValues) {
        var all = entries
        var places = Dictionary(uniqueKeysWithValues: zip(hashes, entries.indices))
        for (entry, hash) in zip(other.entries, other.hashes) {
            if let place = places[hash] {
                all[place].count += entry.count
                all[place].error += entry.error
            } else {
                places[hash] = all.count
                all.append(entry)
            }
        }
        self.entries = []
        self.hashes = []
        rebuild()
        for entry in Self.ranked(all).prefix(capacity) { insert(entry, hash: StableHash.hash(entry.value.utf8)) }
    }

    /// The `count` most frequent values, most frequent first (ties by value).
    public func top(_ count: Int) -> [Entry] {
        Array(Self.ranked(entries).prefix(count))
    }

    private static func ranked(_ entries: [Entry]) -> [Entry] {
        entries.sorted { ($1.count, $0.value) < ($0.count, $1.value) }
    }

    // Stored as the entries alone, most frequent first; the index is rebuilt.
    private enum CodingKeys: String, CodingKey { case capacity, entries }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        capacity = try container.decode(Int.self, forKey: .capacity)
        guard (1...65_536).contains(capacity) else {
            throw DecodingError.dataCorruptedError(forKey: .capacity, in: container, debugDescription: "frequent values keep 1 to 65536 counters, not \(capacity)")
        }
        rebuild()
        for entry in try container.decode([Entry].self, forKey: .entries).prefix(capacity) {
            let hash = StableHash.hash(entry.value.utf8)
            guard entry.count >= 0, entry.error >= 0, place(of: hash) == nil else {
                throw DecodingError.dataCorruptedError(forKey: .entries, in: container, debugDescription: "a frequent value counted twice, or a negative count")
            }
            insert(entry, hash: hash)
        }
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
