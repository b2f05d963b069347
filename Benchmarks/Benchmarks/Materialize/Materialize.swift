// Materialization throughput from CSV, with a raw LMDB bulk load of the same rows as the
// baseline, and the peak memory of a 5M-row run. See Docs/Performance.md.
import Benchmark
import BenchmarkSupport
import CLMDBRaw
import Foundation
import Larder

/// One generated CSV per size, kept under `Benchmarks/.data/`.
func csv(rows: Int) -> String {
    let data = GeneratedStore(entities: rows / 2, directory: GeneratedStore(entities: rows / 2).directory)
    let path = data.directory + "/materialize-\(rows).csv"
    if !FileManager.default.fileExists(atPath: path) {
        do {
            try FileManager.default.createDirectory(atPath: data.directory, withIntermediateDirectories: true)
            try data.writeCSV(to: path, rows: rows / 2, rowsPerEntity: 2)
        } catch {
            fatalError("cannot write \(path): \(error)")
        }
    }
    return path
}

/// A fresh store over `path` in a temporary directory, removed afterwards.
func withFreshStore(csv path: String, _ body: (FeatureStore) throws -> Void) throws {
    let directory = NSTemporaryDirectory() + "/larder-bench-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let store = try FeatureStore.open(directory)
    var definitions = GeneratedStore.definitions
    definitions.sources[0] = Source.csv("driver_stats", path: path)
    try store.apply(definitions)
    try body(store)
}

let everything = (Timestamp(microseconds: .min), Timestamp(microseconds: .max))

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal],
        timeUnits: .milliseconds,
        warmupIterations: 0,
        maxDuration: .seconds(30),
        maxIterations: 3
    )

    let million = csv(rows: 1_000_000)

    Benchmark("Larder materialize 1M CSV rows (~100 B)") { benchmark in
        try withFreshStore(csv: million) { store in
            benchmark.startMeasurement()
            let snapshot = try store.materialize(from: everything.0, to: everything.1)
            benchmark.stopMeasurement()
            precondition(snapshot.rowsWritten == 1_000_000)
        }
    }

    Benchmark("raw LMDB: 1M sorted puts with MDB_APPEND (same key and value sizes)") { benchmark in
        let directory = NSTemporaryDirectory() + "/larder-bench-raw-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var env: OpaquePointer?
        mdb_env_create(&env)
        mdb_env_set_mapsize(env, 1 << 32)
        mdb_env_open(env, directory, 0, 0o644)
        defer { mdb_env_close(env) }
        var value = [UInt8](repeating: 7, count: 87)  // a Larder row of ten float64 features
        benchmark.startMeasurement()
        var txn: OpaquePointer?
        mdb_txn_begin(env, nil, 0, &txn)
        var dbi: MDB_dbi = 0
        mdb_dbi_open(txn, nil, 0, &dbi)
        for index in 0..<1_000_000 {
            var key = (UInt64(index) | (1 << 63)).bigEndian
            withUnsafeMutableBytes(of: &key) { keyBytes in
                value.withUnsafeMutableBytes { valueBytes in
                    var k = MDB_val(mv_size: 8, mv_data: keyBytes.baseAddress)
                    var v = MDB_val(mv_size: valueBytes.count, mv_data: valueBytes.baseAddress)
                    _ = mdb_put(txn, dbi, &k, &v, UInt32(MDB_APPEND))
                }
            }
        }
        mdb_txn_commit(txn)
    }

    Benchmark("Larder materialize 5M CSV rows (peak memory)", configuration: .init(maxIterations: 1)) { benchmark in
        let fiveMillion = csv(rows: 5_000_000)
        try withFreshStore(csv: fiveMillion) { store in
            benchmark.startMeasurement()
            let snapshot = try store.materialize(from: everything.0, to: everything.1)
            benchmark.stopMeasurement()
            precondition(snapshot.rowsWritten == 5_000_000)
        }
    }
}
