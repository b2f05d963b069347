import Foundation
import Testing
import TestSupport

/// `larder stats VIEW`: what a snapshot stored, or a window of history computed now.
@Suite struct StatsCommandTests {
    @Test func aSnapshotsAndAWindowsStatistics() throws {
        try withTemporaryDirectory { directory in
            try DriftCommandTests.makeRepository(in: directory)
            let stored = try larder("stats", "driver_stats", "--snapshot", "2", "--json", in: directory)
            #expect(stored.status == 0, "\(stored)")
            let body = try #require(try JSONSerialization.jsonObject(with: Data(stored.stdout.utf8)) as? [String: [String: [String: Any]]])
            let rate = try #require(body["driver_stats"]?["rate"])
            #expect(rate["rows"] as? Int == 300)
            // Day 2's rates: 0.5 + i/300 for i in 0..<300, mean 0.5 + 299/600.
            let mean = try #require((rate["numbers"] as? [String: Any])?["mean"] as? Double)
            #expect(abs(mean - (0.5 + 299.0 / 600)) < 1e-9)
            #expect(body["driver_stats"]?["city"]?["distinct"] as? Int == 2)

            // Both days from history: 600 rows.
            let window = try larder("stats", "driver_stats", "--from", "2024-05-01", "--to", "2024-05-03", "--json", in: directory)
            let both = try #require(try JSONSerialization.jsonObject(with: Data(window.stdout.utf8)) as? [String: [String: [String: Any]]])
            #expect(both["driver_stats"]?["rate"]?["rows"] as? Int == 600)

            let table = try larder("stats", "driver_stats", "--snapshot", "1", in: directory)
            #expect(table.stdout.hasPrefix("View driver_stats, snapshot 1:\nview "), "\(table)")
        }
    }

    @Test func badRequests() throws {
        try withTemporaryDirectory { directory in
            try DriftCommandTests.makeRepository(in: directory)
            let empty = try larder("stats", "driver_stats", "--from", "2025-01-01", "--to", "2025-01-02", in: directory)
            #expect(empty.status == 2 && empty.stderr.contains("has no history rows with event times in"), "\(empty)")
            let unknown = try larder("stats", "nope", "--snapshot", "1", in: directory)
            #expect(unknown.status == 2 && unknown.stderr.contains("unknown view 'nope'"), "\(unknown)")
            let neither = try larder("stats", "driver_stats", in: directory)
            #expect(neither.status == 1 && neither.stderr.contains("give --snapshot ID, or --from TIME and --to TIME"), "\(neither)")
            let missing = try larder("stats", "driver_stats", "--snapshot", "7", in: directory)
            #expect(missing.status == 2, "\(missing)")
        }
    }
}
