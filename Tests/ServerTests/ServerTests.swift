import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Larder
import LarderServer
import TestSupport
import Testing

/// The feature server over real HTTP on 127.0.0.1 (a free port), answering in Feast's shapes.
@Suite struct ServerTests {
    static func time(_ hour: Int) -> Timestamp { Timestamp(seconds: 1_714_521_600 + Int64(hour) * 3600) }

    /// `stats` (drivers): driver 1 rate 0.5 and trips 7 at hour 1; driver 2 with a null rate.
    /// Service `activity` reads `stats:rate`.
    func withServer(_ configuration: FeatureServer.Configuration = .init(port: 0),
                    _ body: @escaping @Sendable (URL) async throws -> Void) async throws {
        try await withTemporaryDirectory { directory in
            let store = try FeatureStore.open(directory + "/store")
            try store.apply(Definitions(
                entities: [Entity("driver", joinKey: "driver_id")], sources: [Source.push("pushed")],
                views: [FeatureView("stats", entityNames: ["driver"], sourceName: "pushed", features: [Field("rate", .float64), Field("trips", .int64)])],
                services: [FeatureService("activity", features: ["stats:rate"])]))
            try store.push([
                ["driver_id": 1, "event_timestamp": .timestamp(Self.time(1)), "rate": 0.5, "trips": 7],
                ["driver_id": 2, "event_timestamp": .timestamp(Self.time(2)), "rate": .null, "trips": 3],
            ], to: "stats")
            let server = FeatureServer(store: store, configuration: configuration)
            try await server.withRunning { port in try await body(URL(string: "http://127.0.0.1:\(port)")!) }
        }
    }

    static func post(_ base: URL, _ path: String, _ body: String) async throws -> (Int, String) {
        // A path may carry a query (`materialize?async=true`), which appendingPathComponent would escape.
        var request = URLRequest(url: URL(string: base.absoluteString + "/" + path)!)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func onlineFeaturesInFeastsShape() async throws {
        try await withServer { base in
            let (status, text) = try await Self.post(base, "get-online-features",
                #"{"features": ["stats:rate", "stats:trips"], "entities": {"driver_id": [1, 2, 9]}, "include_feature_view_version_metadata": true}"#)
            #expect(status == 200)
            let body = try Self.object(text)
            #expect((body["metadata"] as? [String: Any])?["feature_names"] as? [String] == ["driver_id", "rate", "trips"])
            let results = try #require(body["results"] as? [[String: Any]])
            #expect(results[0]["values"] as? [Int] == [1, 2, 9])
            #expect(results[0]["statuses"] as? [String] == ["PRESENT", "PRESENT", "PRESENT"])
            #expect(results[0]["event_timestamps"] as? [String] == Array(repeating: "1970-01-01T00:00:00Z", count: 3))
            let rates = try #require(results[1]["values"] as? [Any])
            #expect(rates[0] as? Double == 0.5)
            #expect(rates[1] is NSNull && rates[2] is NSNull)
            #expect(results[1]["statuses"] as? [String] == ["PRESENT", "NULL_VALUE", "NOT_FOUND"])
            #expect(results[1]["event_timestamps"] as? [String] == ["2024-05-01T01:00:00Z", "2024-05-01T02:00:00Z", "1970-01-01T00:00:00Z"])
            #expect(results[2]["values"] as? [Any] != nil)
            #expect((results[2]["values"] as? [Any])?.first as? Int == 7)
        }
    }

    @Test func aFeatureServiceAndFullNames() async throws {
        try await withServer { base in
            let (status, text) = try await Self.post(base, "get-online-features",
                #"{"feature_service": "activity", "features": ["stats:trips"], "entities": {"driver_id": [1]}, "full_feature_names": true}"#)
            #expect(status == 200)
            #expect((try Self.object(text)["metadata"] as? [String: Any])?["feature_names"] as? [String] == ["driver_id", "stats__rate"])
        }
    }

    @Test func unknownViewsAndServicesAreFeastsTypedErrors() async throws {
        try await withServer { base in
            let (status, text) = try await Self.post(base, "get-online-features", #"{"features": ["nope:x"], "entities": {"driver_id": [1]}}"#)
            #expect(status == 404)
            // A JSON string holding Feast's error object, which Feast's SDK raises again.
            let inner = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed) as? String)
            let error = try Self.object(inner)
            #expect(error["class"] as? String == "FeatureViewNotFoundException")
            #expect(error["module"] as? String == "feast.errors")
            let (serviceStatus, serviceText) = try await Self.post(base, "get-online-features", #"{"feature_service": "nope", "entities": {"driver_id": [1]}}"#)
            #expect(serviceStatus == 404)
            #expect(serviceText.contains("FeatureServiceNotFoundException"))
        }
    }

    @Test(arguments: [
        ("not json", "not a JSON object"),
        (#"{"features": "stats:rate", "entities": {"driver_id": [1]}}"#, "features is a string"),
        (#"{"features": ["stats:rate"], "entities": {"driver_id": [1, 2], "other": [1]}}"#, "entities.other has 1 values where entities.driver_id has 2"),
        (#"{"features": ["stats:rate"], "entities": {"driver_id": [1.5]}}"#, "entities.driver_id[0] is a number"),
        (#"{"features": ["stats:nope"], "entities": {"driver_id": [1]}}"#, "nope"),
        (#"{"entities": {"driver_id": [1]}}"#, "give features or feature_service"),
    ])
    func malformedRequestsAre422NamingTheField(body: String, message: String) async throws {
        try await withServer { base in
            let (status, text) = try await Self.post(base, "get-online-features", body)
            #expect(status == 422)
            let detail = try Self.object(text)["detail"] as? String
            #expect(detail?.contains(message) == true, "\(text)")
        }
    }

    @Test func healthUnknownPathsAndLargeBodies() async throws {
        try await withServer(.init(port: 0, maxBodyBytes: 64)) { base in
            let (health, _) = try await URLSession.shared.data(from: base.appendingPathComponent("health"))
            #expect(health.isEmpty)
            let (status, text) = try await Self.post(base, "no-such-endpoint", "{}")
            #expect(status == 404)
            #expect(try Self.object(text)["detail"] != nil)
            let large = #"{"features": ["stats:rate"], "entities": {"driver_id": ["# + String(repeating: "1,", count: 100) + "1]}}"
            let (tooLarge, largeText) = try await Self.post(base, "get-online-features", large)
            #expect(tooLarge == 413)
            #expect(try Self.object(largeText)["detail"] as? String == "the request body is larger than 64 bytes")
        }
    }
}

/// Writes: rows become a run with a snapshot, through the one writer; a read-only server
/// refuses them.
@Suite struct ServerWriteTests {
    static func rate(_ base: URL, driver: Int) async throws -> Any? {
        let (_, text) = try await ServerTests.post(base, "get-online-features", #"{"features": ["stats:rate"], "entities": {"driver_id": [\#(driver)]}}"#)
        let results = try ServerTests.object(text)["results"] as? [[String: Any]]
        return (results?[1]["values"] as? [Any])?.first
    }

    @Test func writeToOnlineStoreAndPush() async throws {
        try await ServerTests().withServer { base in
            let (status, text) = try await ServerTests.post(base, "write-to-online-store", """
                {"feature_view_name": "stats", "df": {"driver_id": [1, 3], "event_timestamp": ["2024-05-01 05:00:00+00:00", "2024-05-01T05:00:00Z"],
                 "rate": [0.75, 1], "trips": [8, null]}, "allow_registry_cache": true}
                """)
            #expect(status == 200)
            #expect(text == "null")
            #expect(try await Self.rate(base, driver: 1) as? Double == 0.75)
            #expect(try await Self.rate(base, driver: 3) as? Double == 1.0)  // an integer for a float64 feature
            // Feast's remote client sends naive times: UTC.
            let (naive, _) = try await ServerTests.post(base, "write-to-online-store", """
                {"feature_view_name": "stats", "df": {"driver_id": [2], "event_timestamp": ["2024-05-01T05:30:00"], "rate": [0.6]}}
                """)
            #expect(naive == 200)
            #expect(try await Self.rate(base, driver: 2) as? Double == 0.6)
            let (pushed, body) = try await ServerTests.post(base, "push", """
                {"push_source_name": "pushed", "df": {"driver_id": [1], "event_timestamp": ["2024-05-01T06:00:00Z"], "rate": [0.8]}, "to": "online_and_offline"}
                """)
            #expect(pushed == 200)
            #expect(body.isEmpty)
            #expect(try await Self.rate(base, driver: 1) as? Double == 0.8)
        }
    }

    @Test func badWritesAreRefusedAndCommitNothing() async throws {
        try await ServerTests().withServer { base in
            let (unknownView, viewText) = try await ServerTests.post(base, "write-to-online-store", #"{"feature_view_name": "nope", "df": {"driver_id": [1]}}"#)
            #expect(unknownView == 404)
            #expect(viewText.contains("FeatureViewNotFoundException"))
            let (unknownSource, sourceText) = try await ServerTests.post(base, "push", #"{"push_source_name": "nope", "df": {"driver_id": [1]}}"#)
            #expect(unknownSource == 422)
            #expect(sourceText.contains("PushSourceNotFoundException"))
            let (badValue, badText) = try await ServerTests.post(base, "write-to-online-store", """
                {"feature_view_name": "stats", "df": {"driver_id": [1, 2], "event_timestamp": ["2024-05-01T07:00:00Z", "2024-05-01T07:00:00Z"], "rate": [0.9, "fast"]}}
                """)
            #expect(badValue == 422)
            #expect(badText.contains("rate"), "\(badText)")
            #expect(try await Self.rate(base, driver: 1) as? Double == 0.5)  // the good row was not committed either
            let (uneven, unevenText) = try await ServerTests.post(base, "push", #"{"push_source_name": "pushed", "df": {"driver_id": [1, 2], "rate": [0.1]}}"#)
            #expect(uneven == 422)
            #expect(unevenText.contains("df.rate has 1 values where df.driver_id has 2"))
        }
    }

    @Test func aReadOnlyServerRefusesWrites() async throws {
        try await ServerTests().withServer(.init(port: 0, readOnly: true)) { base in
            let (status, text) = try await ServerTests.post(base, "push", #"{"push_source_name": "pushed", "df": {"driver_id": [1]}}"#)
            #expect(status == 403)
            #expect(text.contains("read-only"))
            let (other, _) = try await ServerTests.post(base, "write-to-online-store", #"{"feature_view_name": "stats", "df": {"driver_id": [1]}}"#)
            #expect(other == 403)
        }
    }
}

/// Larder's own read endpoints.
@Suite struct ServerCatalogTests {
    static func get(_ base: URL, _ path: String) async throws -> (Int, String) {
        let (data, response) = try await URLSession.shared.data(from: base.appendingPathComponent(path))
        return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
    }

    @Test func viewsAndSnapshots() async throws {
        try await ServerTests().withServer { base in
            let (status, views) = try await Self.get(base, "views")
            #expect(status == 200)
            let list = try #require(try ServerTests.object(views)["views"] as? [[String: Any]])
            #expect(list.map { $0["name"] as? String } == ["stats"])
            #expect((list[0]["features"] as? [[String: Any]])?.map { $0["name"] as? String } == ["rate", "trips"])
            let (_, snapshots) = try await Self.get(base, "snapshots")
            let all = try #require(try ServerTests.object(snapshots)["snapshots"] as? [[String: Any]])
            #expect(all.map { $0["id"] as? Int } == [1])
            #expect(all[0]["kind"] as? String == "push")
            let (one, snapshot) = try await Self.get(base, "snapshots/1")
            #expect(one == 200)
            #expect(try ServerTests.object(snapshot)["id"] as? Int == 1)
            let (missing, missingText) = try await Self.get(base, "snapshots/9")
            #expect(missing == 404)
            #expect(missingText.contains("snapshot 9 does not exist"))
            let (bad, _) = try await Self.get(base, "snapshots/abc")
            #expect(bad == 422)
        }
    }
}

/// Materialization through the server: a run like `larder materialize`, now or in the background.
@Suite struct ServerMaterializeTests {
    func withCSVServer(_ body: @escaping @Sendable (URL, FeatureStore) async throws -> Void) async throws {
        try await withTemporaryDirectory { directory in
            let csv = directory + "/stats.csv"
            try "driver_id,event_timestamp,rate\n1,2024-05-01T01:00:00Z,0.5\n1,2024-05-02T01:00:00Z,0.6\n2,2024-05-02T02:00:00Z,0.7\n"
                .write(toFile: csv, atomically: true, encoding: .utf8)
            let store = try FeatureStore.open(directory + "/store")
            try store.apply(Definitions(
                entities: [Entity("driver", joinKey: "driver_id")], sources: [Source.csv("stats_csv", path: csv)],
                views: [FeatureView("stats", entityNames: ["driver"], sourceName: "stats_csv", features: [Field("rate", .float64)])]))
            try await FeatureServer(store: store, configuration: .init(port: 0)).withRunning { port in
                try await body(URL(string: "http://127.0.0.1:\(port)")!, store)
            }
        }
    }

    @Test func materializeThenIncrementally() async throws {
        try await withCSVServer { base, store in
            let (status, text) = try await ServerTests.post(base, "materialize", #"{"start_ts": "2024-05-01T00:00:00", "end_ts": "2024-05-02T00:00:00", "feature_views": ["stats"]}"#)
            #expect(status == 200)
            #expect(text == "null")
            #expect(try store.snapshots().count == 1)
            #expect(try store.historyRows(of: "stats").count == 1)
            let (incremental, _) = try await ServerTests.post(base, "materialize-incremental", #"{"end_ts": "2024-05-03T00:00:00", "feature_views": null}"#)
            #expect(incremental == 200)
            #expect(try store.historyRows(of: "stats").count == 3)
        }
    }

    @Test func inTheBackground() async throws {
        try await withCSVServer { base, store in
            let (status, text) = try await ServerTests.post(base, "materialize?async=true", #"{"start_ts": "2024-05-01T00:00:00Z", "end_ts": "2024-05-03T00:00:00Z"}"#)
            #expect(status == 202)
            #expect(try ServerTests.object(text)["status"] as? String == "accepted")
            // The run commits on its own; wait for its snapshot (a few seconds at most).
            var waited = 0
            while try store.snapshots().isEmpty, waited < 500 {
                try await Task.sleep(nanoseconds: 10_000_000)
                waited += 1
            }
            #expect(try store.historyRows(of: "stats").count == 3)
        }
    }

    @Test func badRequests() async throws {
        try await withCSVServer { base, _ in
            let (missing, text) = try await ServerTests.post(base, "materialize", #"{"end_ts": "2024-05-02T00:00:00"}"#)
            #expect(missing == 422)
            #expect(text.contains("start_ts"))
            let (badTime, timeText) = try await ServerTests.post(base, "materialize-incremental", #"{"end_ts": "yesterday"}"#)
            #expect(badTime == 422)
            #expect(timeText.contains("end_ts"))
            let (unknown, unknownText) = try await ServerTests.post(base, "materialize", #"{"start_ts": "2024-05-01", "end_ts": "2024-05-02", "feature_views": ["nope"]}"#)
            #expect(unknown == 404)
            #expect(unknownText.contains("FeatureViewNotFoundException"))
        }
    }
}

/// `GET /metrics`: Prometheus text, Feast's metric names, Larder's microsecond buckets.
@Suite struct ServerMetricsTests {
    @Test func requestsStatusesAndLatencyAreCounted() async throws {
        try await ServerTests().withServer { base in
            _ = try await ServerTests.post(base, "get-online-features", #"{"features": ["stats:rate"], "entities": {"driver_id": [1, 2, 9]}}"#)
            _ = try await ServerTests.post(base, "get-online-features", #"{"features": ["nope:x"], "entities": {"driver_id": [1]}}"#)
            let (status, text) = try await ServerCatalogTests.get(base, "metrics")
            #expect(status == 200)
            let lines = Set(text.split(separator: "\n").map(String.init))
            #expect(lines.contains(#"feast_feature_server_request_total{endpoint="/get-online-features",status="200"} 1"#), "\(text)")
            #expect(lines.contains(#"feast_feature_server_request_total{endpoint="/get-online-features",status="404"} 1"#))
            #expect(lines.contains(#"feast_online_features_status_total{feature_view="stats",status="PRESENT"} 1"#))
            #expect(lines.contains(#"feast_online_features_status_total{feature_view="stats",status="NULL_VALUE"} 1"#))
            #expect(lines.contains(#"feast_online_features_status_total{feature_view="stats",status="NOT_FOUND"} 1"#))
            #expect(lines.contains("feast_online_features_entity_count_count 1"))
            // Freshness: now less the newest event time pushed into the view (2024-05-01T02:00Z).
            let freshness = try #require(lines.first { $0.hasPrefix(#"feast_feature_freshness_seconds{feature_view="stats"}"#) })
            let seconds = try #require(Double(freshness.split(separator: " ").last!))
            let expected = Double(Timestamp.now.microseconds - ServerTests.time(2).microseconds) / 1_000_000
            #expect(abs(seconds - expected) < 60)
            // The smallest latency bucket is 10 µs.
            #expect(lines.contains { $0.hasPrefix(#"feast_feature_server_request_latency_seconds_bucket{endpoint="/get-online-features",le="0.00001"}"#) }, "\(text)")
        }
    }
}

/// Concurrent writes: every acknowledged row is committed, rows arriving together share runs,
/// and a bad request fails alone.
@Suite struct ServerConcurrentWriteTests {
    @Test func concurrentWritesAreAllCommittedAndABadOneFailsAlone() async throws {
        try await ServerTests().withServer { base in
            let statuses = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for driver in 100..<140 {
                    group.addTask {
                        let rate = driver == 120 ? #""fast""# : "0.\(driver)"
                        let (status, _) = try await ServerTests.post(base, "write-to-online-store", """
                            {"feature_view_name": "stats", "df": {"driver_id": [\(driver)], "event_timestamp": ["2024-05-01T05:00:00Z"], "rate": [\(rate)]}}
                            """)
                        return (driver, status)
                    }
                }
                var all: [Int: Int] = [:]
                for try await (driver, status) in group { all[driver] = status }
                return all
            }
            #expect(statuses[120] == 422)
            #expect(statuses.filter { $0.key != 120 }.allSatisfy { $0.value == 200 })
            for driver in 100..<140 where driver != 120 {
                #expect(try await ServerWriteTests.rate(base, driver: driver) as? Double == Double("0.\(driver)"))
            }
            #expect(try await ServerWriteTests.rate(base, driver: 120) is NSNull)
            let (_, snapshots) = try await ServerCatalogTests.get(base, "snapshots")
            let count = try #require(try ServerTests.object(snapshots)["snapshots"] as? [Any]).count
            #expect(count <= 40)  // one for the fixture, at most one per good request (fewer when they arrived together)
        }
    }
}
