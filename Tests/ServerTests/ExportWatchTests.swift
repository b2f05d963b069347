import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Larder
import LarderServer
import Synchronization
import TestSupport
import Testing

/// `serve --watch`: a server over an exported snapshot switches to a newer export moved into
/// place, between requests, while clients keep reading — none fails, none sees two exports
/// mixed.
@Suite struct ExportWatchTests {
    /// Two views fed by one push source, so one request reads both; every row of version `n`
    /// holds `n` in both, and a request mixing two exports would show two numbers.
    static func makeBuildStore(_ path: String) throws -> FeatureStore {
        let store = try FeatureStore.open(path)
        try store.apply(Definitions(
            entities: [Entity("driver", joinKey: "driver_id")], sources: [Source.push("pushed")],
            views: [FeatureView("stats", entityNames: ["driver"], sourceName: "pushed", features: [Field("version", .int64)]),
                    FeatureView("more", entityNames: ["driver"], sourceName: "pushed", features: [Field("version_too", .int64)])]))
        return store
    }

    static func publish(version: Int, from store: FeatureStore, into directory: String) throws {
        let rows: [[String: FeatureValue]] = (1...50).map {
            ["driver_id": .int64(Int64($0)), "event_timestamp": .timestamp(Timestamp(seconds: 1_714_521_600 + Int64(version))),
             "version": .int64(Int64(version)), "version_too": .int64(Int64(version))]
        }
        try store.push(rows, to: "stats")
        try store.push(rows, to: "more")
        try store.environment.copy(to: "\(directory)/exports/v\(version)")
        // The swap a deploy script makes: a new symlink renamed over the old one, atomically.
        try FileManager.default.createSymbolicLink(atPath: "\(directory)/current.new", withDestinationPath: "exports/v\(version)")
        #expect(rename("\(directory)/current.new", "\(directory)/current") == 0)
    }

    /// What the readers saw.
    struct Tally {
        var requests = 0
        var failures: [String] = []
        var newest = 0
    }

    /// Shared by the readers and the test.
    final class Readers: Sendable {
        let tally = Mutex(Tally())
        let stop = Atomic(false)
    }

    @Test func switchesToANewerExportUnderLoadWithoutAFailedRequest() async throws {
        try await withTemporaryDirectory { directory in
            let build = try Self.makeBuildStore(directory + "/build")
            try Self.publish(version: 1, from: build, into: directory)
            let server = try FeatureServer(watching: directory + "/current", every: .milliseconds(20), configuration: .init(port: 0, accessLog: false))
            #expect(server.configuration.readOnly)
            let shared = Readers()
            try await server.withRunning { port in
                let url = URL(string: "http://127.0.0.1:\(port)/get-online-features")!
                try await withThrowingTaskGroup(of: Void.self) { readers in
                    for reader in 0..<4 {
                        readers.addTask {
                            var last = 0
                            while !shared.stop.load(ordering: .relaxed) {
                                let seen = await Self.read(url, driver: 1 + reader * 7)
                                shared.tally.withLock { tally in
                                    tally.requests += 1
                                    switch seen {
                                    case .success(let version):
                                        if version < last { tally.failures.append("reader \(reader) went back from \(last) to \(version)") }
                                        last = version
                                        tally.newest = max(tally.newest, version)
                                    case .failure(let error):
                                        tally.failures.append("reader \(reader): \(error)")
                                    }
                                }
                            }
                        }
                    }
                    for version in 2...4 {
                        try Self.publish(version: version, from: build, into: directory)
                        try await Self.waitUntil { shared.tally.withLock { $0.newest } == version }
                        // The previous export's directory can go once nothing new reads it.
                        try FileManager.default.removeItem(atPath: "\(directory)/exports/v\(version - 1)")
                    }
                    // A broken export moved into place is refused; the good one is served on.
                    try FileManager.default.createDirectory(atPath: directory + "/exports/broken", withIntermediateDirectories: true)
                    try Data("not an LMDB file".utf8).write(to: URL(fileURLWithPath: directory + "/exports/broken/data.mdb"))
                    try FileManager.default.createSymbolicLink(atPath: directory + "/current.new", withDestinationPath: "exports/broken")
                    #expect(rename(directory + "/current.new", directory + "/current") == 0)
                    let before = shared.tally.withLock { $0.requests }
                    try await Self.waitUntil { shared.tally.withLock { $0.requests } > before + 200 }
                    shared.stop.store(true, ordering: .relaxed)
                    try await readers.waitForAll()
                }
                let (_, metrics) = try await Self.get(URL(string: "http://127.0.0.1:\(port)/metrics")!)
                #expect(metrics.contains("larder_store_switches_total 3"))
            }
            let seen = shared.tally.withLock { $0 }
            #expect(seen.failures == [])
            #expect(seen.newest == 4)
            #expect(seen.requests > 200)
        }
    }

    /// The version a read saw for `driver` in both views, or what went wrong.
    static func read(_ url: URL, driver: Int) async -> Result<Int, ReadFailure> {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = Data(#"{"features": ["stats:version", "more:version_too"], "entities": {"driver_id": [\#(driver)]}}"#.utf8)
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            let text = String(decoding: data, as: UTF8.self)
            guard status == 200, let body = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let results = body["results"] as? [[String: Any]], results.count == 3,
                  let first = (results[1]["values"] as? [Int])?.first, let second = (results[2]["values"] as? [Int])?.first
            else { return .failure(ReadFailure(description: "\(status) \(text)")) }
            guard first == second else { return .failure(ReadFailure(description: "one request saw versions \(first) and \(second)")) }
            return .success(first)
        } catch {
            return .failure(ReadFailure(description: "\(error)"))
        }
    }

    struct ReadFailure: Error, CustomStringConvertible {
        let description: String
    }

    static func get(_ url: URL) async throws -> (Int, String) {
        let (data, response) = try await URLSession.shared.data(from: url)
        return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
    }

    /// Polls `condition` for up to 20 seconds.
    static func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while !condition() {
            guard ContinuousClock.now < deadline else { Issue.record("timed out waiting"); return }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
