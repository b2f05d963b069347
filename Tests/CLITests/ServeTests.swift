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
            let server = try ChildProcess(["serve", "--port", "0"], in: repository, product: "larder")
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
        }
    }
}
