import Foundation
import LMDBKit

extension FeatureStore {
    /// Reads every record of the store and checks it. First LMDB's structure, page by page from
    /// the file (LMDBKit's `Environment.checkStructure()`), so that no damaged tree is then read through
    /// LMDB, which would follow a broken pointer; then, in one read transaction, Larder's
    /// records against the registry and the storage format: `meta` values and counters,
    /// snapshot records, the named databases, and every history and online record of every view
    /// (keys, snapshot ids, rows decoded strictly, each online record's history row present).
    /// Writers may go on meanwhile.
    ///
    /// LMDB keeps no checksums: damage that leaves every structure and record well-formed (a
    /// flipped bit in a float) cannot be seen. `Docs/Reliability.md` says more.
    /// - Throws: only when the store cannot be read at all; damage is in the report.
    public func verify() throws -> VerifyReport {
        // LMDB's structure first, read from the file: walking a damaged tree through LMDB could
        // crash. Larder's records are then read only where the structure is sound.
        let structure = try environment.checkStructure()
        var structureReport = VerifyReport()
        structureReport.pages = structure.pages
        for problem in structure.problems { structureReport.add("structure", problem) }
        guard structure.damagedDatabases.isDisjoint(with: ["main", "meta", "registry", "snapshots"]) else {
            return structureReport
        }
        var verifier = StoreVerifier(store: self, report: structureReport, skipped: structure.damagedDatabases)
        do {
            try read { txn, registry, handles in
                try verifier.checkMeta(txn)
                try verifier.checkSnapshots(txn)
                try verifier.checkDatabaseNames(registry: registry, txn)
                try verifier.checkViews(registry: registry, handles: handles, txn)
                verifier.checkCounters(registry: registry)
            }
        } catch let error as LarderError {
            guard case .damagedStore = error else { throw error }
            // The registry (or the meta values it is found with) cannot be read: report that,
            // and check what can be checked without it.
            verifier = StoreVerifier(store: self, report: structureReport, skipped: structure.damagedDatabases)
            verifier.report.add("registry", error.description)
            try environment.read { txn in
                try verifier.checkMeta(txn)
                try verifier.checkSnapshots(txn)
            }
        }
        return verifier.report
    }
}

/// The checks of ``FeatureStore/verify()``, with what they learn on the way.
struct StoreVerifier {
    let store: FeatureStore
    var report: VerifyReport
    private var counters: [String: UInt64] = [:]
    private var pending: PendingRun?
    private var committed: Set<UInt64> = []
    private var highestSnapshotSeen: UInt64 = 0
    /// Databases whose LMDB structure is damaged: not read through LMDB.
    let skipped: Set<String>

    init(store: FeatureStore, report: VerifyReport, skipped: Set<String>) {
        self.store = store
        self.report = report
        self.skipped = skipped
    }

    private static let counterKeys = [StoreMeta.registryVersionKey, StoreMeta.nextViewIDKey, StoreMeta.nextSnapshotIDKey, StoreMeta.visibleSnapshotKey]

    mutating func checkMeta(_ txn: borrowing some ReadableTransaction) throws {
        report.databases += 1
        var seen: Set<[UInt8]> = []
        var entries: [(key: [UInt8], value: [UInt8])] = []
        try txn.withCursor(on: store.meta) { cursor in
            try cursor.forEach(prefix: []) { entry in
                entries.append((Array(entry.key), Array(entry.value)))
                return true
            }
        }
        for (key, value) in entries {
            report.records += 1
            seen.insert(key)
            let name = String(decoding: key, as: UTF8.self)
            let place = "meta '\(printable(name))'"
            if key == StoreMeta.formatKey {
                let version = value.withUnsafeBytes { StoreMeta.formatVersion($0) }
                if version != StoreMeta.formatVersion { report.add(place, "is \(value.count) bytes, not the 4-byte format \(StoreMeta.formatVersion)") }
            } else if key == StoreMeta.storeIDKey {
                if value.isEmpty || UUID(uuidString: String(decoding: value, as: UTF8.self)) == nil { report.add(place, "is not a UUID") }
            } else if Self.counterKeys.contains(key) || StoreMeta.isWatermarkKey(key) {
                guard let number = value.withUnsafeBytes({ StoreMeta.uint64($0) }) else {
                    report.add(place, "has \(value.count) bytes, not 8")
                    continue
                }
                if StoreMeta.isWatermarkKey(key), StoreMeta.watermarkView(key) == nil {
                    report.add(place, "names no view id")
                }
                counters[name] = number
            } else if key == StoreMeta.pendingRunKey {
                guard value.withUnsafeBytes({ PendingRunRecord.decode($0) }) != nil else {
                    report.add(place, "has \(value.count) bytes, not 12 and 4 per view")
                    continue
                }
                pending = try PendingRun.load(from: store.meta, txn)
            } else {
                report.add(place, "is not a key Larder writes")
            }
        }
        for key in Self.counterKeys + [StoreMeta.formatKey, StoreMeta.storeIDKey] where !seen.contains(key) {
            // Stores made before visible_snapshot existed have none: every snapshot is visible.
            if key == StoreMeta.visibleSnapshotKey { continue }
            report.add("meta '\(String(decoding: key, as: UTF8.self))'", "is missing")
        }
    }

    mutating func checkSnapshots(_ txn: borrowing some ReadableTransaction) throws {
        report.databases += 1
        let decoder = JSONDecoder()
        try txn.withCursor(on: store.snapshotsDatabase) { cursor in
            try cursor.forEach(prefix: []) { entry in
                report.records += 1
                guard let id = SnapshotKey.id(entry.key) else {
                    report.add("snapshots, key of \(entry.key.count) bytes", "is not an 8-byte snapshot id")
                    return true
                }
                guard let snapshot = try? decoder.decode(Snapshot.self, from: Data(entry.value)) else {
                    report.add("snapshot \(id)", "its record is not a readable snapshot (\(entry.value.count) bytes)")
                    return true
                }
                if snapshot.id != id { report.add("snapshot \(id)", "its record says it is snapshot \(snapshot.id)") }
                committed.insert(id)
                highestSnapshotSeen = max(highestSnapshotSeen, id)
                return true
            }
        }
    }

    mutating func checkDatabaseNames(registry: Registry, _ txn: borrowing some ReadableTransaction) throws {
        var expected: Set<String> = ["meta", "registry", "snapshots"]
        // Stores made before statistics were recorded have no `statistics` database.
        let optional: Set<String> = ["statistics"]
        for stored in registry.views.values {
            expected.insert(stored.spec.historyDatabaseName)
            expected.insert(stored.spec.onlineDatabaseName)
        }
        var found: Set<String> = []
        for (name, entries) in try store.environment.namedDatabases(in: txn) {
            report.records += 1
            found.insert(name)
            // A deleted view's databases are emptied and stay (their handles may still be in
            // use by reads of the previous registry): only rows without a view are damage.
            if !expected.contains(name), !optional.contains(name), entries > 0 {
                report.add("database '\(printable(name))'", "holds \(entries) records but belongs to no view in the registry")
            }
        }
        for name in expected.subtracting(found).sorted() { report.add("database '\(name)'", "is missing") }
    }

    mutating func checkViews(registry: Registry, handles: [UInt32: ViewDatabases], _ txn: borrowing some ReadableTransaction) throws {
        for name in registry.views.keys.sorted() {
            guard let record = registry.views[name]?.spec, let databases = handles[record.id] else { continue }
            let damaged = skipped.contains(record.historyDatabaseName) || skipped.contains(record.onlineDatabaseName)
            do {
                if !skipped.contains(record.historyDatabaseName) { try checkHistory(of: record, databases.history, txn) }
                // Online records are checked against history: only when both are sound.
                if !damaged { try checkOnline(of: record, databases, txn) }
            } catch let error as LMDBError {
                // LMDB's own checks on the way (MDB_CORRUPTED, MDB_PAGE_NOTFOUND) are findings too.
                report.add("view \(name)", error.description)
            }
        }
        if let pending {
            let ids = Set(registry.views.values.map(\.spec.id))
            for view in pending.views where !ids.contains(view) {
                report.add("meta 'pending_run'", "names view id \(view), which the registry does not have")
            }
        }
    }

    /// Whether rows of `snapshot` may exist: a committed run's, or the pending run's.
    private func isKnown(_ snapshot: UInt64) -> Bool {
        committed.contains(snapshot) || snapshot == pending?.snapshot
    }

    private mutating func checkHistory(of record: ViewRecord, _ history: Database, _ txn: borrowing some ReadableTransaction) throws {
        report.databases += 1
        let view = record.definition.name
        try txn.withCursor(on: history) { cursor in
            try cursor.forEach(prefix: []) { entry in
                countRecord()
                if let problem = KeyEncoding.historyKeyProblem(entry.key, types: record.keyTypes) {
                    report.add("view \(view): history key \(hex(entry.key))", problem)
                    return true
                }
                let length = HistoryKey.entityLength(entry.key)
                let snapshot = HistoryKey.snapshot(entry.key)
                highestSnapshotSeen = max(highestSnapshotSeen, snapshot)
                let place = "view \(view): history row of \(describe(entry.key, length: length, types: record.keyTypes))"
                if !isKnown(snapshot) { report.add(place, "snapshot \(snapshot) was never committed and no run is pending") }
                if let problem = RowView.problem(entry.value, schemas: record.schemas) { report.add(place, problem) }
                return true
            }
        }
    }

    private mutating func checkOnline(of record: ViewRecord, _ databases: ViewDatabases, _ txn: borrowing some ReadableTransaction) throws {
        report.databases += 1
        let view = record.definition.name
        let schemas = record.schemas
        try txn.withCursor(on: databases.online) { cursor in
            try cursor.forEach(prefix: []) { entry in
                countRecord()
                if let problem = KeyEncoding.entityKeyProblem(entry.key, types: record.keyTypes) {
                    report.add("view \(view): online key \(hex(entry.key))", problem)
                    return true
                }
                let place = "view \(view): online row of \(describe(entry.key, length: entry.key.count, types: record.keyTypes))"
                if let problem = OnlineRecord.problem(entry.value, row: { RowView.problem($0, schemas: schemas) }) {
                    report.add(place, problem)
                    return true
                }
                // Each online record is its entity's newest history row, which retention keeps.
                // The record it replaced may be older than a retention cutoff: only its snapshot
                // is checked.
                for (index, stored) in ([entry.value] + [OnlineRecord.previous(entry.value)].compactMap({ $0 })).enumerated() {
                    let snapshot = OnlineRecord.snapshot(stored)
                    highestSnapshotSeen = max(highestSnapshotSeen, snapshot)
                    guard isKnown(snapshot) else {
                        report.add(place, "snapshot \(snapshot) was never committed and no run is pending")
                        continue
                    }
                    guard index == 0 else { continue }
                    let key = HistoryKey.make(entity: Array(entry.key), eventTime: OnlineRecord.eventTime(stored),
                                              createdTime: OnlineRecord.createdTime(stored), snapshot: snapshot)
                    if try !txn.contains(key, in: databases.history) {
                        report.add(place, "its history row (event time \(Timestamp(microseconds: OnlineRecord.eventTime(stored))), snapshot \(snapshot)) is missing")
                    }
                }
                return true
            }
        }
    }

    /// Counts a view record, and every 64k drops the pages read so far from this process's
    /// resident memory (they stay in the page cache): otherwise the whole mapped store would
    /// count as the process's memory by the end of the walk.
    private mutating func countRecord() {
        report.records += 1
        if report.records % 65_536 == 0 { store.environment.releaseResidentPages() }
    }

    mutating func checkCounters(registry: Registry) {
        if let next = counters["next_snapshot_id"] {
            let highest = max(highestSnapshotSeen, pending?.snapshot ?? 0)
            if next <= highest { report.add("meta 'next_snapshot_id'", "is \(next), but snapshot \(highest) exists: the next run would reuse an id") }
            if let visible = counters["visible_snapshot"], visible >= next {
                report.add("meta 'visible_snapshot'", "is \(visible), at or past next_snapshot_id \(next)")
            }
        }
        if let visible = counters["visible_snapshot"], let newest = committed.max(), visible < newest {
            report.add("meta 'visible_snapshot'", "is \(visible), but snapshot \(newest) is committed: its rows are hidden")
        }
        if let pending, committed.contains(pending.snapshot) {
            report.add("meta 'pending_run'", "names snapshot \(pending.snapshot), which is already committed")
        }
        if let next = counters["next_view_id"], let highest = registry.views.values.map(\.spec.id).max(), next <= UInt64(highest) {
            report.add("meta 'next_view_id'", "is \(next), but view id \(highest) exists: the next view would share its databases")
        }
        for (name, _) in counters {
            if let id = StoreMeta.watermarkView(Array(name.utf8)), !registry.views.values.contains(where: { $0.spec.id == id }) {
                report.add("meta '\(name)'", "names view id \(id), which the registry does not have")
            }
        }
        if registry.version == 0, !registry.views.isEmpty { report.add("meta 'registry_version'", "is 0, but the registry has views") }
    }

    /// `driver_id=1001 at 2024-05-01T01:00:00Z (snapshot 3)` for a well-formed history key.
    private func describe(_ key: UnsafeRawBufferPointer, length: Int, types: [Entity.KeyType]) -> String {
        let entity = KeyEncoding.decode(UnsafeRawBufferPointer(rebasing: key[..<length]), types: types)?.map { "\($0)" }.joined(separator: ", ") ?? hex(key)
        guard key.count == HistoryKey.length(entityLength: length) else { return "entity (\(printable(entity)))" }
        let time = Timestamp(microseconds: HistoryKey.eventTime(key))
        return "entity (\(printable(entity))) at \(time) (snapshot \(HistoryKey.snapshot(key)))"
    }
}

/// Up to 32 bytes in hex, for keys that cannot be decoded.
private func hex(_ bytes: UnsafeRawBufferPointer) -> String {
    "0x" + bytes.prefix(32).map { String(format: "%02x", $0) }.joined() + (bytes.count > 32 ? "… (\(bytes.count) bytes)" : "")
}
