import Foundation
@testable import Larder
import TestSupport
import Testing

/// Values at and past the ends of Larder's time range, from definitions files and from Swift,
/// are errors or well-defined answers: never a trap.
@Suite struct ExtremeValueTests {
    @Test func timeArithmeticClampsInsteadOfTrapping() {
        #expect(Timestamp(seconds: .max) == Timestamp(microseconds: .max))
        #expect(Timestamp(seconds: .min) == Timestamp(microseconds: .min))
        #expect(Timestamp(exactlySeconds: 9_223_372_036_855) == nil)
        #expect(Timestamp(exactlySeconds: -9_223_372_036_854)?.microseconds == -9_223_372_036_854_000_000)
        #expect(Timestamp(microseconds: .min + 5) - .seconds(1) == Timestamp(microseconds: .min))
        #expect(Timestamp(microseconds: .max - 5) + .seconds(1) == Timestamp(microseconds: .max))
        #expect(Timestamp(microseconds: 0) - .seconds(Int64.max) == Timestamp(microseconds: -Int64.max))
        #expect(Timestamp(microseconds: -1) - .seconds(Int64.max) == Timestamp(microseconds: .min))
        #expect(Timestamp(microseconds: 0) + (.zero - .seconds(Int64.max)) == Timestamp(microseconds: .min))
        #expect(Timestamp(microseconds: 0).adding(exactly: .seconds(9_223_372_036_855)) == nil)
        #expect(Duration.seconds(Int64.max).exactMicroseconds == nil)
        #expect(Duration.seconds(Int64.max).microseconds == .max)
        #expect((Duration.zero - .seconds(Int64.max)).microseconds == .min)
    }

    @Test func aTTLPastTheRangeIsRefusedWhereDefinitionsAreRead() throws {
        let yaml = """
            entities: [{name: driver, join_key: driver_id}]
            sources: [{name: s, csv: s.csv}]
            views:
              - name: v
                entities: [driver]
                source: s
                ttl: 106751992d
                features: [{name: x, type: int64}]
            """
        #expect(throws: DefinitionsFileError.self) { try Definitions(yaml: yaml, file: "defs.yaml") }
        do {
            _ = try Definitions(yaml: yaml, file: "defs.yaml")
        } catch {
            #expect(error.description.contains("defs.yaml:7:10"), "\(error)")
            #expect(error.description.contains("too large"), "\(error)")
        }
        // The largest ttl that fits is accepted.
        _ = try Definitions(yaml: yaml.replacingOccurrences(of: "106751992d", with: "106751991d"), file: "defs.yaml")

        // From Swift, the same ttl is a definition error at apply, not a trap at every read.
        try withTemporaryDirectory { (path) throws in
            let store = try FeatureStore.open(path + "/store")
            let driver = Entity("driver", joinKey: "driver_id")
            let source = Source.csv("s", path: path + "/s.csv")
            let view = FeatureView("v", entities: [driver], source: source, ttl: .seconds(Int64.max)) { Field("x", .int64) }
            #expect(throws: LarderError.self) { try store.apply(Definitions(entities: [driver], sources: [source], views: [view])) }
            #expect(try store.registry.views.isEmpty)
        }
    }

    @Test func farPastAndFarFutureTimesWithTheLargestTTL() throws {
        try withTemporaryDirectory { (path) throws in
            let stats = try StatsStore(in: path, ttl: .milliseconds(Int64.max / 1_000), csv: ["1,\(at(1)),,0.1,1"])
            try stats.store.materialize(from: Timestamp(microseconds: .min), to: Timestamp(microseconds: .max))
            for now in [Timestamp(microseconds: .min), Timestamp(microseconds: .max), time(2)] {
                let online = try stats.store.onlineFeatures(["stats:trips"], for: [["driver_id": 1]], options: OnlineOptions(now: now))
                #expect(online[0, "trips"]?.status == .present, "\(now)")
                let asOf = try stats.store.onlineFeatures(["stats:trips"], for: [["driver_id": 1]], options: OnlineOptions(asOf: now))
                #expect(asOf[0, "trips"]?.status == (now < time(1) ? .notFound : .present), "\(now)")
            }
            // Entity rows at the ends of what a source can write (years 0001 and 9999).
            let entities = EntityRows.table(columns: ["driver_id", "event_timestamp"], rows: [
                [.int64(1), .string("0001-01-01T00:00:00Z")], [.int64(1), .string("9999-12-31T23:59:59Z")],
            ])
            let table = try stats.store.historicalFeatures(entities: entities, features: ["stats:trips"])
            #expect(table.column("trips") == [.null, .int64(1)])
        }
    }

    @Test func retentionAndIntervalsOutOfRangeAreErrors() throws {
        try withTemporaryDirectory { (path) throws in
            let stats = try StatsStore(in: path, csv: ["1,\(at(1)),,0.1,1", "1,\(at(3)),,0.3,3"])
            try stats.store.materialize(from: time(0), to: time(12))
            #expect(throws: LarderError.invalidArgument(name: "olderThan", reason: "retention -1.0 seconds is negative")) {
                try stats.store.expireHistory(olderThan: .seconds(-1))
            }
            #expect(throws: LarderError.self) { try stats.store.expireHistory(olderThan: .seconds(Int64.max)) }
            #expect(try stats.store.expireHistory(olderThan: .seconds(86_400), now: Timestamp(microseconds: .min)) == 0)
            #expect(try stats.store.expireHistory(olderThan: .seconds(1), now: Timestamp(microseconds: .max)) == 1)

            #expect(throws: LarderError.self) { try stats.store.materialize(from: time(12), to: time(0)) }
            // A wait of 2^63 seconds is a long wait, not an overflow.
            try stats.store.materialize(from: time(0), to: time(12), options: MaterializeOptions(wait: .seconds(Int64.max)))
            // An incremental run to before the watermark loads nothing and keeps the watermark.
            let incremental = try stats.store.materializeIncremental(to: time(6))
            #expect(incremental.id == 3)
            #expect(incremental.views.first?.rowsWritten == 0)
            #expect(incremental.views.first?.watermarkAfter == time(12))
        }
    }
}
