import Foundation
@testable import Larder
import Testing
import TestSupport

/// Every run stores its features' statistics with its snapshot, in the snapshot's commit:
/// values worked out by hand, rows outside the interval left out, nothing for a failed run.
@Suite struct RunStatisticsTests {
    static let day = Timestamp(seconds: 1_714_521_600)  // 2024-05-01T00:00:00Z

    static func definitions(csv: String? = nil) -> Definitions {
        let driver = Entity("driver", joinKey: "driver_id")
        let source = csv.map { Source.csv("stats_file", path: $0) } ?? Source.push("live")
        let view = FeatureView("stats", entities: [driver], source: source) {
            Field("rate", .float64)
            Field("trips", .int64)
            Field("segment", .string)
            Field("tags", .stringList)
        }
        return Definitions(entities: [driver], sources: [source], views: [view])
    }

    @Test func aPushsStatisticsByHand() throws {
        try withTemporaryDirectory { path in
            let store = try FeatureStore.open(path)
            try store.apply(Self.definitions())
            let time = FeatureValue.timestamp(Self.day)
            let snapshot = try store.push([
                ["driver_id": .int64(1), "event_timestamp": time, "rate": .float64(0.5), "trips": .int64(2), "segment": .string("a"), "tags": .stringList(["x", "y"])],
                ["driver_id": .int64(2), "event_timestamp": time, "rate": .null, "trips": .int64(4), "segment": .string("b"), "tags": .stringList([])],
                ["driver_id": .int64(3), "event_timestamp": time, "rate": .float64(1.5), "trips": .int64(6), "segment": .string("a"), "tags": .stringList(["z"])],
            ], to: "stats")
            let statistics = try #require(try store.statistics(snapshot: snapshot.id)["stats"])

            let rate = try #require(statistics["rate"])
            #expect(rate.rows == 3 && rate.nulls == 1)
            #expect(rate.numbers?.moments.mean == 1 && rate.numbers?.moments.standardDeviation == 0.5)
            #expect(rate.numbers?.moments.minimum == 0.5 && rate.numbers?.moments.maximum == 1.5)

            // 2, 4, 6: mean 4, variance (4 + 0 + 4) / 3.
            let trips = try #require(statistics["trips"]?.numbers)
            let variance = try #require(trips.moments.variance)
            #expect(trips.moments.mean == 4 && abs(variance - 8.0 / 3) < 1e-12)
            #expect(trips.quantiles.quantile(0.5) == 4)

            let segment = try #require(statistics["segment"]?.strings)
            #expect(segment.distinct.estimate == 2)
            #expect(segment.frequent?.top(2).map { "\($0.value)=\($0.count)" } == ["a=2", "b=1"])

            let tags = try #require(statistics["tags"]?.listLengths)
            #expect(tags.moments.mean == 1 && tags.moments.minimum == 0 && tags.moments.maximum == 2)
        }
    }

    /// The statistics a run of `values` of the string feature `segment` stored, and those of
    /// the values added one by one.
    static func segmentStatistics(pushing values: [String], in path: String) throws -> (stored: FeatureStatistics, expected: FeatureStatistics) {
        let store = try FeatureStore.open(path)
        try store.apply(definitions())
        var expected = FeatureStatistics()
        for value in values { expected.add(.string(value)) }
        let time = FeatureValue.timestamp(day)
        let snapshot = try store.push(values.enumerated().map { index, value in
            ["driver_id": .int64(Int64(index)), "event_timestamp": time, "segment": .string(value)]
        }, to: "stats")
        return (try #require(try store.statistics(snapshot: snapshot.id)["stats"]?["segment"]), expected)
    }

    /// A run of equal strings is hashed once (the collector compares each value with the previous
    /// one): the counts are those of every value added one by one — short values, values that
    /// share their last eight bytes, empty ones and values too long to remember.
    @Test func runsOfEqualStringsCountAsEveryValue() throws {
        try withTemporaryDirectory { path in
            let long = String(repeating: "long value ", count: 10)
            let values = ["a", "a", "a", "", "", "x-shared-tail", "y-shared-tail", "y-shared-tail", "x-shared-tail",
                          long, long, long + "!", long + "!", "a", "b", "b", "a"]
            let (segment, expected) = try Self.segmentStatistics(pushing: values, in: path)
            #expect(segment.rows == values.count && segment.nulls == 0)
            func counts(_ statistics: FeatureStatistics) -> [String] {
                statistics.strings?.frequent?.top(.max).map { "\($0.value)=\($0.count)" } ?? []
            }
            #expect(counts(segment) == counts(expected))
            #expect(counts(segment).prefix(2) == ["a=5", "=2"])
            #expect(segment.strings?.distinct == expected.strings?.distinct)
        }
    }

    /// Values that come back in any order — more of them than the most-frequent table holds, so
    /// that counters change hands, and some alike in length and last bytes — count as when
    /// added one by one.
    @Test func recurringStringsCountAsEveryValue() throws {
        try withTemporaryDirectory { path in
            var generator = SeededGenerator(seed: 11)
            let kinds = (0..<150).map { k -> String in
                switch k % 5 {
                case 0: "c\(k)"
                case 1: "city number \(k)"
                case 2: "\(k % 7)-same-tail-and-length"  // alike but for their first byte
                case 3: String(repeating: "long ", count: 14) + "\(k)"  // beyond what is kept whole
                default: "ü\(k)é"
                }
            }
            // Skewed: the first kinds often, the rest now and then.
            let values = (0..<6_000).map { _ in kinds[min(Int(-log(Double.random(in: 0.0001...1, using: &generator)) * 30), kinds.count - 1)] }
            let (segment, expected) = try Self.segmentStatistics(pushing: values, in: path)
            func counts(_ statistics: FeatureStatistics) -> [String] {
                statistics.strings?.frequent?.top(.max).map { "\($0.value)=\($0.count)+\($0.error)" } ?? []
            }
            #expect(counts(segment) == counts(expected))
            #expect(counts(segment).count == FrequentValues.defaultCapacity)
            #expect(segment.strings?.distinct == expected.strings?.distinct)
            #expect(segment.rows == values.count)
        }
    }

    @Test func onlyTheIntervalsRowsCount() throws {
        try withTemporaryDirectory { path in
            let file = path + "/stats.csv"
            try """
            driver_id,event_timestamp,rate,trips,segment,tags
            1,2024-05-01T01:00:00Z,0.25,10,a,
            2,2024-05-01T02:00:00Z,0.75,20,b,
            3,2024-05-02T01:00:00Z,9.0,99,c,

            """.write(toFile: file, atomically: true, encoding: .utf8)
            let store = try FeatureStore.open(path + "/store")
            try store.apply(Self.definitions(csv: file))
            let snapshot = try store.materialize(from: Self.day, to: Self.day + .seconds(86_400))
            let statistics = try #require(try store.statistics(snapshot: snapshot.id)["stats"])
            #expect(statistics["rate"]?.rows == 2)
            #expect(statistics["rate"]?.numbers?.moments.mean == 0.5)
            #expect(statistics["trips"]?.numbers?.moments.maximum == 20)
            #expect(statistics["tags"]?.nulls == 2)
        }
    }

    /// Numbers go to the statistics in blocks of 16,384 (non-finite values counted and set
    /// aside, the rest sorted): across several blocks, with nulls, infinities and NaN in a
    /// float64 and a float32 feature, the counts are those of the values added one by one, the
    /// moments agree to 1e-9 and the quantiles to the sketch's 2%, for values spread widely
    /// and for values a billion away from zero.
    @Test func numbersInBlocksCountAsOneByOne() throws {
        try withTemporaryDirectory { path in
            let file = path + "/numbers.csv"
            let count = 40_000
            func text(_ row: Int, _ value: Double) -> String {
                switch (row % 7, row % 11, row % 13, row % 17) {
                case (0, _, _, _): ""
                case (_, 0, _, _): "inf"
                case (_, _, 0, _): "-inf"
                case (_, _, _, 0): "NaN"
                default: String(value)
                }
            }
            var csv = "driver_id,event_timestamp,wide,far,narrow,trips\n"
            var generator = StatisticsTests.SeededGenerator(seed: 3)
            for row in 0..<count {
                let wide = Double.random(in: -1e6...1e6, using: &generator)
                let far = 1e9 + Double(row % 100) / 8
                let trips = row % 19 == 0 ? "" : String(Int64(wide) * 1_000)
                csv += "\(row),2024-05-01T01:00:00Z,\(text(row, wide)),\(text(row + 1, far)),\(text(row + 2, Double(Float(wide / 1e3)))),\(trips)\n"
            }
            try csv.write(toFile: file, atomically: true, encoding: .utf8)
            let driver = Entity("driver", joinKey: "driver_id")
            let source = Source.csv("numbers_file", path: file)
            let view = FeatureView("numbers", entities: [driver], source: source) {
                Field("wide", .float64)
                Field("far", .float64)
                Field("narrow", .float32)
                Field("trips", .int64)
            }
            let store = try FeatureStore.open(path + "/store")
            try store.apply(Definitions(entities: [driver], sources: [source], views: [view]))
            let snapshot = try store.materialize(from: Self.day, to: Self.day + .seconds(86_400))
            let statistics = try #require(try store.statistics(snapshot: snapshot.id)["numbers"])

            let table = try store.historyRows(of: "numbers")
            for (position, feature) in ["wide", "far", "narrow", "trips"].enumerated() {
                var expected = FeatureStatistics()
                for row in table { expected.add(row.values[position]) }
                let stored = try #require(statistics[feature])
                #expect(stored.rows == count && stored.rows == expected.rows, "\(feature)")
                #expect(stored.nulls == expected.nulls && stored.nonFinite == expected.nonFinite, "\(feature)")
                #expect((stored.nonFinite > 0 || feature == "trips") && stored.nulls > 0)
                let moments = try #require(stored.numbers?.moments), reference = try #require(expected.numbers?.moments)
                #expect(moments.count == reference.count && moments.minimum == reference.minimum && moments.maximum == reference.maximum)
                #expect(abs(moments.mean - reference.mean) <= 1e-9 * max(1, abs(reference.mean)), "\(feature)")
                let values = table.compactMap { row -> Double? in
                    switch row.values[position] {
                    case .float64(let value): value.isFinite ? value : nil
                    case .float32(let value): value.isFinite ? Double(value) : nil
                    case .int64(let value): Double(value)
                    default: nil
                    }
                }.sorted()
                // Two passes over the exact values: the reference, more accurate a billion away
                // from zero than the one-by-one update.
                let mean = values.reduce(0, +) / Double(values.count)
                let referenceVariance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
                let variance = try #require(moments.variance)
                #expect(abs(variance / referenceVariance - 1) < 1e-9, "\(feature): \(variance) vs \(referenceVariance)")
                for fraction in stride(from: 0.05, through: 0.95, by: 0.05) {
                    let quantile = try #require(stored.numbers?.quantiles.quantile(fraction))
                    // The ranks the value spans (values repeat).
                    let below = Double(values.firstIndex { $0 >= quantile } ?? values.count) / Double(values.count)
                    let through = Double(values.firstIndex { $0 > quantile } ?? values.count) / Double(values.count)
                    #expect(fraction > below - 0.02 && fraction < through + 0.02, "\(feature) quantile \(fraction): \(quantile) at ranks \(below)-\(through)")
                }
            }
        }
    }

    @Test func aFailedRunLeavesNoStatisticsAndUnknownSnapshotsAreErrors() throws {
        try withTemporaryDirectory { path in
            let file = path + "/stats.csv"
            try "driver_id,event_timestamp,rate,trips,segment,tags\n1,2024-05-01T01:00:00Z,0.25,ten,a,\n"
                .write(toFile: file, atomically: true, encoding: .utf8)
            let store = try FeatureStore.open(path + "/store")
            try store.apply(Self.definitions(csv: file))
            #expect(throws: SourceError.self) { try store.materialize(from: Self.day, to: Self.day + .seconds(86_400)) }
            #expect(try store.snapshots().isEmpty)
            #expect(throws: LarderError.self) { try store.statistics(snapshot: 1) }
            if let database = store.statisticsDatabase {
                #expect(try store.environment.read { txn in try StatisticsStorage.load(snapshot: 1, from: database, txn) }.isEmpty)
            }
        }
    }

    /// Statistics of a window of history, on demand: each stored row once, with its newest
    /// value; empty for a window without rows; an unknown view is an error.
    @Test func aWindowOfHistory() throws {
        try withTemporaryDirectory { path in
            let file = path + "/stats.csv"
            func write(_ firstRate: Double) throws {
                try """
                driver_id,event_timestamp,rate,trips,segment,tags
                1,2024-05-01T01:00:00Z,\(firstRate),10,a,
                2,2024-05-01T02:00:00Z,0.75,20,b,
                3,2024-05-02T01:00:00Z,9.0,99,c,

                """.write(toFile: file, atomically: true, encoding: .utf8)
            }
            try write(0.25)
            let store = try FeatureStore.open(path + "/store")
            try store.apply(Self.definitions(csv: file))
            let day = Self.day, next = Self.day + .seconds(86_400)
            _ = try store.materialize(from: day, to: next)
            try write(0.35)  // a corrected value, written again by a second run
            _ = try store.materialize(from: day, to: next + .seconds(86_400))

            let window = try store.statistics(of: "stats", from: day, to: next)
            #expect(window["rate"]?.rows == 2)
            #expect(abs(try #require(window["rate"]?.numbers?.moments.mean) - 0.55) < 1e-12)
            #expect(try store.statistics(of: "stats", from: day, to: next + .seconds(86_400))["trips"]?.rows == 3)
            // As the first run left it: the old value.
            #expect(try store.statistics(of: "stats", from: day, to: next, asOfSnapshot: 1)["rate"]?.numbers?.moments.mean == 0.5)
            #expect(try store.statistics(of: "stats", from: next + .seconds(86_400), to: next + .seconds(172_800))["rate"]?.rows == 0)
            #expect(throws: LarderError.self) { try store.statistics(of: "nope", from: day, to: next) }
        }
    }
}
