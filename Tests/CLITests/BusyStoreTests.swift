import Foundation
import Testing
import TestSupport

/// A store held by a live run makes writers exit 75 ("busy": retry), not 2 ("fix the data");
/// `larder recover` rolls back a dead run and never a live one.
@Suite struct BusyStoreTests {
    @Test func writersExitBusyWhileARunIsLiveAndRecoverCleansUpAfterADeadOne() throws {
        try withTemporaryDirectory { path in
            let repo = try makeRepository(in: path)
            let child = try ChildProcess(["materialize-pausing", repo + "/.larder", "60", "100"], in: repo)
            let paused = child.readLine() ?? ""
            #expect(paused.hasPrefix("paused"), "\(paused)")
            let pid = paused.dropFirst("paused ".count)
            let busy = "larder: a materialization or push (snapshot 2, process \(pid)) is in progress; try again when it has finished\n"
            for arguments in [["materialize", "2024-05-01", "2024-05-03"], ["recover"], ["apply"], ["expire", "--older-than", "1d"]] {
                let result = try larder(arguments, in: repo)
                #expect(result.status == 75, "\(arguments): \(result)")
                #expect(result.stderr == busy, "\(arguments): \(result)")
            }
            let waited = try larder("materialize", "2024-05-01", "2024-05-03", "--wait", "0.2", in: repo)
            #expect(waited.status == 75, "\(waited)")

            child.kill()
            let recovered = try larder("recover", "--json", in: repo)
            #expect(recovered.status == 0, "\(recovered)")
            let report = try #require(try recovered.json() as? [String: Any])
            #expect(report["recovered"] as? Bool == true)
            #expect(report["snapshot"] as? Int == 2)
            #expect(report["views"] as? [String] == ["customer_profile", "driver_hourly_stats"])
            let again = try larder("recover", in: repo)
            #expect(again.stdout == "Nothing to recover: no run was left midway in .larder.\n", "\(again)")
            let loaded = try larder("materialize", "2024-05-01", "2024-05-03", in: repo)
            #expect(loaded.status == 0, "\(loaded)")
        }
    }
}
