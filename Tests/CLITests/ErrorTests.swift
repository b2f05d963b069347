import Foundation
import Testing
import TestSupport

/// Error paths: exit 1 for usage errors, 2 for data errors, one line on standard error that
/// names what went wrong and where.
@Suite struct ErrorTests {
    @Test func badDefinitionsFile() throws {
        try withTemporaryDirectory { path in
            try "views:\n  - name: v\n    entities: []\n    source: s\n    ttl: 30x\n    features: []\n"
                .write(toFile: path + "/features.yaml", atomically: true, encoding: .utf8)
            for command in ["plan", "apply"] {
                let result = try larder(command, in: path)
                #expect(result.status == 2, "\(result)")
                #expect(result.stderrLines.count == 1, "\(result)")
                #expect(result.stderr.hasPrefix("larder: features.yaml:5:10: views[0].ttl: invalid duration '30x'"), "\(result)")
            }
            let missing = try larder("apply", "--file", "nope.yaml", in: path)
            #expect(missing.status == 2)
            #expect(missing.stderr == "larder: nope.yaml: no such file\n")
        }
    }

    @Test func badCSVRowStopsMaterializationAndCommitsNothing() throws {
        try withTemporaryDirectory { path in
            let repo = try makeRepository(in: path, materialize: false)
            let file = repo + "/data/driver_stats.csv"
            var lines = try file.read().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var fields = lines[4].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[3] = "abc"  // conv_rate
            lines[4] = fields.joined(separator: ",")
            try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)

            let result = try larder("materialize", "2024-05-01", "2024-05-03", in: repo)
            #expect(result.status == 2, "\(result)")
            #expect(result.stderrLines.count == 1, "\(result)")
            #expect(result.stderr.contains("data/driver_stats.csv:5"))
            #expect(result.stderr.contains("conv_rate"))
            #expect(result.stderr.contains("'abc'"))
            let snapshots = try larder("snapshots", "--json", in: repo)
            #expect(try snapshots.json() as? [Any] != nil)
            #expect((try snapshots.json() as? [Any])?.isEmpty == true)

            let skipped = try larder("materialize", "2024-05-01", "2024-05-03", "--skip-invalid", "--rejects", "rejects.csv", in: repo)
            #expect(skipped.status == 0, "\(skipped)")
            #expect(skipped.stdout.contains("1 rejected"))
            let rejects = try (repo + "/rejects.csv").read()
            #expect(rejects.contains("data/driver_stats.csv,5,conv_rate"))
        }
    }

    @Test func unknownFeature() throws {
        try withTemporaryDirectory { path in
            let repo = try makeRepository(in: path)
            let result = try larder("get", "--features", "driver_hourly_stats:nope", "--entity", "driver_id=1001", in: repo)
            #expect(result.status == 2)
            #expect(result.stderrLines.count == 1, "\(result)")
            #expect(result.stderr.contains("'driver_hourly_stats:nope'"))
            let historical = try larder("historical", "--entities", "data/entity_rows.csv", "--features", "nope:x", "--out", "t.csv", in: repo)
            #expect(historical.status == 2)
            #expect(historical.stderr.contains("no view 'nope'"))
            #expect(!FileManager.default.fileExists(atPath: repo + "/t.csv"))
            let key = try larder("get", "--features", "driver_hourly_stats", "--entity", "driver_id=abc", in: repo)
            #expect(key.status == 2)
            #expect(key.stderr.contains("'abc' is not an integer"))
        }
    }

    @Test func missingStore() throws {
        try withTemporaryDirectory { path in
            let commands: [[String]] = [
                ["views"], ["snapshots"], ["materialize", "2024-05-01", "2024-05-02"],
                ["get", "--features", "v:f", "--entity", "id=1"], ["export", path + "/copy"],
                ["--store", path + "/nowhere", "entities"],
            ]
            for command in commands {
                let result = try larder(command, in: path)
                #expect(result.status == 2, "\(command): \(result)")
                #expect(result.stderrLines.count == 1, "\(command): \(result)")
                #expect(result.stderr.hasPrefix("larder: no store at "), "\(command): \(result)")
            }
            #expect(!FileManager.default.fileExists(atPath: path + "/.larder"), "reading must not create a store")
        }
    }

    @Test func usageErrorsExitOne() throws {
        try withTemporaryDirectory { path in
            let cases: [([String], String)] = [
                (["materialize", "2024-05-01"], "missing expected argument"),
                (["materialize", "yesterday", "2024-05-02"], "invalid time 'yesterday'"),
                (["materialize", "2024-05-02", "2024-05-01"], "must be before END"),
                (["materialize", "2024-05-01", "2024-05-02", "--skip-invalid"], "--rejects"),
                (["get", "--entity", "driver_id=1"], "--features or --service"),
                (["get", "--service", "s", "--entity", "a=1", "--as-of", "2024-05-01", "--snapshot", "1"], "cannot be combined"),
                (["expire", "--older-than", "3 weeks"], "invalid duration"),
                (["historical", "--service", "s"], "missing expected argument"),
                (["frobnicate"], "unexpected argument"),
            ]
            for (arguments, message) in cases {
                let result = try larder(arguments, in: path)
                #expect(result.status == 1, "\(arguments): \(result)")
                #expect(result.stderrLines.count == 1, "\(arguments): \(result)")
                #expect(result.stderr.contains(message), "\(arguments): \(result)")
                #expect(result.stdout.isEmpty, "\(arguments): \(result)")
            }
            let help = try larder("--help", in: path)
            #expect(help.status == 0)
            #expect(help.stdout.contains("materialize-incremental"))
        }
    }

    @Test func aSnapshotThatDoesNotExistIsAnError() throws {
        try withTemporaryDirectory { path in
            let repo = try makeRepository(in: path)
            let message = "larder: no snapshot 999: snapshots run up to 1 (`larder snapshots` lists them; ids of failed runs are never committed)\n"
            let get = try larder("get", "--service", "driver_activity", "--entity", "driver_id=1001", "--entity", "customer_id=C1001",
                                 "--snapshot", "999", in: repo)
            #expect(get.status == 2, "\(get)")
            #expect(get.stderr == message)
            let join = try larder("historical", "--entities", "data/entity_rows.csv", "--service", "driver_activity",
                                  "--as-of-snapshot", "999", "--out", "t.csv", in: repo)
            #expect(join.status == 2, "\(join)")
            #expect(join.stderr == message)
            #expect(!FileManager.default.fileExists(atPath: repo + "/t.csv"))
            #expect(!FileManager.default.fileExists(atPath: repo + "/t.csv.partial"))
        }
    }

    @Test func extremeNumbersAreErrorsOrAnswersNeverTraps() throws {
        try withTemporaryDirectory { path in
            let repo = try makeRepository(in: path)
            let get = ["get", "--service", "driver_activity", "--entity", "driver_id=1001", "--entity", "customer_id=C1001"]
            let cases: [(arguments: [String], status: Int32, message: String)] = [
                (get + ["--now=-9223372036854"], 0, ""),
                (["expire", "--older-than", "1d", "--now=-9223372036854"], 0, ""),
                (get + ["--now", "10000000000000"], 1, "time '10000000000000' is out of range: epoch seconds go from -9223372036854 to 9223372036854"),
                (get + ["--as-of=-10000000000000"], 1, "is out of range"),
                (["materialize", "0", "10000000000000"], 1, "is out of range"),
                (["expire", "--older-than", "200000000d"], 1, "duration '200000000d' is too large: at most 106751991d"),
                (get + ["--now", "now+200000000d"], 1, "is too large"),
                (get + ["--now", "now+106751991d"], 1, "time 'now+106751991d' is out of range"),
                (["init", "big", "--drivers", "9223372036854775807"], 1, "--drivers and --customers are at most 10,000,000"),
                (["init", "big", "--days", "100000000000"], 1, "--days is at most 3,660"),
                (["materialize-incremental", "2024-04-01"], 0, ""),
            ]
            for (arguments, status, message) in cases {
                let result = try larder(arguments, in: repo)
                #expect(result.status == status, "\(arguments): \(result)")
                #expect(message.isEmpty || result.stderr.contains(message), "\(arguments): \(result)")
            }
            // A ttl past the range is refused when the definitions are read.
            let definitions = repo + "/features.yaml"
            try (try definitions.read()).replacingOccurrences(of: "ttl: 1d", with: "ttl: 106751992d")
                .write(toFile: definitions, atomically: true, encoding: .utf8)
            let apply = try larder("apply", in: repo)
            #expect(apply.status == 2, "\(apply)")
            #expect(apply.stderr.contains("ttl: invalid duration '106751992d': too large"), "\(apply)")
        }
    }

    @Test func verifyExitsTwoAndNamesEachProblem() throws {
        try withTemporaryDirectory { path in
            let repo = try makeRepository(in: path)
            let clean = try larder("verify", in: repo)
            #expect(clean.status == 0, "\(clean)")
            #expect(clean.stdout.hasPrefix("Checked "), "\(clean)")
            #expect(clean.stdout.hasSuffix("no problems found.\n"), "\(clean)")

            let child = try ChildProcess(["put-meta", repo + "/.larder", "registry_version", "000001"])
            #expect(child.readLine() == "put")
            child.wait()
            let damaged = try larder("verify", in: repo)
            #expect(damaged.status == 2, "\(damaged)")
            // The store's path as the library holds it: absolute, whatever the working directory.
            #expect(damaged.stdout.hasPrefix("registry: store metadata damaged in /"), "\(damaged)")
            #expect(damaged.stdout.contains("/repo/.larder: meta 'registry_version' has 3 bytes, not 8"), "\(damaged)")
            #expect(damaged.stderr == "larder: verify found 2 problems in .larder\n", "\(damaged)")
            // Every other command refuses the store rather than reading it as empty.
            let get = try larder("get", "--service", "driver_activity", "--entity", "driver_id=1001", "--entity", "customer_id=C1001", in: repo)
            #expect(get.status == 2)
            #expect(get.stderr.contains("store metadata damaged"), "\(get)")
        }
    }

    @Test func pathsOfTheWrongKindAreNamedPlainly() throws {
        try withTemporaryDirectory { path in
            let repo = try makeRepository(in: path)
            try Data([0x76, 0x69, 0x65, 0x77, 0x73, 0x3A, 0xFF]).write(to: URL(fileURLWithPath: repo + "/latin1.yaml"))
            let cases: [(arguments: [String], message: String)] = [
                (["plan", "-f", "data"], "larder: data: is a directory; give the definitions file in it (features.yaml)\n"),
                (["plan", "-f", "latin1.yaml"], "larder: latin1.yaml: not UTF-8 text: the byte at offset 6 (0xff) is not valid UTF-8\n"),
                (["export", "features.yaml"], "larder: features.yaml is a file; export writes into a missing or empty directory\n"),
            ]
            for (arguments, message) in cases {
                let result = try larder(arguments, in: repo)
                #expect(result.status == 2, "\(arguments): \(result)")
                #expect(result.stderr == message, "\(arguments): \(result)")
            }
        }
    }
}
