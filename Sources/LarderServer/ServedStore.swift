import Larder
import Synchronization

/// The store a server answers from. A request takes it once and reads everything from it, so
/// a switch to a newer export (`--watch`) falls between requests, never inside one; the old
/// store stays open until the last request holding it has finished.
final class ServedStore: Sendable {
    private let current: Mutex<FeatureStore>

    init(_ store: FeatureStore) {
        current = Mutex(store)
    }

    var store: FeatureStore { current.withLock { $0 } }

    /// Makes `store` the one later requests read; returns the one they read before.
    @discardableResult
    func replace(with store: FeatureStore) -> FeatureStore {
        current.withLock { served in
            defer { served = store }
            return served
        }
    }
}
