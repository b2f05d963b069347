// The point-in-time join: 1M entity rows against two views holding 10M history rows in all.
// See Docs/Performance.md.
import Benchmark
import BenchmarkSupport
import Foundation
import ArrowKit
@_spi(Benchmarks) import Larder
import ParquetKit

/// Two views: `driver_stats` (500k drivers x 10 hourly rows) and `customer_stats` (100k
/// customers x 50 rows), 5M history rows each, and 1M entity rows with random keys and times.
final class JoinFixture: @unchecked Sendable {
    static let shared = JoinFixture()

    let directory = GeneratedStore(entities: 0).directory.replacingOccurrences(of: "entities-0", with: "join")
    var storePath: String { directory + "/larder" }
    var entitiesPath: String { directory + "/entities.csv" }
    /// The same entity rows as Parquet (typed: int64 keys and label, a UTC timestamp), as a
    /// pipeline that writes Parquet training sets would have them.
    var entitiesParquetPath: String { directory + "/entities.parquet" }
    let start = Timestamp(seconds: 1_714_521_600)  // 2024-05-01T00:00:00Z

    private init() {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try prepare()
        } catch {
            fatalError("cannot prepare the join benchmark: \(error)")
        }
    }

    func prepare() throws {
        if !FileManager.default.fileExists(atPath: entitiesParquetPath) { try writeEntitiesParquet() }
        if FileManager.default.fileExists(atPath: storePath + "/data.mdb"), FileManager.default.fileExists(atPath: entitiesPath) { return }
        try writeCSV(directory + "/drivers.csv", key: "driver_id", entities: 500_000, perEntity: 10, hours: 1)
        try writeCSV(directory + "/customers.csv", key: "customer_id", entities: 100_000, perEntity: 50, hours: 6)
        let driver = Entity("driver", joinKey: "driver_id")
        let customer = Entity("customer", joinKey: "customer_id")
        let drivers = Source.csv("drivers", path: directory + "/drivers.csv")
        let customers = Source.csv("customers", path: directory + "/customers.csv")
        let features = { (prefix: String) in (0..<3).map { Field("\(prefix)\($0)", .float64) } }
        let store = try FeatureStore.open(storePath)
        try store.apply(Definitions(
            entities: [driver, customer], sources: [drivers, customers],
            views: [
                FeatureView("driver_stats", entityNames: ["driver"], sourceName: "drivers", features: features("d"), ttl: .seconds(86_400)),
                FeatureView("customer_stats", entityNames: ["customer"], sourceName: "customers", features: features("c")),
            ]))
        try store.materialize(from: Timestamp(microseconds: .min), to: Timestamp(microseconds: .max))
        var generator = SplitMix64(seed: 11)
        var text = "driver_id,customer_id,event_timestamp,label\n"
        for _ in 0..<1_000_000 {
            let hour = Int64(generator.next() % 300)
            text += "\(generator.next() % 500_000),\(generator.next() % 100_000),\(start + .seconds(hour * 3600 + 1800)),\(generator.next() % 2)\n"
        }
        try text.write(toFile: entitiesPath, atomically: true, encoding: .utf8)
    }

    /// The rows of entities.csv (the same generator and seed), as Parquet row groups.
    private func writeEntitiesParquet() throws {
        let fields = [ArrowField("driver_id", .int64), ArrowField("customer_id", .int64),
                      ArrowField("event_timestamp", .timestampMicrosecondsUTC), ArrowField("label", .int64)]
        var bytes: [UInt8] = []
        let writer = try ParquetWriter(fields: fields) { bytes.append(contentsOf: $0) }
        var columns = fields.map { ArrowColumn($0.type) }
        var generator = SplitMix64(seed: 11)
        for row in 0..<1_000_000 {
            let hour = Int64(generator.next() % 300)
            columns[0].append(Int64(generator.next() % 500_000))
            columns[1].append(Int64(generator.next() % 100_000))
            columns[2].append((start + .seconds(hour * 3600 + 1800)).microseconds)
            columns[3].append(Int64(generator.next() % 2))
            if (row + 1) % 131_072 == 0 {
                try writer.write(rowGroup: columns)
                for index in columns.indices { columns[index].removeAll() }
            }
        }
        try writer.write(rowGroup: columns)
        try writer.finish()
        try Data(bytes).write(to: URL(fileURLWithPath: entitiesParquetPath))
    }

    private func writeCSV(_ path: String, key: String, entities: Int, perEntity: Int, hours: Int64) throws {
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let file = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileWriteUnknown) }
        defer { try? file.close() }
        let prefix = key.first == "d" ? "d" : "c"
        var buffer = "\(key),event_timestamp,\(prefix)0,\(prefix)1,\(prefix)2\n"
        for step in 0..<perEntity {
            let time = start + .seconds(Int64(step) * hours * 3600)
            for id in 0..<entities {
                buffer += "\(id),\(time),\(Double(id % 1000) / 10),\(Double(step)),\(Double((id + step) % 100))\n"
                if buffer.utf8.count > 1 << 20 {
                    try file.write(contentsOf: Data(buffer.utf8))
                    buffer.removeAll(keepingCapacity: true)
                }
            }
        }
        try file.write(contentsOf: Data(buffer.utf8))
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuUser, .peakMemoryResident, .mallocCountTotal],
        timeUnits: .milliseconds,
        // No warm-up, so the first sample shows a cold start (it also gets the process's fresh
        // memory); five samples, so that one sample does not decide the p50.
        warmupIterations: 0,
        maxDuration: .seconds(60),
        maxIterations: 5
    )
    let fixture = JoinFixture.shared

    // The same join written in each format, and with its rows dropped: a format's cost is its
    // time less the dropped run's. From the CSV entity rows, then from the same rows as Parquet
    // (typed keys, a timestamp, nothing for CSV output to copy).
    let outputs: [(String, HistoricalOutputFormat?)] = [("CSV", .csv), ("Parquet", .parquet), ("Arrow", .arrow), ("nothing (rows dropped)", nil)]
    let inputs: [(String, EntityRows)] = [
        ("Larder point-in-time join: 1M rows x 2 views (10M history rows) to", .csv(path: fixture.entitiesPath)),
        ("Larder point-in-time join from Parquet entity rows to", .parquet(path: fixture.entitiesParquetPath)),
    ]
    for (prefix, entities) in inputs {
        for (name, format) in outputs {
            Benchmark("\(prefix) \(name)") { benchmark in
                let output = NSTemporaryDirectory() + "/larder-join-\(UUID().uuidString).\(format?.rawValue ?? "none")"
                defer { try? FileManager.default.removeItem(atPath: output) }
                let store = try FeatureStore.open(fixture.storePath, readOnly: true)
                var options = HistoricalOptions()
                options.discardsRows = format == nil
                benchmark.startMeasurement()
                let summary = try store.writeHistoricalFeatures(
                    entities: entities, features: ["driver_stats", "customer_stats"], to: output, format: format ?? .csv, options: options)
                benchmark.stopMeasurement()
                precondition(summary.rows == 1_000_000)
            }
        }
    }
}
