import Foundation
@testable import Larder
import TestSupport
import Testing

/// Every way a request can name something wrong is a case a caller can match on, carrying the
/// names involved, with the one-line description the CLI prints.
@Suite struct TypedErrorTests {
    @Test func requestsNamingWhatDoesNotExist() throws {
        try withTemporaryDirectory { (path) throws in
            let stats = try StatsStore(in: path, csv: ["1,\(at(1)),,0.1,1"])
            let store = stats.store
            try store.materialize(from: time(0), to: time(12))

            let noView = #expect(throws: LarderError.self) { _ = try store.onlineFeatures(["speed:x"], for: [["driver_id": 1]]) }
            #expect(noView == .unknownView(name: "speed", reference: "speed:x", known: ["stats"]))
            #expect(noView?.description == "unknown feature reference 'speed:x': no view 'speed' (known: stats)")

            let noFeature = #expect(throws: LarderError.self) { _ = try store.onlineFeatures(["stats:speed"], for: [["driver_id": 1]]) }
            #expect(noFeature == .unknownFeature(view: "stats", feature: "speed", reference: "stats:speed", known: ["conv_rate", "trips"]))

            #expect(throws: LarderError.unknownService(name: "ranking", known: [])) {
                _ = try store.onlineFeatures(service: "ranking", for: [["driver_id": 1]])
            }
            #expect(throws: LarderError.unknownView(name: "speed", known: ["stats"])) { _ = try store.historyRows(of: "speed") }
            #expect(throws: LarderError.missingJoinKey(row: 0, joinKey: "driver_id", view: "stats")) {
                _ = try store.onlineFeatures(["stats:trips"], for: [["driver": 1]])
            }
            #expect(throws: LarderError.keyTypeMismatch(view: "stats", expected: ["int64"], found: ["string x"])) {
                _ = try store.onlineFeatures(["stats:trips"], for: [["driver_id": "x"]], options: OnlineOptions(asOfSnapshot: 1))
            }
            #expect(throws: LarderError.unknownObject(kind: "view", name: "speed")) { try store.delete([.view("speed")]) }
            #expect(throws: LarderError.featureColumnCollision("trips")) {
                _ = try store.historicalFeatures(
                    entities: .table(columns: ["driver_id", "event_timestamp", "trips"], rows: [[.int64(1), .timestamp(time(2)), .int64(0)]]),
                    features: ["stats:trips"])
            }
            #expect(throws: LarderError.unknownSnapshot(id: 9, latest: 1)) { _ = try store.diff(from: 1, to: 9) }
        }
    }

    @Test func ambiguousNamesAndPushSources() throws {
        try withTemporaryDirectory { (path) throws in
            let stats = try StatsStore(in: path, csv: ["1,\(at(1)),,0.1,1"])
            let driver = Entity("driver", joinKey: "driver_id")
            let live = Source.push("live")
            let pushed = FeatureView("pushed", entities: [driver], source: live) { Field("trips", .int64) }
            try stats.store.apply(Definitions(sources: [live], views: [pushed]))
            #expect(throws: LarderError.ambiguousFeatureNames(["trips"])) {
                _ = try stats.store.onlineFeatures(["stats:trips", "pushed:trips"], for: [["driver_id": 1]])
            }
            #expect(throws: LarderError.pushSourceMaterialized(view: "pushed")) {
                try stats.store.materialize(["pushed"], from: time(0), to: time(12))
            }
        }
    }
}
