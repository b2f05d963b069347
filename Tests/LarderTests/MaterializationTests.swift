import Foundation
@testable import Larder
import TestSupport
import Testing

@Suite struct MaterializationTests {
    @Test func historyGetsEveryRowAndOnlineTheNewest() throws {
        try withTemporaryDirectory { path in
            let stats = try StatsStore(in: path, csv: [
                "1,\(at(1)),,0.5,10",
                "1,\(at(3)),,0.7,12",
                "2,\(at(2)),,0.1,",
                "1,\(at(2)),,0.6,11",
            ])
            let snapshot = try stats.store.materialize(from: time(0), to: time(24))
            #expect(snapshot.id == 1)
            #expect(snapshot.views.map(\.rowsRead) == [4])
            #expect(snapshot.views.map(\.rowsWritten) == [4])
            #expect(snapshot.views.map(\.onlineRowsUpdated) == [2])
            #expect(snapshot.views.first?.source?.path == stats.csvPath)
            let history = try stats.history()
            #expect(history.map(\.eventTime) == [time(1), time(2), time(3), time(2)])  // entity, then time
            #expect(history.allSatisfy { $0.snapshot == 1 })
            #expect(try stats.online(1)?.values == [.float64(0.7), .int64(12)])
            #expect(try stats.online(2)?.values == [.float64(0.1), .null])
            #expect(try stats.online(3) == nil)
        }
    }

    /// A view taken offline keeps getting history; back online, it serves each entity's newest
    /// row again, those written while it was offline included, without waiting for a run to
    /// touch the entity. Ties on event time go to the later created time, as materialization
    /// decides them.
    @Test func aViewBackOnlineServesTheNewestRowOfEveryEntity() throws {
        try withTemporaryDirectory { (path) throws in
            let stats = try StatsStore(in: path, csv: ["1,\(at(1)),,0.1,11", "2,\(at(1)),,0.2,22"])
            try stats.store.materialize(from: time(0), to: time(2))
            let view = try #require(stats.store.registry.definitions.view(named: "stats"))
            try stats.store.apply(Definitions(views: [view.offline()]))
            #expect(try stats.online(1) == nil)
            try stats.write([
                "1,\(at(3)),2024-05-02T10:00:00Z,0.3,33", "1,\(at(3)),2024-05-02T09:00:00Z,0.4,44",
                "3,\(at(2)),,0.5,55", "1,\(at(2)),,0.6,66",
            ])
            try stats.store.materialize(from: time(2), to: time(4))
            #expect(try stats.online(1) == nil && stats.online(3) == nil)
            // Rows of a run that died before its snapshot became visible are nobody's newest row:
            // a later one of entity 1, the only one of entity 4 (last in the table).
            let record = try #require(try stats.store.registry.views["stats"]?.spec)
            let history = try #require(try stats.store.environment.database(named: record.historyDatabaseName))
            try stats.store.environment.write { txn in
                let row = try txn.withCursor(on: history) { try #require(try $0.first()).value.map { $0 } }
                for entity: Int64 in [1, 4] {
                    let key = HistoryKey.make(entity: KeyEncoding.encode([.int64(entity)]), eventTime: time(9).microseconds, createdTime: 0, snapshot: 99)
                    try txn.put(row, for: key, in: history)
                }
            }

            try stats.store.apply(Definitions(views: [view]))
            #expect(try stats.online(1) == OnlineRow(eventTime: time(3), createdTime: Timestamp(seconds: 1_714_644_000), snapshot: 2, values: [.float64(0.3), .int64(33)]))
            #expect(try stats.online(2)?.values == [.float64(0.2), .int64(22)])
            #expect(try stats.online(2)?.snapshot == 1)
            #expect(try stats.online(3)?.values == [.float64(0.5), .int64(55)])
            #expect(try stats.online(4) == nil)
            // Online again: runs update it as before.
            try stats.write(["2,\(at(5)),,0.7,77"])
            try stats.store.materialize(from: time(4), to: time(6))
            #expect(try stats.online(2)?.values == [.float64(0.7), .int64(77)])
            #expect(try stats.online(1)?.values == [.float64(0.3), .int64(33)])
        }
    }

    /// An entity whose online row is replaced again in a later batch of the same run is one
    /// online row updated, not one per batch.
    @Test(arguments: [1, 1_000]) func onlineRowsUpdatedCountsEachEntityOnce(batchSize: Int) throws {
        try withTemporaryDirectory { path in
            let stats = try StatsStore(in: path, csv: [
                "1,\(at(1)),,0.1,1", "1,\(at(2)),,0.2,2", "2,\(at(1)),,0.3,3", "1,\(at(3)),,0.4,4", "2,\(at(2)),,0.5,5",
            ])
            let snapshot = try stats.store.materialize(from: time(0), to: time(24), options: MaterializeOptions(batchSize: batchSize))
            #expect(snapshot.views.map(\.onlineRowsUpdated) == [2])
            #expect(try stats.online(1)?.values == [.float64(0.4), .int64(4)])
            #expect(try stats.online(2)?.values == [.float64(0.5), .int64(5)])
        }
    }

    @Test func onlyRowsInsideTheIntervalAreLoaded() throws {
        try withTemporaryDirectory { path in
            let stats = try StatsStore(in: path, csv: ["1,\(at(1)),,0.1,1", "1,\(at(2)),,0.2,2", "1,\(at(3)),,0.3,3"])
            let snapshot = try stats.store.materialize(from: time(2), to: time(3))  // [2, 3)
            #expect(snapshot.views.first?.rowsOutsideInterval == 2)
            #expect(try stats.history().map(\.eventTime) == [time(2)])
        }
    }

    @Test func anOlderWindowAfterANewerOneLeavesTheNewerOnlineValues() throws {
        try withTemporaryDirectory { path in
            let stats = try StatsStore(in: path, csv: ["1,\(at(1)),,0.1,1", "1,\(at(5)),,0.5,5"])
            try stats.store.materialize(from: time(4), to: time(6))
            let backfill = try stats.store.materialize(from: time(0), to: time(4))
            #expect(backfill.views.first?.onlineRowsUpdated == 0)
            #expect(try stats.online(1)?.values == [.float64(0.5), .int64(5)])
            #expect(try stats.online(1)?.snapshot == 1)
            #expect(try stats.history().count == 2)
        }
    }

    @Test func reMaterializingTheSameRowsIsIdempotent() throws {
        try withTemporaryDirectory { path in
            let stats = try StatsStore(in: path, csv: ["1,\(at(1)),,0.1,1", "2,\(at(1)),,0.2,2"])
            try stats.store.materialize(from: time(0), to: time(24))
            let again = try stats.store.materialize(from: time(0), to: time(24))
            #expect(again.views.first?.rowsWritten == 0)
            #expect(again.views.first?.rowsUnchanged == 2)
            #expect(again.views.first?.onlineRowsUpdated == 0)
            #expect(try stats.history().count == 2)
            #expect(try stats.online(1)?.snapshot == 1)
        }
    }

    /// One load whose rows fall before, between, on and after the stored keys: rows for new
    /// entities past the end are appended without lookups, the others go through the lookups,
    /// and batch boundaries must not change the outcome. (The two lines for driver 60 share a
    /// batch in each case: split across batches, a re-run would record the later one again.)
    @Test(arguments: [2, 3, 1_000])
    func aLoadMixingKnownAndNewEntitiesKeepsEveryRow(batchSize: Int) throws {
        try withTemporaryDirectory { path in
            let stats = try StatsStore(in: path, csv: ["20,\(at(1)),,0.2,2", "40,\(at(1)),,0.4,4"])
            try stats.store.materialize(from: time(0), to: time(24))
            try stats.write([
                "50,\(at(1)),,0.5,5",  // after everything stored
                "40,\(at(2)),,0.41,41",  // newer row of a known entity
                "10,\(at(1)),,0.1,1",  // before everything stored
                "30,\(at(1)),,0.3,3",  // between
                "20,\(at(1)),,0.2,2",  // unchanged
                "40,\(at(1)),,0.4,4",  // unchanged, older than the newer one above
                "60,\(at(1)),,0.6,6",
                "60,\(at(1)),,0.66,66",  // the same key again: the later line wins
            ])
            let second = try stats.store.materialize(from: time(0), to: time(24), options: MaterializeOptions(batchSize: batchSize))
            let run = try #require(second.views.first)
            #expect(run.rowsRead == 8)
            #expect(run.rowsUnchanged == 2)
            #expect(run.rowsWritten == 5)
            #expect(try stats.history().map(\.entity) == [10, 20, 30, 40, 40, 50, 60].map { [EntityKeyValue.int64($0)] })
            #expect(try stats.history().map(\.values) == [
                [.float64(0.1), .int64(1)], [.float64(0.2), .int64(2)], [.float64(0.3), .int64(3)],
                [.float64(0.4), .int64(4)], [.float64(0.41), .int64(41)], [.float64(0.5), .int64(5)], [.float64(0.66), .int64(66)],
            ])
            #expect(try stats.history().map(\.snapshot) == [2, 1, 2, 1, 2, 2, 2])
            for (driver, expected) in [(10, 0.1), (20, 0.2), (30, 0.3), (40, 0.41), (50, 0.5), (60, 0.66)] as [(Int64, Double)] {
                #expect(try stats.online(driver)?.values.first == .float64(expected), "driver \(driver)")
            }
            #expect(try stats.online(20)?.snapshot == 1)

            // And again: nothing changes.
            let third = try stats.store.materialize(from: time(0), to: time(24), options: MaterializeOptions(batchSize: batchSize))
            #expect(third.views.first?.rowsWritten == 0)
            #expect(third.views.first?.rowsUnchanged == 7)
            #expect(third.views.first?.onlineRowsUpdated == 0)
        }
    }

    @Test func aCorrectedSourceAddsAVersionAndChangesTheFingerprint() throws {
        try withTemporaryDirectory { path in
            let stats = try StatsStore(in: path, csv: ["1,\(at(1)),,0.1,1"])
            let first = try stats.store.materialize(from: time(0), to: time(24))
            try stats.write(["1,\(at(1)),,0.9,1"])
            let second = try stats.store.materialize(from: time(0), to: time(24))
            #expect(first.views.first?.source?.checksum != second.views.first?.source?.checksum)
            #expect(second.views.first?.rowsWritten == 1)
            #expect(try stats.history().map(\.snapshot) == [1, 2])  // both versions kept, for asOfSnapshot
            #expect(try stats.store.historyRows(of: "stats", asOfSnapshot: 1).map(\.values) == [[.float64(0.1), .int64(1)]])
            #expect(try stats.online(1)?.values.first == .float64(0.9))
            #expect(try stats.online(1)?.snapshot == 2)
        }
    }

    @Test func createdTimeBreaksTiesOnEventTime() throws {
        try withTemporaryDirectory { path in
            let stats = try StatsStore(in: path, csv: [
                "1,\(at(1)),2024-05-02T00:00:00Z,0.2,2",
                "1,\(at(1)),2024-05-01T12:00:00Z,0.1,1",
            ])
            try stats.store.materialize(from: time(0), to: time(24))
            #expect(try stats.online(1)?.values == [.float64(0.2), .int64(2)])
            #expect(try stats.history().map(\.values.first) == [.float64(0.1), .float64(0.2)])
        }
    }

    @Test func incrementalRunsStartAtTheWatermark() throws {
        try withTemporaryDirectory { path in
            let stats = try StatsStore(in: path, csv: ["1,\(at(1)),,0.1,1", "1,\(at(5)),,0.5,5"])
            let first = try stats.store.materializeIncremental(to: time(3))
            #expect(first.views.first?.watermarkBefore == nil)
            #expect(first.views.first?.watermarkAfter == time(3))
            #expect(first.views.first?.rowsWritten == 1)
            let second = try stats.store.materializeIncremental(to: time(10))
            #expect(second.views.first?.start == time(3))
            #expect(second.views.first?.rowsWritten == 1)
            #expect(second.views.first?.rowsOutsideInterval == 1)
            #expect(try stats.online(1)?.values.last == .int64(5))
        }
    }

    @Test func pushedRowsAreASnapshotToo() throws {
        try withTemporaryDirectory { path in
            let store = try FeatureStore.open(path)
            let driver = Entity("driver", joinKey: "driver_id")
            let live = Source.push("live")
            let view = FeatureView("live_stats", entities: [driver], source: live) { Field("speed", .float32) }
            try store.apply(Definitions(entities: [driver], sources: [live], views: [view]))
            let snapshot = try store.push([
                ["driver_id": .int64(7), "event_timestamp": .timestamp(time(1)), "speed": .float64(42.5)],
                ["driver_id": .int64(8), "event_timestamp": .string(at(2))],
            ], to: "live_stats")
            #expect(snapshot.kind == .push)
            #expect(snapshot.rowsWritten == 2)
            #expect(try store.onlineRow(of: "live_stats", entity: [.int64(7)])?.values == [.float32(42.5)])
            #expect(try store.onlineRow(of: "live_stats", entity: [.int64(8)])?.values == [.null])
            let error = #expect(throws: SourceError.self) {
                try store.push([["driver_id": .string("x"), "event_timestamp": .timestamp(time(1))]], to: "live_stats")
            }
            #expect(error?.description == "push:1: column driver_id: 'x' is not an int64 join key")
            #expect(throws: LarderError.self) { try store.materialize(["live_stats"], from: time(0), to: time(1)) }
        }
    }

    @Test func jsonLinesSourcesLoadLikeCSV() throws {
        try withTemporaryDirectory { path in
            let store = try FeatureStore.open(path + "/store")
            let customer = Entity("customer", joinKey: "customer_id", type: .string)
            let file = path + "/profiles.jsonl"
            try """
            {"cid": "c1", "ts": "2024-05-01T01:00:00Z", "tier": "gold", "embedding": [0.5, 1.5], "active": true}
            {"cid": "c2", "ts": 1714525200, "tier": null, "embedding": [], "active": false}

            """.write(toFile: file, atomically: true, encoding: .utf8)
            let source = Source.jsonLines("profiles", path: file, columnMapping: ["cid": "customer_id", "ts": "event_timestamp"])
            var epoch = source
            epoch.name = "profiles_epoch"
            epoch.timestampFormat = .epochSeconds
            let view = FeatureView("profile", entities: [customer], source: source) {
                Field("tier", .string)
                Field("embedding", .float32List)
                Field("active", .bool)
            }
            try store.apply(Definitions(entities: [customer], sources: [source], views: [view]))
            let error = #expect(throws: SourceError.self) { try store.materialize(from: time(0), to: time(24)) }
            #expect(error?.line == 2)  // an epoch number where ISO-8601 is declared
            #expect(error?.column == "event_timestamp")
            try store.apply(Definitions(sources: [epoch], views: [FeatureView("profile", entityNames: ["customer"], sourceName: "profiles_epoch", features: view.features)]))
            // Line 1 has an ISO string: now the epoch format rejects it, so skip it.
            let snapshot = try store.materialize(from: time(0), to: time(24), options: .skipInvalid(rejectsFile: path + "/rejects.csv"))
            #expect(snapshot.rowsRejected == 1)
            #expect(try store.onlineRow(of: "profile", entity: [.string("c2")])?.values == [.null, .float32List([]), .bool(false)])
        }
    }
}

@Suite struct RunVisibilityTests {
    /// Batches of two rows commit one by one; after each, readers still see snapshot 1 only.
    @Test func aRunIsInvisibleUntilItsLastCommit() throws {
        try withTemporaryDirectory { (path) throws in
            let stats = try StatsStore(in: path, csv: ["1,\(at(1)),,0.1,1", "2,\(at(1)),,0.2,2"])
            try stats.store.materialize(from: time(0), to: time(24))
            try stats.write((1...9).map { "\($0),\(at(2)),,0.\($0),\($0 * 10)" })
            let store = stats.store
            let checks = Counter()
            let leaks = Counter()
            let snapshot = try store.materialize(from: time(0), to: time(24), options: MaterializeOptions(batchSize: 2, progress: { _ in
                checks.add()
                guard let history = try? store.historyRows(of: "stats"), let online = try? store.onlineRow(of: "stats", entity: [.int64(1)]) else {
                    leaks.add()
                    return
                }
                if history.contains(where: { $0.snapshot > 1 }) || online.snapshot != 1 || (try? store.onlineRow(of: "stats", entity: [.int64(3)])) != nil {
                    leaks.add()
                }
            }))
            #expect(checks.value >= 4)
            #expect(leaks.value == 0)
            #expect(snapshot.rowsWritten == 9)
            #expect(try stats.online(1)?.values == [.float64(0.1), .int64(10)])
            #expect(try stats.online(9)?.snapshot == 2)
        }
    }

    /// An invalid row after several committed batches: the run removes what it wrote.
    @Test func aFailedRunRemovesWhatItWrote() throws {
        try withTemporaryDirectory { (path) throws in
            let stats = try StatsStore(in: path, csv: ["1,\(at(1)),,0.1,1"])
            try stats.store.materialize(from: time(0), to: time(24))
            try stats.write(["1,\(at(2)),,0.5,5", "2,\(at(2)),,0.2,2", "3,\(at(2)),,0.3,3", "4,\(at(2)),,0.4,4", "5,\(at(2)),,oops,5"])
            #expect(throws: SourceError.self) {
                try stats.store.materialize(from: time(0), to: time(24), options: MaterializeOptions(batchSize: 2))
            }
            #expect(try stats.history().map(\.snapshot) == [1])
            #expect(try stats.online(1)?.values == [.float64(0.1), .int64(1)])
            #expect(try stats.online(2) == nil)
            try stats.write(["2,\(at(2)),,0.2,2"])
            #expect(try stats.store.materialize(from: time(0), to: time(24)).id == 3)  // snapshot 2 was never committed
            #expect(try stats.store.snapshots().map(\.id) == [1, 3])
        }
    }
}
