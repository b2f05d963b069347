import Foundation
import Larder
import TestSupport
import Testing

/// The program of the DocC article `GettingStarted`, verbatim but for the paths: if this stops
/// compiling or passing, the article is wrong.
@Suite struct DocCArticleTests {
    @Test func theGettingStartedProgramRunsAsTheArticleSays() throws {
        try withExampleData(
            stats: "driver_id,event_timestamp,conv_rate,avg_daily_trips\n1001,2024-05-01T10:00:00Z,0.85,12\n1001,2024-05-02T10:00:00Z,0.80,14\n",
            labels: "driver_id,event_timestamp,trip_completed\n1001,2024-05-01T11:00:00Z,1\n1001,2024-05-01T09:00:00Z,0\n"
        ) { path in
            // Article program begins
            let store = try FeatureStore.open(path("driver.larder"))
            let driver = Entity("driver", joinKey: "driver_id")
            let stats = Source.csv("driver_stats", path: path("data/driver_stats.csv"))
            let hourly = FeatureView("driver_hourly_stats", entities: [driver], source: stats, ttl: .seconds(86_400)) {
                Field("conv_rate", .float32)
                Field("avg_daily_trips", .int64)
            }
            try store.apply(Definitions(entities: [driver], sources: [stats], views: [hourly]))
            let start = try Timestamp(parsing: "2024-05-01T00:00:00Z")
            let end = try Timestamp(parsing: "2024-05-03T00:00:00Z")
            let snapshot = try store.materialize(from: start, to: end)
            let online = try store.onlineFeatures(["driver_hourly_stats:conv_rate"], for: [["driver_id": 1001]],
                                                  options: OnlineOptions(now: end))
            try store.writeHistoricalFeatures(entities: .csv(path: path("data/labels.csv")), features: ["driver_hourly_stats"],
                                              to: path("train.csv"), options: HistoricalOptions(asOfSnapshot: snapshot.id))
            let view = try store.preparedView("driver_hourly_stats", features: ["conv_rate", "avg_daily_trips"])
            let rate = try store.withSession { session in
                try session.withRow(view, key: 1001) { row in row.float32(0) }
            }
            // Article program ends

            #expect(snapshot.rowsWritten == 2)
            #expect(online[0, "conv_rate"]?.value == .float32(0.80))
            #expect(online[0, "conv_rate"]?.status == .present)
            #expect(rate == 0.80)
            #expect(try String(contentsOfFile: path("train.csv"), encoding: .utf8) ==
                "driver_id,event_timestamp,trip_completed,conv_rate,avg_daily_trips\n1001,2024-05-01T11:00:00Z,1,0.85,12\n1001,2024-05-01T09:00:00Z,0,,\n")
        }
    }
}
