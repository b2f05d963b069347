import Foundation
import Testing
import TestSupport

/// The `larder` executable end to end: init, apply, materialize, lookups, training sets,
/// snapshots, retention and export, in a fresh directory each.
@Suite struct WorkflowTests {
    /// A relative `--store` and a definitions file in another directory: the command reads
    /// sources relative to the definitions file and still finds the store it was given.
    @Test func aRelativeStoreWorksWithDefinitionsElsewhere() throws {
        try withTemporaryDirectory { path in
            let repo = try makeRepository(in: path, materialize: false)
            let applied = try larder("apply", "--file", "repo/features.yaml", "--store", "stores/one", in: path)
            #expect(applied.status == 0, "\(applied)")
            let loaded = try larder("materialize", "2024-05-01", "2024-05-03", "--file", "repo/features.yaml", "--store", "stores/one", in: path)
            #expect(loaded.status == 0, "\(loaded)")
            #expect(loaded.stdout.contains("written"), "\(loaded)")
            #expect(FileManager.default.fileExists(atPath: path + "/stores/one/data.mdb"))
            #expect(!FileManager.default.fileExists(atPath: repo + "/stores"))
        }
    }

    @Test func initWritesARepositoryReadyForApply() throws {
        try withTemporaryDirectory { path in
            let result = try larder("init", "repo", "--drivers", "20", "--customers", "10", "--days", "2", "--entity-rows", "50", in: path)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("data/driver_stats.csv"))
            let repo = path + "/repo"
            for file in ["features.yaml", "data/driver_stats.csv", "data/customer_profile.jsonl", "data/entity_rows.csv"] {
                #expect(FileManager.default.fileExists(atPath: repo + "/" + file), "\(file)")
            }
            // 20 drivers × 48 hours, less the second day of the two drivers ending in 7; a header.
            #expect(try (repo + "/data/driver_stats.csv").read().split(separator: "\n").count == 1 + 20 * 48 - 2 * 24)
            #expect(try (repo + "/data/entity_rows.csv").read().split(separator: "\n").first == "driver_id,customer_id,event_timestamp,trip_completed")

            let plan = try larder("plan", in: repo)
            #expect(plan.status == 0, "\(plan)")
            #expect(plan.stdout.contains("+ view driver_hourly_stats"))
            #expect(!FileManager.default.fileExists(atPath: repo + "/.larder"), "plan must not create the store")

            let again = try larder("init", "repo", in: path)
            #expect(again.status == 2)
            #expect(again.stderr.contains("already exists"))
        }
    }

    @Test func sampleDataIsTheSameOnEveryRun() throws {
        try withTemporaryDirectory { path in
            for name in ["a", "b"] {
                let result = try larder("init", name, "--drivers", "30", "--days", "1", in: path)
                #expect(result.status == 0, "\(result)")
            }
            for file in ["features.yaml", "data/driver_stats.csv", "data/customer_profile.jsonl", "data/entity_rows.csv"] {
                #expect(try (path + "/a/" + file).read() == (path + "/b/" + file).read(), "\(file)")
            }
        }
    }

    @Test func applyThenListAndDescribe() throws {
        try withTemporaryDirectory { path in
            let repo = try makeRepository(in: path, materialize: false)
            let again = try larder("apply", in: repo)
            #expect(again.status == 0)
            #expect(again.stdout.contains("no changes"))

            let entities = try larder("entities", in: repo)
            #expect(entities.stdout.contains("customer_id"))
            #expect(entities.stdout.contains("driver_id"))
            let view = try larder("views", "driver_hourly_stats", in: repo)
            #expect(view.status == 0, "\(view)")
            #expect(view.stdout.contains("ttl:"))
            #expect(view.stdout.contains("conv_rate"))
            let services = try larder("services", "--json", in: repo)
            let list = try #require(try services.json() as? [[String: Any]])
            #expect(list.first?["name"] as? String == "driver_activity")
            #expect((list.first?["features"] as? [Any])?.count == 5)

            let unknown = try larder("views", "nope", in: repo)
            #expect(unknown.status == 2)
            #expect(unknown.stderr.contains("no feature view 'nope'"))
        }
    }

    @Test func materializeThenLookUpOnline() throws {
        try withTemporaryDirectory { path in
            let repo = try makeRepository(in: path)
            let result = try larder(
                "get", "--service", "driver_activity", "--entity", "driver_id=1001,1003,1007,99999", "--entity", "customer_id=C1001",
                "--now", "2024-05-03", "--json", in: repo)
            #expect(result.status == 0, "\(result)")
            let json = try #require(try result.json() as? [String: Any])
            let rows = try #require(json["rows"] as? [[String: Any]])
            #expect(rows.count == 4)
            func status(_ row: Int, _ feature: String) -> String? {
                ((rows[row]["values"] as? [String: Any])?[feature] as? [String: Any])?["status"] as? String
            }
            #expect(status(0, "conv_rate") == "present")
            #expect(status(1, "acc_rate") == "null")  // the sample data leaves it empty in the last hour
            #expect(status(2, "conv_rate") == "outside_max_age")  // stopped reporting after day 1; ttl 1d
            #expect(status(3, "conv_rate") == "not_found")
            #expect(status(3, "segment") == "present")  // customer C1001 exists

            let table = try larder("get", "--features", "driver_hourly_stats:conv_rate", "--entity", "driver_id=1001", "--now", "2024-05-03", in: repo)
            #expect(table.status == 0, "\(table)")
            #expect(table.stdout.contains("present"))
            #expect(table.stdout.contains("2024-05-02T23:00:00Z"))
        }
    }

    /// `--memory` and `--temp-dir` bound the sort: a tiny budget spills and loads the same rows.
    @Test func materializeWithATinyMemoryBudgetLoadsTheSameRows() throws {
        try withTemporaryDirectory { path in
            let repo = try makeRepository(in: path, materialize: false)
            let spills = path + "/spills"
            try FileManager.default.createDirectory(atPath: spills, withIntermediateDirectories: true)
            let small = try larder("materialize", "2024-05-01", "2024-05-03", "--memory", "1", "--temp-dir", spills, "--json", in: repo)
            #expect(small.status == 0, "\(small)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: spills).isEmpty)  // spilled runs are removed
            let written = try #require(try small.json() as? [String: Any])["rows_written"] as? Int
            #expect((written ?? 0) > 0)
            let refused = try larder("materialize", "2024-05-01", "2024-05-03", "--memory", "0", in: repo)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("--memory is 1 to 1048576 MiB"), "\(refused)")
        }
    }

    @Test func lookupsAndTrainingSetsPinnedToASnapshot() throws {
        try withTemporaryDirectory { path in
            let repo = try makeRepository(in: path, materialize: false)
            #expect(try larder("materialize", "2024-05-01", "2024-05-02", in: repo).status == 0)
            #expect(try larder("materialize", "2024-05-02", "2024-05-03", in: repo).status == 0)
            let pinned = try larder("get", "--features", "driver_hourly_stats:conv_rate", "--entity", "driver_id=1001",
                                    "--snapshot", "1", "--now", "2024-05-02", in: repo)
            #expect(pinned.status == 0, "\(pinned)")
            #expect(pinned.stdout.contains("present"), "\(pinned)")
            #expect(pinned.stdout.contains("2024-05-01T23:00:00Z"), "\(pinned)")

            let training = try larder("historical", "--entities", "data/entity_rows.csv", "--features", "driver_hourly_stats:conv_rate",
                                      "--out", "pinned.csv", "--as-of-snapshot", "1", in: repo)
            #expect(training.status == 0, "\(training)")
            let rows = try (repo + "/pinned.csv").read().split(separator: "\n").dropFirst()
            let day1 = rows.filter { $0.contains(",2024-05-01T") && !$0.hasPrefix("1007,") && !$0.hasPrefix("1017,") }
            #expect(!day1.isEmpty)
            #expect(day1.allSatisfy { !$0.hasSuffix(",") }, "rows of day 1 have values as of snapshot 1")
        }
    }

    @Test func asOfTakesEveryTimeFormat() throws {
        try withTemporaryDirectory { path in
            let repo = try makeRepository(in: path)
            var outputs: [String] = []
            for time in ["2024-05-01T12:30:00Z", "2024-05-01T14:30:00+02:00", "2024-05-01 12:30", "1714566600"] {
                let result = try larder("get", "--features", "driver_hourly_stats", "--entity", "driver_id=1002", "--as-of", time, in: repo)
                #expect(result.status == 0, "\(result)")
                outputs.append(result.stdout)
            }
            #expect(Set(outputs).count == 1)
            #expect(outputs[0].contains("2024-05-01T12:00:00Z"))
        }
    }

    @Test func historicalWritesATrainingSet() throws {
        try withTemporaryDirectory { path in
            let repo = try makeRepository(in: path)
            let csv = try larder("historical", "--entities", "data/entity_rows.csv", "--service", "driver_activity", "--out", "training.csv", in: repo)
            #expect(csv.status == 0, "\(csv)")
            #expect(csv.stdout.contains("Wrote 50 rows to training.csv"))
            let lines = try (repo + "/training.csv").read().split(separator: "\n")
            #expect(lines.count == 51)
            #expect(lines.first == "driver_id,customer_id,event_timestamp,trip_completed,conv_rate,acc_rate,avg_daily_trips,current_balance,segment")

            let jsonl = try larder("historical", "--entities", "data/entity_rows.csv", "--features", "driver_hourly_stats:conv_rate",
                                   "--out", "training.jsonl", "--full-feature-names", "--as-of-snapshot", "1", "--json", in: repo)
            #expect(jsonl.status == 0, "\(jsonl)")
            let summary = try #require(try jsonl.json() as? [String: Any])
            #expect(summary["rows"] as? Int == 50)
            #expect(summary["format"] as? String == "jsonl")
            let first = try #require(try (repo + "/training.jsonl").read().split(separator: "\n").first)
            #expect(first.contains("\"driver_hourly_stats__conv_rate\""))
        }
    }

    @Test func snapshotsIncrementalDiffExpireAndExport() throws {
        try withTemporaryDirectory { path in
            let repo = try makeRepository(in: path, materialize: false)
            #expect(try larder("materialize", "2024-05-01", "2024-05-02", in: repo).status == 0)
            let incremental = try larder("materialize-incremental", "2024-05-03", "--view", "driver_hourly_stats", in: repo)
            #expect(incremental.status == 0, "\(incremental)")
            #expect(incremental.stdout.contains("Snapshot 2"))

            let list = try larder("snapshots", "--json", in: repo)
            let snapshots = try #require(try list.json() as? [[String: Any]])
            #expect(snapshots.map { $0["id"] as? Int } == [1, 2])
            let show = try larder("snapshots", "show", "2", in: repo)
            #expect(show.status == 0, "\(show)")
            #expect(show.stdout.contains("driver_hourly_stats"))
            #expect(show.stdout.contains("data/driver_stats.csv"))
            let diff = try larder("snapshots", "diff", "1", "2", "--json", in: repo)
            let views = try #require((try diff.json() as? [String: Any])?["views"] as? [[String: Any]])
            // Day 2: 18 drivers report (the two ending in 7 have stopped) for 24 hours.
            #expect(views.first?["rows_added"] as? Int == 18 * 24)
            #expect(try larder("snapshots", "show", "9", in: repo).status == 2)

            let expire = try larder("expire", "--older-than", "12h", "--now", "2024-05-03", "--json", in: repo)
            #expect(expire.status == 0, "\(expire)")
            #expect(((try expire.json() as? [String: Any])?["rows_deleted"] as? Int ?? 0) > 0)

            let export = try larder("export", path + "/copy", in: repo)
            #expect(export.status == 0, "\(export)")
            #expect(export.stdout.contains("opens read-only"))
            // The copy serves lookups; shared options may come before the subcommand.
            let served = try larder("--store", path + "/copy", "get", "--features", "driver_hourly_stats:conv_rate",
                                    "--entity", "driver_id=1001", "--now", "2024-05-03", in: path)
            #expect(served.status == 0, "\(served)")
            #expect(served.stdout.contains("present"))
        }
    }

    @Test func deleteRemovesObjects() throws {
        try withTemporaryDirectory { path in
            let repo = try makeRepository(in: path, materialize: false)
            let blocked = try larder("delete", "view", "customer_profile", in: repo)
            #expect(blocked.status == 2)
            #expect(blocked.stderr.contains("driver_activity"))
            let deleted = try larder("delete", "service", "driver_activity", in: repo)
            #expect(deleted.status == 0, "\(deleted)")
            #expect(deleted.stdout.contains("- service driver_activity"))
            #expect(try larder("services", in: repo).stdout.contains("driver_activity") == false)
        }
    }
}
