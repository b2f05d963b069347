import Foundation
import Larder
import TestSupport
import Testing

/// The README's example, verbatim but for the paths: if this stops compiling or passing, the
/// README is wrong.
@Suite struct ReadmeExampleTests {
    @Test func theReadmeExampleRuns() throws {
        // The README uses relative paths; here they live in a temporary directory.
        try withExampleData(
            stats: "driver_id,event_timestamp,conv_rate,avg_daily_trips\n1001,2024-05-01T10:00:00Z,0.85,12\n",
            labels: "driver_id,event_timestamp,label\n1001,2024-05-01T11:00:00Z,1\n1001,2024-05-01T09:00:00Z,0\n"
        ) { path in
            // README example begins
            let store = try FeatureStore.open(path("driver.larder"))
            let driver = Entity("driver", joinKey: "driver_id")
            let stats = Source.csv("driver_stats", path: path("data/driver_stats.csv"))
            let hourly = FeatureView("driver_hourly_stats", entities: [driver], source: stats, ttl: .seconds(86_400)) {
                Field("conv_rate", .float32)
                Field("avg_daily_trips", .int64)
            }
            try store.apply(Definitions(entities: [driver], sources: [stats], views: [hourly]))

            // Load every row up to now: one atomic, numbered snapshot.
            let snapshot = try store.materialize(from: Timestamp(seconds: 0), to: .now)

            // Online: the latest values, each with a status (present, null, notFound, outsideMaxAge).
            let now = Timestamp(seconds: 1_714_561_200)  // 2024-05-01T11:00:00Z, for a stable example
            let online = try store.onlineFeatures(["driver_hourly_stats"], for: [["driver_id": 1001]], options: OnlineOptions(now: now))
            print(online[0, "conv_rate"]!.value, online[0, "conv_rate"]!.status)  // 0.85 present

            // Training set: point in time correct, every input row kept, rebuildable as of a snapshot.
            try store.writeHistoricalFeatures(entities: .csv(path: path("data/labels.csv")), features: ["driver_hourly_stats"],
                                              to: path("train.csv"), options: HistoricalOptions(asOfSnapshot: snapshot.id))
            // README example ends

            #expect(online[0, "conv_rate"]?.value == .float32(0.85))
            #expect(online[0, "conv_rate"]?.status == .present)
            #expect(try String(contentsOfFile: path("train.csv"), encoding: .utf8) ==
                "driver_id,event_timestamp,label,conv_rate,avg_daily_trips\n1001,2024-05-01T11:00:00Z,1,0.85,12\n1001,2024-05-01T09:00:00Z,0,,\n")
        }
    }
}

/// A temporary directory holding `data/driver_stats.csv` and `data/labels.csv`, the two files
/// the documented examples read; `body` gets a function from a relative path to its place.
func withExampleData(stats: String, labels: String, _ body: (_ path: (String) -> String) throws -> Void) throws {
    try withTemporaryDirectory { (directory) throws in
        func path(_ relative: String) -> String { directory + "/" + relative }
        try FileManager.default.createDirectory(atPath: path("data"), withIntermediateDirectories: true)
        try stats.write(toFile: path("data/driver_stats.csv"), atomically: true, encoding: .utf8)
        try labels.write(toFile: path("data/labels.csv"), atomically: true, encoding: .utf8)
        try body(path)
    }
}
