import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport
import Testing

/// `larder serve` as a process: it prints where it listens, answers over HTTP, and stops
/// cleanly on SIGTERM.
@Suite struct ServeTests {
    @Test func servesThenStopsOnSIGTERM() async throws {
        try await withTemporaryDirectory { directory in
            _ = try larder("init", "repo", "--drivers", "20", "--days", "1", "--entity-rows", "10", in: directory)
            let repository = directory + "/repo"
            _ = try larder("apply", in: repository)
            _ = try larder("materialize", "2024-05-01", "2024-05-02", in: repository)
            let log = directory + "/serve.log"
            let server = try ChildProcess(["serve", "--port", "0", "--workers", "2", "--log-format", "json"], in: repository, product: "larder", errorFile: log)
            let line = try #require(server.readLine())
            #expect(line.hasPrefix("larder serve: listening on http://127.0.0.1:"))
            let base = try #require(URL(string: String(line.split(separator: " ").last!)))
            var request = URLRequest(url: base.appendingPathComponent("get-online-features"))
            request.httpMethod = "POST"
            request.httpBody = Data(#"{"features": ["driver_hourly_stats:avg_daily_trips"], "entities": {"driver_id": [1001]}}"#.utf8)
            let (data, response) = try await URLSession.shared.data(for: request)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            let body = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect((body["metadata"] as? [String: Any])?["feature_names"] as? [String] == ["driver_id", "avg_daily_trips"])
            server.signal(SIGTERM)
            #expect(server.wait() == 0)
            // One JSON object per log line, the request's among them.
            let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
            let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
            let logged = try #require(objects.first { $0["path"] as? String == "/get-online-features" })
            #expect(logged["status"] as? String == "200")
            #expect(logged["method"] as? String == "POST")
        }
    }

    /// The deploy path of Docs/Scaling.md: serve an export through a symlink, export again,
    /// switch the symlink, and the server answers from the new export.
    @Test func watchSwitchesToANewExport() async throws {
        try await withTemporaryDirectory { directory in
            _ = try larder("init", "repo", "--drivers", "20", "--days", "2", "--entity-rows", "10", in: directory)
            let repository = directory + "/repo"
            _ = try larder("apply", in: repository)
            _ = try larder("materialize", "2024-05-01", "2024-05-02", in: repository)
            _ = try larder("export", "../exports/1", in: repository)
            try FileManager.default.createSymbolicLink(atPath: directory + "/current", withDestinationPath: "exports/1")

            let refused = try larder("serve", "--store", "../current", "--watch", in: repository)
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderr.contains("--watch serves exports, which are read-only: add --read-only"), "\(refused)")

            let server = try ChildProcess(["serve", "--store", "../current", "--read-only", "--watch", "--watch-interval", "0.05", "--port", "0", "--no-access-log"],
                                          in: repository, product: "larder", errorFile: directory + "/serve.log")
            let line = try #require(server.readLine())
            let base = try #require(URL(string: String(line.split(separator: " ").last!)))
            #expect(try await Self.snapshotCount(base) == 1)

            _ = try larder("materialize", "2024-05-02", "2024-05-03", in: repository)
            _ = try larder("export", "../exports/2", in: repository)
            try FileManager.default.createSymbolicLink(atPath: directory + "/current.new", withDestinationPath: "exports/2")
            #expect(rename(directory + "/current.new", directory + "/current") == 0)
            let deadline = ContinuousClock.now + .seconds(20)
            while try await Self.snapshotCount(base) == 1, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try await Self.snapshotCount(base) == 2)
            server.signal(SIGTERM)
            #expect(server.wait() == 0)
            // The switch is logged; with --no-access-log, the requests are not.
            let log = try String(contentsOfFile: directory + "/serve.log", encoding: .utf8)
            #expect(log.contains("serving a new export"), "\(log)")
            #expect(!log.contains("/snapshots"), "\(log)")
        }
    }

    static func snapshotCount(_ base: URL) async throws -> Int {
        let (data, _) = try await URLSession.shared.data(from: base.appendingPathComponent("snapshots"))
        let body = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return (body["snapshots"] as? [Any])?.count ?? -1
    }
}
