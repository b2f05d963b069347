import Foundation
import LMDBKit
@testable import Larder
import TestSupport
import Testing

/// Reads as of a snapshot that does not exist, and damaged `meta` values, are errors: never
/// today's data, never a default that makes the store look empty.
@Suite struct StoreDamageTests {
    @Test func snapshotsThatDoNotExistAreRefused() throws {
        try withTemporaryDirectory { (path) throws in
            let stats = try StatsStore(in: path, csv: ["1,\(at(1)),,0.1,1"])
            try stats.store.materialize(from: time(0), to: time(12))
            // A failed run takes id 2 and never commits it.
            try stats.write(["1,\(at(2)),,oops,1"])
            #expect(throws: SourceError.self) { try stats.store.materialize(from: time(0), to: time(12)) }
            try stats.write(["1,\(at(3)),,0.3,3"])
            try stats.store.materialize(from: time(0), to: time(12))
            #expect(try stats.store.snapshots().map(\.id) == [1, 3])

            let entities = EntityRows.table(columns: ["driver_id", "event_timestamp"], rows: [[.int64(1), .timestamp(time(5))]])
            for missing: UInt64 in [2, 4, 999] {
                let expected = LarderError.unknownSnapshot(id: missing, latest: 3)
                #expect(throws: expected) {
                    _ = try stats.store.onlineFeatures(["stats:trips"], for: [["driver_id": 1]], options: OnlineOptions(asOfSnapshot: missing))
                }
                #expect(throws: expected) {
                    _ = try stats.store.historicalFeatures(entities: entities, features: ["stats:trips"], options: HistoricalOptions(asOfSnapshot: missing))
                }
                #expect(throws: expected) { try stats.store.forEachHistoryRow(of: "stats", asOfSnapshot: missing) { _ in } }
                #expect(throws: expected) { try stats.store.forEachOnlineRow(of: "stats", asOfSnapshot: missing) { _, _ in } }
            }
            let asOfFirst = try stats.store.historicalFeatures(entities: entities, features: ["stats:trips"], options: HistoricalOptions(asOfSnapshot: 1))
            #expect(asOfFirst.column("trips") == [.int64(1)])
            #expect(try stats.store.historyRows(of: "stats", asOfSnapshot: 0).isEmpty)
            #expect(LarderError.unknownSnapshot(id: 4, latest: 3).description.hasPrefix("no snapshot 4: snapshots run up to 3"))
        }
    }

    @Test func aMalformedMetaValueIsDamageNotADefault() throws {
        try withTemporaryDirectory { (path) throws in
            let stats = try StatsStore(in: path, csv: ["1,\(at(1)),,0.1,1"])
            try stats.store.materialize(from: time(0), to: time(12))
            try stats.store.environment.write { txn in
                try txn.put([0, 0, 1], for: StoreMeta.registryVersionKey, in: stats.store.meta)
            }
            let reopened = try FeatureStore.open(path + "/store")
            #expect(throws: LarderError.damagedStore(path: path + "/store", reason: "meta 'registry_version' has 3 bytes, not 8")) {
                _ = try reopened.registry
            }
            // apply must not take the store for an empty one and re-create its views.
            #expect(throws: LarderError.self) {
                try reopened.apply(Definitions(entities: [Entity("driver", joinKey: "driver_id")], sources: [], views: []))
            }
            #expect(throws: LarderError.self) { _ = try reopened.onlineFeatures(["stats:trips"], for: [["driver_id": 1]]) }
        }
    }

    @Test func aCounterAtItsLimitIsRefusedNotWrapped() throws {
        try withTemporaryDirectory { (path) throws in
            let stats = try StatsStore(in: path, csv: ["1,\(at(1)),,0.1,1"])
            try stats.store.environment.write { txn in
                try StoreMeta.writeUInt64(.max, StoreMeta.nextSnapshotIDKey, in: stats.store.meta, txn)
            }
            #expect(throws: LarderError.damagedStore(path: path + "/store", reason: "meta 'next_snapshot_id' is 18446744073709551615, outside 1..<18446744073709551615")) {
                try stats.store.materialize(from: time(0), to: time(12))
            }
            #expect(try stats.store.snapshots().isEmpty)
        }
    }
}
