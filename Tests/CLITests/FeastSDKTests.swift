import Foundation
import TestSupport
import Testing

/// Feast's own Python SDK (feast 0.67.0, in `.venv-feast`) as a client of `larder serve`: a Feast
/// repository whose online store is `remote`, pointing at the server, writes rows, reads them
/// back by references and through a feature service, gets its typed exceptions, and reads the
/// same values `larder get` prints (scripts/feast-client/check.py does the SDK's part).
@Suite struct FeastSDKTests {
    @Test func feastsSDKReadsAndWritesThroughTheServer() async throws {
        let python = try FeastSDK.python()
        try await withTemporaryDirectory { directory in
            _ = try larder("init", "repo", "--drivers", "50", "--days", "2", "--entity-rows", "10", in: directory)
            let repository = directory + "/repo"
            _ = try larder("apply", in: repository)
            _ = try larder("materialize", "2024-05-01", "2024-05-03", in: repository)
            let server = try ChildProcess(["serve", "--port", "0"], in: repository, product: "larder", errorFile: directory + "/serve.log")
            defer { server.signal(SIGTERM); _ = server.wait() }
            let line = try #require(server.readLine())
            let url = try #require(line.split(separator: " ").last.map(String.init))

            let feastRepository = directory + "/feast"
            try FileManager.default.createDirectory(atPath: feastRepository, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: repositoryRoot + "/scripts/feast-client/definitions.py", toPath: feastRepository + "/definitions.py")
            try """
                project: larder_remote
                provider: local
                registry: registry.db
                online_store:
                  type: remote
                  path: \(url)
                offline_store:
                  type: file
                entity_key_serialization_version: 3

                """.write(toFile: feastRepository + "/feature_store.yaml", atomically: true, encoding: .utf8)
            _ = try runProgram(try FeastSDK.feast(), ["apply"], in: feastRepository)
            let read = directory + "/sdk-read.json"
            let said = try runProgram(python, [repositoryRoot + "/scripts/feast-client/check.py", feastRepository, read])
            #expect(said.contains("Feast's SDK read and wrote through larder serve"))

            // What the SDK read is what `larder get` prints, value for value.
            let sdk = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: read))) as? [String: [Any]])
            let features = ["conv_rate", "acc_rate", "avg_daily_trips"]
            let get = try larder("get", "--features", features.map { "driver_hourly_stats:\($0)" }.joined(separator: ","),
                                 "--entity", "driver_id=1001,1002,1003,99999", "--json", in: repository)
            let printed = try #require(try JSONSerialization.jsonObject(with: Data(get.stdout.utf8)) as? [String: Any])
            let rows = try #require(printed["rows"] as? [[String: Any]])
            #expect(rows.count == 4)
            for (index, row) in rows.enumerated() {
                let values = try #require(row["values"] as? [String: [String: Any]])
                for feature in features {
                    let larderValue = values[feature]?["value"], sdkValue = sdk[feature]?[index]
                    #expect(Self.same(larderValue, sdkValue), "row \(index) \(feature): larder get \(String(describing: larderValue)), Feast's SDK \(String(describing: sdkValue))")
                }
            }
        }
    }

    /// Equal numbers, or both null.
    static func same(_ a: Any?, _ b: Any?) -> Bool {
        switch (a, b) {
        case (is NSNull, is NSNull): true
        case (let a as NSNumber, let b as NSNumber): a.doubleValue == b.doubleValue
        default: false
        }
    }
}
