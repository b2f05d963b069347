import Foundation
@testable import Larder
import LMDBKit
import TestSupport
import Testing

/// `verify` reads every record: a clean store has no problems, and damage to Larder's own
/// records is named with where it is.
@Suite struct VerifyTests {
    /// A store with two committed runs, a string-keyed view with lists, and retention applied.
    private func makeStore(in path: String) throws -> StatsStore {
        let stats = try StatsStore(in: path, csv: (0..<200).map { "\($0 % 20),\(at($0 / 20)),,0.\($0 % 10),\($0)" })
        try stats.store.materialize(from: time(0), to: time(5))
        try stats.store.materialize(from: time(5), to: time(24))
        try stats.store.expireHistory(olderThan: .seconds(3 * 3600), now: time(8))
        return stats
    }

    private func history(_ stats: StatsStore) throws -> Database {
        try #require(try stats.store.environment.database(named: try stats.store.registry.layout(of: "stats").record.historyDatabaseName))
    }

    @Test func aHealthyStoreHasNoProblems() throws {
        try withTemporaryDirectory { path in
            let stats = try makeStore(in: path)
            let report = try stats.store.verify()
            #expect(report.isClean, "\(report.problems)")
            #expect(report.databases == 4)
            #expect(report.records > 100)

            // A push view with lists and a string key.
            let customer = Entity("customer", joinKey: "customer_id", type: .string)
            let live = Source.push("live")
            let view = FeatureView("profile", entities: [customer], source: live) {
                Field("tags", .stringList)
                Field("scores", .float64List)
                Field("name", .string)
            }
            try stats.store.apply(Definitions(entities: [customer], sources: [live], views: [view]), options: [])
            try stats.store.push([
                ["customer_id": .string("C1"), "event_timestamp": .timestamp(time(1)), "tags": .stringList(["a", "ü"]), "scores": .float64List([1, 2])],
                ["customer_id": .string("C2"), "event_timestamp": .timestamp(time(2)), "name": .string("Zoë")],
            ], to: "profile")
            let withPush = try stats.store.verify()
            #expect(withPush.isClean, "\(withPush.problems)")
            // A deleted view leaves its databases behind, empty.
            try stats.store.delete([.view("profile")])
            let afterDelete = try stats.store.verify()
            #expect(afterDelete.isClean, "\(afterDelete.problems)")
        }
    }

    @Test func damagedRecordsAreNamedWithTheirPlace() throws {
        try withTemporaryDirectory { path in
            let stats = try makeStore(in: path)
            let history = try history(stats)
            let store = stats.store
            try store.environment.write { txn in
                // A row of a format no version wrote (a flipped bit in a float64 value is a
                // valid float64: no check can see that).
                var victim: (key: [UInt8], value: [UInt8])?
                try txn.withCursor(on: history) { cursor in
                    if let first = try cursor.first() { victim = (Array(first.key), Array(first.value)) }
                }
                var (key, value) = try #require(victim)
                value[0] = 9
                try txn.put(value, for: key, in: history)
                // A key of a snapshot that was never committed.
                key[key.count - 1] = 99
                try txn.put(value, for: key, in: history)
                // A key that is no history key at all.
                try txn.put([1, 2, 3], for: [1, 2, 3], in: history)
                // A counter that would reuse a snapshot id, and an unknown meta key.
                try StoreMeta.writeUInt64(2, StoreMeta.nextSnapshotIDKey, in: store.meta, txn)
                try txn.put([1], for: Array("stray".utf8), in: store.meta)
                // A database no view owns, with a record (an empty one is what deleting a view leaves).
                try txn.put([1], for: [1], in: try txn.createDatabase(named: "h.77"))
                _ = try txn.createDatabase(named: "o.78")
            }
            let report = try store.verify()
            let lines = report.problems.map(\.description)
            #expect(report.problemCount == 8, "\(lines)")
            #expect(lines.contains("meta 'stray': is not a key Larder writes"))
            #expect(lines.contains("database 'h.77': holds 1 records but belongs to no view in the registry"), "\(lines)")
            #expect(!lines.contains { $0.contains("o.78") }, "\(lines)")
            #expect(lines.contains { $0 == "view stats: history row of entity (0) at 2024-05-01T04:00:00Z (snapshot 1): row format 9 is unknown (this version writes 1)" }, "\(lines)")
            #expect(lines.contains { $0.contains("(snapshot 99): snapshot 99 was never committed and no run is pending") }, "\(lines)")
            #expect(lines.contains("view stats: history key 0x010203: history key of 3 bytes is not an entity key of (int64) and 24 bytes of times and snapshot"))
            #expect(lines.contains("meta 'next_snapshot_id': is 2, but snapshot 99 exists: the next run would reuse an id"), "\(lines)")
            #expect(lines.contains("meta 'visible_snapshot': is 2, at or past next_snapshot_id 2"), "\(lines)")
        }
    }

    @Test func strictRowChecksCatchWhatLenientReadsLetThrough() throws {
        let schemas = [SchemaVersion(version: 1, fieldIDs: [1, 2, 3], types: [.bool, .string, .stringList])]
        var encoder = RowEncoder(schemaVersion: 1, types: schemas[0].types)
        try encoder.encode([.bool(true), .string("héllo"), .stringList(["a", "bc"])])
        let good = encoder.bytes
        func problem(_ change: (inout [UInt8]) -> Void) -> String? {
            var bytes = good
            change(&bytes)
            return bytes.withUnsafeBytes { RowView.problem($0, schemas: schemas) }
        }
        #expect(problem { _ in } == nil)
        #expect(problem { $0[0] = 2 } == "row format 2 is unknown (this version writes 1)")
        #expect(problem { $0[1] = 9 } == "row schema version 9 is not one of the view's (1)")
        #expect(problem { $0[5] |= 0x80 } == "row null bitmap has bits set past its 3 fields")
        #expect(problem { $0[RowFormat.slotOffset(0, fieldCount: 3)] = 2 } == "field 1 (bool) holds 2")
        #expect(problem { $0.append(0) } == "row has 1 bytes past its last value")
        #expect(problem { $0[RowFormat.dataOffset(fieldCount: 3) + 1] = 0xFF } == "field 2 (string): not valid UTF-8")
        #expect(problem { $0.removeLast() } != nil)
        #expect(problem { $0[5] |= 0x01 } == "field 1 is null but its slot is not zero")
    }

    @Test func aRegistryThatCannotBeReadIsReportedAndTheRestChecked() throws {
        try withTemporaryDirectory { path in
            let stats = try makeStore(in: path)
            try stats.store.environment.write { txn in
                try txn.put(Array("{not json".utf8), for: RegistryObject.view("stats").storageKey, in: stats.store.registryDatabase)
            }
            let report = try FeatureStore.open(path + "/store").verify()
            #expect(report.problemCount == 1)
            #expect(report.problems.first?.place == "registry")
            #expect(report.problems.first?.reason.contains("registry entry 'stats' is unreadable") == true, "\(report.problems)")
        }
    }
}
