import Foundation
@testable import Larder

/// A store with one `driver_hourly_stats` view over a CSV file the test writes.
struct StatsStore {
    let store: FeatureStore
    let csvPath: String
    let directory: String

    static let header = "driver_id,event_timestamp,created,conv_rate,trips"

    init(in directory: String, ttl: Duration = .zero, csv rows: [String] = []) throws {
        self.directory = directory
        self.csvPath = directory + "/stats.csv"
        store = try FeatureStore.open(directory + "/store")
        let driver = Entity("driver", joinKey: "driver_id")
        let source = Source.csv("stats_source", path: csvPath)
        let view = FeatureView("stats", entities: [driver], source: source, ttl: ttl, createdTimestampColumn: "created") {
            Field("conv_rate", .float64)
            Field("trips", .int64)
        }
        try store.apply(Definitions(entities: [driver], sources: [source], views: [view]))
        try write(rows)
    }

    func write(_ rows: [String]) throws {
        try ([Self.header] + rows).joined(separator: "\n").appending("\n").write(toFile: csvPath, atomically: true, encoding: .utf8)
    }

    func online(_ driver: Int64) throws -> OnlineRow? {
        try store.onlineRow(of: "stats", entity: [.int64(driver)])
    }

    func history() throws -> [HistoryRow] { try store.historyRows(of: "stats") }
}

/// `2024-05-01T<hour>:00:00Z`
func at(_ hour: Int) -> String { "2024-05-01T\(hour < 10 ? "0" : "")\(hour):00:00Z" }

func time(_ hour: Int) -> Timestamp { Timestamp(seconds: 1_714_521_600 + Int64(hour) * 3600) }
