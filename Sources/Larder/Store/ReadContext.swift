import LMDBKit
import Synchronization

/// What every read needs besides the transaction: the registry and the database handles of
/// its views, built once per registry version and shared by all reads of this process.
///
/// A read checks the context against the registry version stored in its own transaction, so it
/// never uses a stale or half-applied registry. Reading that version costs a B-tree lookup, so
/// the context remembers the last transaction id it was checked in: LMDB's transaction id only
/// changes when a write commits, and until then the check is one integer comparison.
@usableFromInline
final class ReadContext: Sendable {
    @usableFromInline let registry: Registry
    let databases: [UInt32: ViewDatabases]
    private let checkedTransaction = Atomic<Int>(-1)

    init(registry: Registry, databases: [UInt32: ViewDatabases]) {
        self.registry = registry
        self.databases = databases
    }

    @inline(__always)
    func wasChecked(in transactionID: Int) -> Bool {
        checkedTransaction.load(ordering: .relaxed) == transactionID
    }

    func markChecked(in transactionID: Int) {
        checkedTransaction.store(transactionID, ordering: .relaxed)
    }
}
