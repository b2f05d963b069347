import Synchronization

/// The values last computed for a few keys, oldest first: for callers that ask the same few
/// questions over and over (a service resolving the same feature list on every request).
/// Safe to share between threads.
final class RecentValues<Key: Equatable & Sendable, Value: Sendable>: Sendable {
    private let entries: Mutex<[(key: Key, value: Value)]>
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        self.entries = Mutex([])
    }

    /// The value kept for `key`, or `make()`'s, kept in place of the oldest when full. Entries
    /// whose key `isStale` are dropped when a value is made (they would never match again).
    func value(for key: Key, droppingWhere isStale: (Key) -> Bool = { _ in false }, orMake make: () throws -> Value) rethrows -> Value {
        if let found = entries.withLock({ entries in entries.first { $0.key == key }?.value }) { return found }
        let made = try make()
        entries.withLock { entries in
            entries.removeAll { isStale($0.key) }
            if entries.count >= capacity { entries.removeFirst() }
            entries.append((key, made))
        }
        return made
    }
}
