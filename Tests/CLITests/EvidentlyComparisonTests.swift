import Foundation
import Testing
import TestSupport

/// `larder drift`'s scores against Evidently's on the same rows, through the comparison script
/// (Benchmarks/evidently-comparison/compare.py): nine features, each one kind of change, 20,000
/// rows a side. Where both tools bin alike they agree; where the binning differs (PSI and
/// Jensen-Shannon of numbers) Larder agrees with its own method computed on every value, within
/// what its sketches cost; and the verdicts are Evidently's.
@Suite struct EvidentlyComparisonTests {
    @Test func scoresAgreeWithEvidentlysWhereTheMethodsAgree() throws {
        let python = try Evidently.python()
        try withTemporaryDirectory { directory in
            let output = try runProgram(python, [
                repositoryRoot + "/Benchmarks/evidently-comparison/compare.py", "--larder", try productURL(named: "larder").path,
                "--work", directory + "/work", "--rows", "20000", "--seed", "3", "--json", directory + "/comparison.json",
            ])
            let comparison = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/comparison.json"))) as? [String: Any])
            let features = try #require(comparison["features"] as? [[String: Any]])
            #expect(features.count == 9, "\(output)")
            for feature in features {
                let name = feature["feature"] as! String, type = feature["type"] as! String
                let larder = feature["larder"] as! [String: Any], exact = feature["exact"] as! [String: Any], evidently = feature["evidently"] as! [String: Any]
                func score(_ side: [String: Any], _ key: String) -> Double { side[key] as? Double ?? .nan }
                if type == "string" {
                    // Categories: both count every value (under 64 of them), the same shares, the same floor.
                    #expect(abs(score(larder, "psi") - score(evidently, "psi")) < 1e-9, "\(name): \(larder) \(evidently)")
                    #expect(abs(score(larder, "jensen_shannon") - score(evidently, "jensen_shannon")) < 1e-9, "\(name): \(larder) \(evidently)")
                } else {
                    // Normed Wasserstein: the same definition; the sketch's quantiles within 0.01 + 5%.
                    let theirs = score(evidently, "wasserstein")
                    #expect(abs(score(larder, "wasserstein") - theirs) <= 0.01 + 0.05 * theirs, "\(name): \(larder) \(evidently)")
                    // Decile-binned PSI and Jensen-Shannon: the sketch against the same method on every value.
                    #expect(abs(score(larder, "psi") - score(exact, "psi")) <= 0.015, "\(name): \(larder) \(exact)")
                    #expect(abs(score(larder, "jensen_shannon") - score(exact, "jensen_shannon")) <= 0.025, "\(name): \(larder) \(exact)")
                }
                // The verdict: Larder's (any score over 0.1) is that of Evidently's default test.
                let verdict = try #require(evidently["default"] as? [String: Any])
                #expect(larder["drifts"] as? Bool == verdict["drifts"] as? Bool, "\(name): \(larder) \(verdict)")
            }
            let drifting = features.filter { ($0["larder"] as! [String: Any])["drifts"] as? Bool == true }.map { $0["feature"] as! String }
            #expect(drifting == ["normal_shift", "normal_wider", "lognormal_shift", "counts", "segment"], "\(output)")
        }
    }
}
