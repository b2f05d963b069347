// Parquet in: materializing 1M rows from a Parquet file as pyarrow writes it by default, next
// to the same rows from CSV and a raw LMDB bulk load of them; and a plain scan of the file's
// columns by ParquetKit next to pyarrow's, single-threaded. See Docs/Performance.md.
import Benchmark
import BenchmarkSupport
import Foundation
import Larder
import ParquetKit

/// 1M rows — an int64 id for 100k drivers, a UTC timestamp, ten float64 features — written by
/// pyarrow (Benchmarks/parquet/make_data.py, with the Python of `.venv-readers`) as Parquet and
/// as CSV, once, under Benchmarks/.data/parquet.
final class ParquetData: @unchecked Sendable {
    static let shared = ParquetData()

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
    let directory = GeneratedStore.defaultDirectory + "/parquet"
    var parquet: String { directory + "/stats.parquet" }
    var csv: String { directory + "/stats.csv" }
    let python: String

    private init() {
        do {
            python = try Self.run("/bin/bash", [Self.repository + "/scripts/ensure-python-readers.sh"]).trimmingCharacters(in: .whitespacesAndNewlines)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: parquet) || !FileManager.default.fileExists(atPath: csv) {
                _ = try Self.run(python, [Self.repository + "/Benchmarks/parquet/make_data.py", directory])
            }
        } catch {
            fatalError("cannot prepare the Parquet benchmark: \(error)")
        }
    }

    /// Runs a program; returns its standard output, or throws when it fails.
    static func run(_ program: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.executableLoad, userInfo: ["program": program, "arguments": arguments]) }
        return String(decoding: data, as: UTF8.self)
    }

    func definitions(parquet: Bool) -> Definitions {
        let driver = Entity("driver", joinKey: "driver_id")
        let source = parquet ? Source.parquet("stats", path: self.parquet) : Source.csv("stats", path: csv)
        let view = FeatureView("stats", entityNames: ["driver"], sourceName: "stats", features: (0..<10).map { Field("f\($0)", .float64) })
        return Definitions(entities: [driver], sources: [source], views: [view])
    }
}

func materialize(parquet: Bool, _ benchmark: Benchmark) throws {
    let data = ParquetData.shared
    let directory = NSTemporaryDirectory() + "/larder-bench-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let store = try FeatureStore.open(directory)
    try store.apply(data.definitions(parquet: parquet))
    benchmark.startMeasurement()
    let snapshot = try store.materialize(from: Timestamp(microseconds: .min), to: Timestamp(microseconds: .max))
    benchmark.stopMeasurement()
    precondition(snapshot.rowsWritten == 1_000_000)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuUser, .peakMemoryResident, .mallocCountTotal],
        timeUnits: .milliseconds,
        warmupIterations: 1,
        maxDuration: .seconds(60),
        maxIterations: 5
    )

    Benchmark("Larder materialize 1M rows x 10 float64 from Parquet (pyarrow defaults: SNAPPY, dictionary)") { benchmark in
        try materialize(parquet: true, benchmark)
    }
    Benchmark("Larder materialize the same 1M rows from CSV") { benchmark in
        try materialize(parquet: false, benchmark)
    }

    Benchmark("raw LMDB: the same 1M rows presorted, MDB_APPEND (32-byte keys, 10 doubles)") { benchmark in
        try rawBulkLoad(rows: 1_000_000, rowsPerEntity: 10, valueBytes: 88, start: { benchmark.startMeasurement() }, stop: { benchmark.stopMeasurement() })
    }

    Benchmark("ParquetKit scan: the 12 columns, every page decoded") { benchmark in
        let data = ParquetData.shared
        benchmark.startMeasurement()
        let file = try ParquetFile(path: data.parquet)
        var values = 0
        for group in file.metadata.rowGroups.indices {
            for column in file.columns.indices {
                values += try file.readColumn(rowGroup: group, column: column).values.count
            }
        }
        benchmark.stopMeasurement()
        precondition(values == 12_000_000)
    }

    Benchmark("pyarrow read_table(use_threads=False): the 12 columns (median of 5, timed in its process)",
              configuration: .init(metrics: [.custom("pyarrow read (µs)")], maxIterations: 1)) { benchmark in
        let data = ParquetData.shared
        let micros = try ParquetData.run(data.python, [ParquetData.repository + "/Benchmarks/parquet/pyarrow_scan.py", data.parquet, "5"])
        benchmark.measurement(.custom("pyarrow read (µs)"), Int(micros.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1)
    }
}
