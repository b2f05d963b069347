import Foundation
import Testing
import TestSupport

/// Docs/Monitoring.md's retraining script, run as it is written there: the second day moves a
/// feature, so the first run retrains; the second finds nothing new and keeps the model.
@Suite struct RetrainOnDriftTests {
    @Test func theDocumentedScriptRetrainsOnDrift() throws {
        let page = try String(contentsOfFile: repositoryRoot + "/Docs/Monitoring.md", encoding: .utf8)
        let script = try #require(page.components(separatedBy: "```sh\n").first { $0.contains("retrain-on-drift.sh") }?
            .components(separatedBy: "```").first)
        try withTemporaryDirectory { directory in
            try DriftCommandTests.makeRepository(in: directory, materializingDays: 1)
            try FileManager.default.createDirectory(atPath: directory + "/model", withIntermediateDirectories: true)
            let trained = try larder("historical", "--from", "2024-05-01", "--to", "2024-05-02", "--features", "driver_stats",
                                     "--out", "model/train.csv", "--stats", "model/training-stats.json", in: directory)
            #expect(trained.status == 0, "\(trained)")
            try script.write(toFile: directory + "/retrain-on-drift.sh", atomically: true, encoding: .utf8)
            let bin = try productURL(named: "larder").deletingLastPathComponent().path
            func run() throws -> String {
                try runProgram("/bin/sh", ["-c", "cd '\(directory)' && PATH='\(bin)':\"$PATH\" sh retrain-on-drift.sh 2024-05-03 2024-05-01"])
            }
            let first = try run()
            #expect(first.contains("drift: retraining"), "\(first)")
            let statistics = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/model/training-stats.json"))) as? [String: [String: [String: Any]]])
            #expect(statistics["driver_stats"]?["rate"]?["rows"] as? Int == 600)  // retrained on both days
            let second = try run()
            #expect(second.contains("no drift: the model stays"), "\(second)")
        }
    }
}
