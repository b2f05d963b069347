import Foundation
@testable import Larder
import TestSupport
import Testing

@Suite struct OnlineRetrievalTests {
    /// Drivers with a 2-hour ttl; driver 2's trips are null; driver 3 has no data.
    func withStats(_ body: (StatsStore) throws -> Void) throws {
        try withTemporaryDirectory { (path) throws in
            let stats = try StatsStore(in: path, ttl: .seconds(7200), csv: [
                "1,\(at(1)),,0.1,1", "1,\(at(5)),,0.5,5", "2,\(at(4)),,0.4,",
            ])
            try stats.store.materialize(from: time(0), to: time(24))
            try body(stats)
        }
    }

    @Test func latestValuesWithStatuses() throws {
        try withStats { (stats) throws in
            let response = try stats.store.onlineFeatures(
                ["stats:conv_rate", "stats:trips"], for: [["driver_id": 1], ["driver_id": 2], ["driver_id": 3]],
                options: OnlineOptions(now: time(6)))
            #expect(response.names == ["conv_rate", "trips"])
            #expect(response[0, "conv_rate"] == OnlineFeatureValue(value: .float64(0.5), status: .present, eventTime: time(5)))
            #expect(response[1, "trips"] == OnlineFeatureValue(value: .null, status: .null, eventTime: time(4)))
            #expect(response[2, "conv_rate"] == OnlineFeatureValue(value: .null, status: .notFound, eventTime: nil))
        }
    }

    @Test func ttlIsAppliedFromNowWithAnInclusiveBoundary() throws {
        try withStats { (stats) throws in
            func status(now: Timestamp, applyTTL: Bool = true) throws -> FeatureStatus? {
                try stats.store.onlineFeatures(["stats:conv_rate"], for: [["driver_id": 1]], options: OnlineOptions(applyTTL: applyTTL, now: now))[0, 0].status
            }
            #expect(try status(now: time(7)) == .present)  // exactly ttl old: still served
            #expect(try status(now: time(7) + .microseconds(1)) == .outsideMaxAge)
            #expect(try status(now: time(30), applyTTL: false) == .present)
            let expired = try stats.store.onlineFeatures(["stats:conv_rate"], for: [["driver_id": 1]], options: OnlineOptions(now: time(9)))[0, 0]
            #expect(expired.value == .null)
            #expect(expired.eventTime == time(5))
        }
    }

    @Test func asOfLooksUpHistoryAndMeasuresTheTTLFromThen() throws {
        try withStats { (stats) throws in
            func lookup(_ asOf: Timestamp) throws -> OnlineFeatureValue {
                try stats.store.onlineFeatures(["stats:trips"], for: [["driver_id": 1]], options: OnlineOptions(asOf: asOf))[0, 0]
            }
            #expect(try lookup(time(0)).status == .notFound)
            #expect(try lookup(time(1)) == OnlineFeatureValue(value: .int64(1), status: .present, eventTime: time(1)))  // equal time included
            #expect(try lookup(time(3)).status == .present)  // 2 hours old: the boundary is included
            #expect(try lookup(time(4)).status == .outsideMaxAge)
            #expect(try lookup(time(5)).value == .int64(5))
        }
    }

    @Test func asOfSnapshotReturnsWhatALatestLookupSawThen() throws {
        try withStats { (stats) throws in
            try stats.write(["1,\(at(5)),,0.55,6", "1,\(at(8)),,0.8,8"])  // a correction and a newer row
            try stats.store.materialize(from: time(0), to: time(24))
            let options = OnlineOptions(asOfSnapshot: 1, applyTTL: false)
            let then = try stats.store.onlineFeatures(["stats"], for: [["driver_id": 1], ["driver_id": 2]], options: options)
            #expect(then.row(0).map(\.value) == [.float64(0.5), .int64(5)])
            #expect(then.row(1).map(\.value) == [.float64(0.4), .null])
            let latest = try stats.store.onlineFeatures(["stats"], for: [["driver_id": 1]], options: OnlineOptions(applyTTL: false))
            #expect(latest.row(0).map(\.value) == [.float64(0.8), .int64(8)])
            let corrected = try stats.store.onlineFeatures(["stats"], for: [["driver_id": 1]], options: OnlineOptions(asOf: time(6), asOfSnapshot: 2))
            #expect(corrected.row(0).map(\.value) == [.float64(0.55), .int64(6)])
        }
    }

    @Test func servicesCompositeKeysAndFullNames() throws {
        try withTemporaryDirectory { (path) throws in
            let store = try FeatureStore.open(path)
            try store.apply(Fixtures.definitions.replacingSources(with: .push))
            try store.push([["driver_id": .int64(1), "event_timestamp": .timestamp(time(1)), "conv_rate": .float32(0.25)]], to: "driver_hourly_stats")
            try store.push([["driver_id": .int64(1), "customer_id": .string("c9"), "event_timestamp": .timestamp(time(1)), "trips_together": .int64(3)]], to: "driver_customer_stats")
            let entity: [String: FeatureValue] = ["driver_id": 1, "customer_id": "c9"]
            let response = try store.onlineFeatures(service: "driver_activity", for: [entity, ["driver_id": 1, "customer_id": "other"]], options: OnlineOptions(fullFeatureNames: true, now: time(2)))
            #expect(response.names == ["driver_hourly_stats__conv_rate", "driver_customer_stats__trips_together", "driver_customer_stats__embedding"])
            #expect(response.row(0).map(\.value) == [.float32(0.25), .int64(3), .null])
            #expect(response.row(0).map(\.status) == [.present, .present, .null])
            #expect(response.row(1).map(\.status) == [.present, .notFound, .notFound])
            let missingKey = #expect(throws: LarderError.self) { try store.onlineFeatures(service: "driver_activity", for: [["driver_id": 1]]) }
            #expect(missingKey?.description == "entity row 0 has no 'customer_id', which view driver_customer_stats needs")
            // Failing in the middle of a request (after some rows and views were read) leaves nothing half made.
            let midway = #expect(throws: LarderError.self) { try store.onlineFeatures(service: "driver_activity", for: [entity, ["driver_id": 1], entity]) }
            #expect(midway == .missingJoinKey(row: 1, joinKey: "customer_id", view: "driver_customer_stats"))
        }
    }

    /// Entity rows are `[String: FeatureValue]`, as in training sets: integers (int32 widened)
    /// for int64 keys, strings for string keys; another type is a key type mismatch, a null key
    /// a missing one. The former spelling with `EntityKeyValue` rows gives the same answer.
    @Test func entityRowsAreFeatureValuesAsInTrainingSets() throws {
        try withTemporaryDirectory { (path) throws in
            let store = try FeatureStore.open(path)
            try store.apply(Fixtures.definitions.replacingSources(with: .push))
            try store.push([["driver_id": 1, "event_timestamp": .timestamp(time(1)), "conv_rate": .float32(0.25)]], to: "driver_hourly_stats")
            let options = OnlineOptions(now: time(2))
            let wide: [String: FeatureValue] = ["a": 1, "b": 2, "c": 3, "label": 0.5, "driver_id": 1, "z": "x"]  // found by hashing
            let rows: [[String: FeatureValue]] = [["driver_id": 1], ["driver_id": .int32(1)], ["driver_id": 1, "label": 0.5], wide, ["label": 0.5]]
            let missing = #expect(throws: LarderError.self) { try store.onlineFeatures(["driver_hourly_stats:conv_rate"], for: rows, options: options) }
            #expect(missing == .missingJoinKey(row: 4, joinKey: "driver_id", view: "driver_hourly_stats"))
            let response = try store.onlineFeatures(["driver_hourly_stats:conv_rate"], for: Array(rows.prefix(4)), options: options)
            #expect((0..<4).map { response[$0, 0].value } == [.float32(0.25), .float32(0.25), .float32(0.25), .float32(0.25)])
            let mismatch = #expect(throws: LarderError.self) {
                try store.onlineFeatures(["driver_hourly_stats:conv_rate"], for: [["driver_id": 1.5]], options: options)
            }
            #expect(mismatch == .keyTypeMismatch(view: "driver_hourly_stats", expected: ["int64"], found: ["float64 1.5"]))
            let textForInteger = #expect(throws: LarderError.self) {
                try store.onlineFeatures(["driver_hourly_stats:conv_rate"], for: [["driver_id": "1"]], options: options)
            }
            #expect(textForInteger?.description.hasPrefix("view driver_hourly_stats is keyed by (int64)") == true)
            let null = #expect(throws: LarderError.self) {
                try store.onlineFeatures(["driver_hourly_stats:conv_rate"], for: [["driver_id": .null]], options: options)
            }
            #expect(null == .missingJoinKey(row: 0, joinKey: "driver_id", view: "driver_hourly_stats"))
        }
    }

    @available(*, deprecated)
    @Test func theFormerEntityRowSpellingStillAnswers() throws {
        try withTemporaryDirectory { (path) throws in
            let store = try FeatureStore.open(path)
            try store.apply(Fixtures.definitions.replacingSources(with: .push))
            try store.push([["driver_id": 1, "event_timestamp": .timestamp(time(1)), "conv_rate": .float32(0.25)]], to: "driver_hourly_stats")
            let rows: [[String: EntityKeyValue]] = [["driver_id": 1]]
            let response = try store.onlineFeatures(["driver_hourly_stats:conv_rate"], for: rows, options: OnlineOptions(now: time(2)))
            #expect(response[0, 0].value == .float32(0.25))
        }
    }

    @Test func anOversizedKeyFindsNothingInsteadOfFailing() throws {
        try withTemporaryDirectory { (path) throws in
            let store = try FeatureStore.open(path)
            try store.apply(Fixtures.definitions.replacingSources(with: .push))
            let huge = FeatureValue.string(String(repeating: "x", count: 70_000))
            let response = try store.onlineFeatures(["driver_customer_stats:trips_together"], for: [["driver_id": 1, "customer_id": huge]])
            #expect(response[0, 0].status == .notFound)
            let table = try store.historicalFeatures(
                entities: .rows([["driver_id": .int64(1), "customer_id": .string(String(repeating: "y", count: 600)), "event_timestamp": .timestamp(time(1))]]),
                features: ["driver_customer_stats:trips_together"])
            #expect(table.column("trips_together") == [.null])
        }
    }

    @Test func unknownReferencesAreNamed() throws {
        try withStats { (stats) throws in
            let error = #expect(throws: LarderError.self) { try stats.store.onlineFeatures(["stats:speed"], for: [["driver_id": 1]]) }
            #expect(error?.description == "unknown feature reference 'stats:speed': view stats has no feature 'speed' (known: conv_rate, trips)")
            #expect(throws: LarderError.self) { try stats.store.onlineFeatures(["nope:x"], for: []) }
            #expect(throws: LarderError.self) { try stats.store.onlineFeatures(service: "nope", for: []) }
        }
    }

    @Test func zeroCopyLookupsReadTypedValuesInPlace() throws {
        try withStats { (stats) throws in
            let view = try stats.store.preparedView("stats", features: ["trips", "conv_rate"])
            try stats.store.withSession { (session) throws in
                let found = try session.withRow(view, key: 1) { row in
                    #expect(row.int64(0) == 5)
                    #expect(row.float64(1) == 0.5)
                    #expect(row.float32(1) == nil)  // wrong type: nil, never reinterpreted bytes
                    #expect(row.eventTime == time(5))
                    #expect(row.snapshot == 1)
                    return true
                }
                #expect(found == true)
                #expect(try session.withRow(view, key: 2) { $0.isNull(0) } == true)
                #expect(try session.withRow(view, key: 3) { _ in true } == nil)
            }
        }
    }

    @Test func aPreparedViewFollowsAnApply() throws {
        try withStats { (stats) throws in
            let view = try stats.store.preparedView("stats")
            var evolved = try stats.store.registry.definitions
            evolved.views[0].features.insert(Field("rating", .float64), at: 0)
            try stats.store.apply(evolved)
            try stats.store.withSession { (session) throws in
                #expect(try session.withRow(view, key: 1) { $0.int64(1) } == 5)
                let fresh = try stats.store.preparedView("stats")
                #expect(try session.withRow(fresh, key: 1) { [$0.isNull(0), $0.int64(2) == 5] } == [true, true])  // old rows read the new feature as null
            }
        }
    }

    @Test func bulkReadsStreamEveryEntityPinnedToASnapshot() throws {
        try withStats { (stats) throws in
            try stats.write(["1,\(at(9)),,0.9,9", "4,\(at(9)),,0.7,7"])
            try stats.store.materialize(from: time(0), to: time(24))
            var latest: [Int64: Int64?] = [:]
            try stats.store.forEachOnlineRow(of: "stats", features: ["trips"]) { entity, row in
                if case .int64(let id) = entity[0] { latest[id] = row.int64(0) }
            }
            #expect(latest == [1: 9, 2: nil, 4: 7])
            var pinned: [Int64: Int64?] = [:]
            try stats.store.forEachOnlineRow(of: "stats", features: ["trips"], asOfSnapshot: 1) { entity, row in
                if case .int64(let id) = entity[0] { pinned[id] = row.int64(0) }
            }
            #expect(pinned == [1: 5, 2: nil])
        }
    }
}

extension Definitions {
    /// The same definitions with every source turned into a push source of the same name.
    func replacingSources(with kind: Source.Kind) -> Definitions {
        var copy = self
        copy.sources = sources.map { Source($0.name, kind: kind) }
        return copy
    }
}
