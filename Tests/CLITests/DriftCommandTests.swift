import Foundation
import Testing
import TestSupport

/// `larder drift`: scores between two snapshots, and an exit status a retraining pipeline can
/// branch on — 3 when a feature drifts, 0 when none does.
@Suite struct DriftCommandTests {
    /// Day 1: rate spread over 0…1 and city a/b evenly; day 2: rate over 0.5…1.5, cities unchanged.
    static func makeRepository(in directory: String, materializingDays days: Int = 2, monitoring: String = "") throws {
        var csv = "driver_id,event_timestamp,rate,city\n"
        for driver in 0..<300 {
            csv += "\(driver),2024-05-01T10:00:00Z,\(Double(driver) / 300),\(driver % 2 == 0 ? "a" : "b")\n"
            csv += "\(driver),2024-05-02T10:00:00Z,\(0.5 + Double(driver) / 300),\(driver % 2 == 0 ? "a" : "b")\n"
        }
        try csv.write(toFile: directory + "/stats.csv", atomically: true, encoding: .utf8)
        try """
            entities:
              - name: driver
                join_key: driver_id
            sources:
              - name: stats
                csv: stats.csv
            views:
              - name: driver_stats
                entities: [driver]
                source: stats
                features:
                  - name: rate
                    type: float64
                  - name: city
                    type: string
            \(monitoring)
            """.write(toFile: directory + "/features.yaml", atomically: true, encoding: .utf8)
        for command in [["apply"], ["materialize", "2024-05-01", "2024-05-02"], ["materialize", "2024-05-02", "2024-05-03"]].prefix(1 + days) {
            let result = try larder(command, in: directory)
            #expect(result.status == 0, "\(result)")
        }
    }

    @Test func exitsThreeWhenAFeatureDrifts() throws {
        try withTemporaryDirectory { directory in
            try Self.makeRepository(in: directory)
            let drifted = try larder("drift", "--baseline", "1", "--current", "2", in: directory)
            #expect(drifted.status == 3, "\(drifted)")
            #expect(drifted.stdout.hasPrefix("Snapshot 1 → snapshot 2: 1 of 2 features drift"), "\(drifted)")
            let lines = drifted.stdout.split(separator: "\n")
            // The drifting feature first.
            #expect(lines[3].hasPrefix("driver_stats  rate") && lines[3].hasSuffix("DRIFT"), "\(drifted)")
            #expect(lines[4].hasPrefix("driver_stats  city") && !lines[4].hasSuffix("DRIFT"), "\(drifted)")

            let json = try larder("drift", "--baseline", "1", "--current", "2", "--json", in: directory)
            #expect(json.status == 3)
            let body = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(body["drifting"] as? Int == 1)
            let rate = try #require((body["features"] as? [[String: Any]])?.first)
            #expect(rate["feature"] as? String == "rate" && rate["drifts"] as? Bool == true)
            #expect(try #require(rate["wasserstein"] as? Double) > 1)  // moved by half its range: σ ≈ 0.29

            // A looser threshold, or the same snapshot on both sides: nothing drifts.
            let same = try larder("drift", "--baseline", "1", "--current", "1", in: directory)
            #expect(same.status == 0, "\(same)")
            let loose = try larder("drift", "--baseline", "1", "--current", "2", "--psi", "100", "--jensen-shannon", "1", "--wasserstein", "100", in: directory)
            #expect(loose.status == 0, "\(loose)")
        }
    }

    /// Thresholds from the view's `monitoring:` block, feature over view; the command line over both.
    @Test func thresholdsFromTheDefinitions() throws {
        try withTemporaryDirectory { directory in
            // The rate moved by half its range: PSI about 4.5, normalized Wasserstein about 1.7.
            try Self.makeRepository(in: directory, monitoring: """
                    monitoring:
                      psi: 0.05
                      features:
                        rate: {psi: 100, jensen_shannon: 1, wasserstein: 100}
                """)
            let tolerated = try larder("drift", "--baseline", "1", "--current", "2", in: directory)
            #expect(tolerated.status == 0, "\(tolerated)")
            #expect(tolerated.stdout.contains("thresholds: psi 0.05, jensen-shannon 0.1, wasserstein 0.1; driver_stats:rate psi 100.0, jensen-shannon 1.0, wasserstein 100.0"), "\(tolerated)")
            let json = try larder("drift", "--baseline", "1", "--current", "2", "--json", in: directory)
            let body = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let features = try #require(body["features"] as? [[String: Any]])
            let rate = try #require(features.first { $0["feature"] as? String == "rate" })
            #expect(rate["thresholds"] as? [String: Double] == ["psi": 100, "jensen_shannon": 1, "wasserstein": 100])
            #expect((features.first { $0["feature"] as? String == "city" }?["thresholds"] as? [String: Double])?["psi"] == 0.05)
            // Given on the command line, a threshold holds for every feature.
            let strict = try larder("drift", "--baseline", "1", "--current", "2", "--wasserstein", "0.5", in: directory)
            #expect(strict.status == 3, "\(strict)")
            // A changed block is a change `plan` shows and `apply` keeps.
            var yaml = try String(contentsOfFile: directory + "/features.yaml", encoding: .utf8)
            yaml = yaml.replacingOccurrences(of: "psi: 100,", with: "psi: 1,")
            try yaml.write(toFile: directory + "/features.yaml", atomically: true, encoding: .utf8)
            let plan = try larder("plan", in: directory)
            #expect(plan.stdout.contains("~ monitoring: psi 0.05; rate: psi 100.0, jensen-shannon 1.0, wasserstein 100.0 -> psi 0.05; rate: psi 1.0, jensen-shannon 1.0, wasserstein 100.0"), "\(plan)")
            #expect(try larder("apply", in: directory).status == 0)
            let applied = try larder("drift", "--baseline", "1", "--current", "2", in: directory)
            #expect(applied.status == 3, "\(applied)")
        }
    }

    /// Windows of history and the online table as either side.
    @Test func windowsAndTheOnlineTable() throws {
        try withTemporaryDirectory { directory in
            try Self.makeRepository(in: directory)
            let windows = try larder("drift", "--baseline", "2024-05-01..2024-05-02", "--current", "2024-05-02..2024-05-03", in: directory)
            #expect(windows.status == 3, "\(windows)")
            #expect(windows.stdout.hasPrefix("2024-05-01T00:00:00Z → 2024-05-02T00:00:00Z → 2024-05-02T00:00:00Z → 2024-05-03T00:00:00Z: 1 of 2"), "\(windows)")
            // The online table holds each driver's day-2 row: as snapshot 2, unlike snapshot 1.
            let servingAsTrained = try larder("drift", "--baseline", "2", "--current", "online", in: directory)
            #expect(servingAsTrained.status == 0, "\(servingAsTrained)")
            let skew = try larder("drift", "--baseline", "1", "--current", "online", "--json", in: directory)
            #expect(skew.status == 3, "\(skew)")
            #expect(skew.stdout.contains(#""current" : "the online table""#) || skew.stdout.contains(#""current": "the online table""#), "\(skew)")
        }
    }

    /// A training set's statistics (`historical --stats`) against the online table: skew.
    @Test func trainingServingSkew() throws {
        try withTemporaryDirectory { directory in
            try Self.makeRepository(in: directory)
            for (day, next) in [("2024-05-01", "2024-05-02"), ("2024-05-02", "2024-05-03")] {
                let written = try larder("historical", "--from", day, "--to", next, "--features", "driver_stats",
                                         "--out", "train-\(day).csv", "--stats", "train-\(day).json", in: directory)
                #expect(written.status == 0, "\(written)")
            }
            let statistics = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/train-2024-05-01.json"))) as? [String: [String: [String: Any]]])
            #expect(statistics["driver_stats"]?["rate"]?["rows"] as? Int == 300)
            // Trained on day 2, served day 2: no skew. Trained on day 1: the rate has moved.
            let same = try larder("drift", "--baseline", "train-2024-05-02.json", "--current", "online", in: directory)
            #expect(same.status == 0, "\(same)")
            let skewed = try larder("drift", "--baseline", "train-2024-05-01.json", "--current", "online", in: directory)
            #expect(skewed.status == 3, "\(skewed)")
            let missing = try larder("drift", "--baseline", "nope.json", "--current", "online", in: directory)
            #expect(missing.status == 2 && missing.stderr.contains("nope.json: no such file"), "\(missing)")
        }
    }

    @Test func badRequests() throws {
        try withTemporaryDirectory { directory in
            try Self.makeRepository(in: directory)
            let unknown = try larder("drift", "--baseline", "1", "--current", "9", in: directory)
            #expect(unknown.status == 2 && unknown.stderr.contains("no snapshot 9"), "\(unknown)")
            let view = try larder("drift", "--baseline", "1", "--current", "2", "--view", "nope", in: directory)
            #expect(view.status == 2 && view.stderr.contains("view nope has no statistics"), "\(view)")
            let side = try larder("drift", "--baseline", "yesterday", "--current", "2", in: directory)
            #expect(side.status == 1, "\(side)")
            let threshold = try larder("drift", "--baseline", "1", "--current", "2", "--psi", "0", in: directory)
            #expect(threshold.status == 1 && threshold.stderr.contains("--psi is a score above 0"), "\(threshold)")
        }
    }
}
