import LMDBKit
import Synchronization

/// What every read needs besides the transaction: the registry and the database handles of
/// its views, built once per registry version and shared by all reads of this process.
///
/// A read checks the context against the registry version stored in its own transaction, so it
/// never uses a stale or half-applied registry, and reads the highest visible snapshot (rows
/// of a materialization still in progress carry a higher id and are skipped). Reading those
/// costs B-tree lookups, so the context remembers the last transaction id it checked and what
/// it found: LMDB's transaction id only changes when a write commits, and until then the check
/// is one integer comparison.
@usableFromInline
final class ReadContext: Sendable {
    @usableFromInline let registry: Registry
    let databases: [UInt32: ViewDatabases]
    /// (transaction id, visible snapshot) of the last check, updated together.
    private let checked = Atomic<WordPair>(WordPair(first: .max, second: 0))

    init(registry: Registry, databases: [UInt32: ViewDatabases]) {
        self.registry = registry
        self.databases = databases
    }

    /// The visible snapshot recorded for `transactionID`, if this context was checked in it.
    @inline(__always)
    func visibleSnapshot(ifCheckedIn transactionID: Int) -> UInt64? {
        let pair = checked.load(ordering: .acquiring)
        return pair.first == UInt(bitPattern: transactionID) ? UInt64(pair.second) : nil
    }

    func markChecked(in transactionID: Int, visibleSnapshot: UInt64) {
        checked.store(WordPair(first: UInt(bitPattern: transactionID), second: UInt(visibleSnapshot)), ordering: .releasing)
    }
}
