import Foundation
import Larder
import TestSupport
import Testing

/// Materialization writes the same store whatever order the source's rows come in: grouped by
/// entity, ordered by time (an hourly export), or shuffled (a Spark job's part files).
@Suite struct InputOrderTests {
    struct Line {
        let driver: Int
        let hour: Int
        let created: Int?
        let trips: Int
        var csv: String {
            "\(driver),\(at(hour)),\(created.map { at($0) } ?? ""),\(trips)"
        }
    }

    static func at(_ hour: Int) -> String {
        Timestamp(microseconds: Int64(1_714_521_600 + hour * 3_600) * 1_000_000).description
    }

    /// 150 drivers x 40 hours, with exact duplicate lines, rows of one (driver, hour) told apart
    /// by their created time, and drivers seen only on some days.
    static func lines(day: Int) -> [Line] {
        var lines: [Line] = []
        for driver in 1...150 where driver % 7 != day {
            for hour in stride(from: day * 20, to: day * 20 + 20, by: 1) where (driver + hour) % 3 != 0 {
                lines.append(Line(driver: driver, hour: hour, created: nil, trips: driver * 1_000 + hour))
                if hour % 5 == 0 {
                    lines.append(Line(driver: driver, hour: hour, created: nil, trips: driver * 1_000 + hour))  // a duplicate
                }
                if hour % 4 == 1 {  // two versions of one event, the later created one newer
                    lines.append(Line(driver: driver, hour: hour, created: hour + 2, trips: -driver))
                    lines.append(Line(driver: driver, hour: hour, created: hour + 1, trips: -hour))
                }
            }
        }
        return lines
    }

    enum Order: CaseIterable {
        /// The generated order: by entity, two versions of an event now and then out of order.
        case byEntity
        /// Each part sorted by key: long runs in order, as a dump sorted day by day gives.
        case sortedRuns
        case byTime
        case shuffled

        func arrange(_ parts: [[Line]]) -> [Line] {
            if case .sortedRuns = self {
                return parts.flatMap { part in
                    part.enumerated().sorted { a, b in
                        let (x, y) = (a.element, b.element)
                        return (x.driver, x.hour, x.created ?? -1, a.offset) < (y.driver, y.hour, y.created ?? -1, b.offset)
                    }.map(\.element)
                }
            }
            let lines = parts.flatMap { $0 }
            switch self {
            case .sortedRuns: return lines
            case .byEntity: return lines
            case .byTime: return lines.enumerated().sorted { ($0.element.hour, $0.offset) < ($1.element.hour, $1.offset) }.map(\.element)
            case .shuffled:
                var generator = SeededGenerator(seed: 42)
                return lines.shuffled(using: &generator)
            }
        }
    }

    struct Outcome: Equatable {
        var history: [HistoryRow]
        var online: [String]
        var snapshots: [[Int]]
        var training: HistoricalTable
    }

    func materialize(_ order: Order, in path: String, budget: Int) throws -> Outcome {
        let store = try FeatureStore.open(path + "/store-\(order)")
        let source = Source.csv("trips", path: path + "/trips-\(order).csv")
        let driver = Entity("driver", joinKey: "driver_id")
        let view = FeatureView("trips", entities: [driver], source: source, createdTimestampColumn: "created") { Field("trips", .int64) }
        try store.apply(Definitions(entities: [driver], sources: [source], views: [view]))
        let options = MaterializeOptions(batchSize: 97, memoryBudget: budget, temporaryDirectory: path)
        for day in 0..<2 {
            // The second run also sends again the first day's last hours: unchanged rows.
            let lines = order.arrange([Self.lines(day: day)] + (day == 1 ? [Self.lines(day: 0).filter { $0.hour >= 17 }] : []))
            try (["driver_id,event_timestamp,created,trips"] + lines.map(\.csv)).joined(separator: "\n").appending("\n")
                .write(toFile: path + "/trips-\(order).csv", atomically: true, encoding: .utf8)
            try store.materialize(from: try Timestamp(parsing: Self.at(0)), to: try Timestamp(parsing: Self.at(1_000)), options: options)
        }
        var online: [String] = []
        try store.forEachOnlineRow(of: "trips") { entity, row in
            online.append("\(entity) \(row.eventTime) \(row.createdTime.map { "\($0)" } ?? "-") \(row.snapshot) \(row.value(0))")
        }
        let entityRows = (0..<400).map { index -> [FeatureValue] in [.int64(Int64(index % 160)), .string(Self.at(index % 45))] }
        return Outcome(
            history: try store.historyRows(of: "trips"),
            online: online,
            snapshots: try store.snapshots().map { snapshot in
                snapshot.views.flatMap { [$0.rowsRead, $0.rowsWritten, $0.rowsUnchanged, $0.onlineRowsUpdated] }
            },
            training: try store.historicalFeatures(
                entities: .table(columns: ["driver_id", "event_timestamp"], rows: entityRows), features: ["trips"]))
    }

    @Test(arguments: [64 << 20, 1 << 16])
    func everyOrderGivesTheSameStore(budget: Int) throws {
        try withTemporaryDirectory { path in
            let outcomes = try Order.allCases.map { try materialize($0, in: path, budget: budget) }
            #expect(outcomes[0].history.count > 4_000)
            #expect(outcomes[0].snapshots[1][2] > 100)  // rows sent again, unchanged
            #expect(outcomes[0].online.count == 150)
            for (order, outcome) in zip(Order.allCases, outcomes).dropFirst() {
                #expect(outcome == outcomes[0], "\(order)")
            }
            // The later created version of an event wins online, and both stay in history.
            let versions = outcomes[0].history.filter { $0.entity == [.int64(2)] && $0.eventTime == (try? Timestamp(parsing: Self.at(21))) }
            #expect(versions.map(\.values) == [[.int64(2_021)], [.int64(-21)], [.int64(-2)]])
        }
    }

    /// A spill that cannot be written (here, on the worker thread that sorts while the rows are
    /// read) stops the run with the file it could not create, and commits nothing.
    @Test func aSpillThatFailsStopsTheRunAndCommitsNothing() throws {
        try withTemporaryDirectory { path in
            let store = try FeatureStore.open(path + "/store")
            let source = Source.csv("trips", path: path + "/trips.csv")
            let driver = Entity("driver", joinKey: "driver_id")
            let view = FeatureView("trips", entities: [driver], source: source, createdTimestampColumn: "created") { Field("trips", .int64) }
            try store.apply(Definitions(entities: [driver], sources: [source], views: [view]))
            let lines = Order.shuffled.arrange([Self.lines(day: 0)])
            try (["driver_id,event_timestamp,created,trips"] + lines.map(\.csv)).joined(separator: "\n").appending("\n")
                .write(toFile: path + "/trips.csv", atomically: true, encoding: .utf8)
            let missing = path + "/no-such-directory"
            #expect {
                try store.materialize(from: try Timestamp(parsing: Self.at(0)), to: try Timestamp(parsing: Self.at(1_000)),
                                      options: MaterializeOptions(memoryBudget: 1 << 16, temporaryDirectory: missing))
            } throws: { error in
                (error as? TemporaryFileError)?.path.hasPrefix(missing + "/larder-sort-") == true
            }
            #expect(try store.snapshots().isEmpty)
            #expect(try store.historyRows(of: "trips").isEmpty)
        }
    }

    /// When lines of one key disagree, the later line wins, in every order.
    @Test func theLaterOfTwoDisagreeingLinesWins() throws {
        try withTemporaryDirectory { path in
            for (first, second) in [(1, 2), (2, 1)] {
                let store = try FeatureStore.open(path + "/store-\(first)")
                let source = Source.csv("s", path: path + "/s.csv")
                let driver = Entity("driver", joinKey: "driver_id")
                try store.apply(Definitions(entities: [driver], sources: [source],
                                            views: [FeatureView("v", entities: [driver], source: source) { Field("x", .int64) }]))
                try "driver_id,event_timestamp,x\n5,\(Self.at(1)),\(first)\n3,\(Self.at(2)),0\n5,\(Self.at(1)),\(second)\n"
                    .write(toFile: path + "/s.csv", atomically: true, encoding: .utf8)
                try store.materialize(from: try Timestamp(parsing: Self.at(0)), to: try Timestamp(parsing: Self.at(9)))
                #expect(try store.historyRows(of: "v").filter { $0.entity == [.int64(5)] }.map(\.values) == [[.int64(Int64(second))]])
                #expect(try store.onlineRow(of: "v", entity: [5])?.values == [.int64(Int64(second))])
            }
        }
    }
}

/// A small deterministic generator (SplitMix64), so that a shuffled test input is the same on
/// every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
