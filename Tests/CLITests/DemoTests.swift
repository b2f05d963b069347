import Foundation
import Testing
import TestSupport

@Suite struct DemoTests {
    @Test func demoRunsEveryStep() throws {
        try withTemporaryDirectory { path in
            let directory = path + "/demo"
            let result = try larder("demo", "--directory", directory, "--drivers", "50", "--days", "2", "--entity-rows", "200",
                                    "--lookups", "100", in: path)
            #expect(result.status == 0, "\(result)")
            for step in ["[1/5]", "[2/5]", "[3/5]", "[4/5]", "[5/5]", "+ view driver_hourly_stats", "Snapshot 1:",
                         "training.csv: 200 rows", "outside_max_age", "not_found", "The store is at ", "/demo/.larder\n"] {
                #expect(result.stdout.contains(step), "\(step)")
            }
            // The store it leaves behind works with the other commands.
            let snapshots = try larder("snapshots", "--json", in: directory)
            #expect((try snapshots.json() as? [Any])?.count == 1)

            let occupied = try larder("demo", "--directory", directory, in: path)
            #expect(occupied.status == 2)
            #expect(occupied.stderr.contains("not empty"))
        }
    }
}
