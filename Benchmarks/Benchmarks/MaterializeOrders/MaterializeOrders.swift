// Materialization of exports shaped like users' data — 100k drivers, rows grouped by entity,
// ordered by time, or shuffled — with a raw LMDB bulk load of the same rows, presorted, as the
// baseline. `--filter '10M'` runs the ten-million-row loads (one iteration each, minutes).
// See Docs/Performance.md.
import Benchmark
import BenchmarkSupport
import CLMDBRaw
import Foundation
import Larder

/// A fresh store reading `csv`, in a temporary directory removed afterwards.
func withFreshStore(reading csv: String, _ body: (FeatureStore) throws -> Void) throws {
    let directory = NSTemporaryDirectory() + "/larder-bench-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let store = try FeatureStore.open(directory)
    try store.apply(ExportData.definitions(reading: csv))
    try body(store)
}

func materialize(entities: Int, order: ExportOrder, _ benchmark: Benchmark) throws {
    let csv = try ExportData.csv(entities: entities, order: order, directory: ExportData.directory)
    try withFreshStore(reading: csv) { store in
        benchmark.startMeasurement()
        let snapshot = try store.materialize(from: Timestamp(microseconds: .min), to: Timestamp(microseconds: .max))
        benchmark.stopMeasurement()
        precondition(snapshot.rowsWritten == entities * ExportData.rowsPerEntity)
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident, .mallocCountTotal],
        timeUnits: .milliseconds,
        warmupIterations: 0,
        maxDuration: .seconds(60),
        maxIterations: 3
    )

    for order in ExportOrder.allCases {
        Benchmark("Larder materialize 1M rows, 100k entities, \(order.rawValue)") { benchmark in
            try materialize(entities: 100_000, order: order, benchmark)
        }
    }
    for order in ExportOrder.allCases {
        Benchmark("Larder materialize 10M rows, 1M entities, \(order.rawValue)", configuration: .init(maxIterations: 1)) { benchmark in
            try materialize(entities: 1_000_000, order: order, benchmark)
        }
    }

    Benchmark("raw LMDB: 1M history keys presorted, MDB_APPEND (32-byte keys, 44-byte values)") { benchmark in
        let directory = NSTemporaryDirectory() + "/larder-bench-raw-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var env: OpaquePointer?
        mdb_env_create(&env)
        mdb_env_set_mapsize(env, 1 << 32)
        mdb_env_open(env, directory, 0, 0o644)
        defer { mdb_env_close(env) }
        // A history key (entity, event, created, snapshot) and a row of the view's four features.
        var value = [UInt8](repeating: 7, count: 44)
        var key = [UInt8](repeating: 0, count: 32)
        benchmark.startMeasurement()
        var txn: OpaquePointer?
        mdb_txn_begin(env, nil, 0, &txn)
        var dbi: MDB_dbi = 0
        mdb_dbi_open(txn, nil, 0, &dbi)
        for index in 0..<1_000_000 {
            withUnsafeBytes(of: (UInt64(index / 10) | (1 << 63)).bigEndian) { key.replaceSubrange(0..<8, with: $0) }
            withUnsafeBytes(of: (UInt64(index % 10) | (1 << 63)).bigEndian) { key.replaceSubrange(8..<16, with: $0) }
            key.withUnsafeMutableBytes { keyBytes in
                value.withUnsafeMutableBytes { valueBytes in
                    var k = MDB_val(mv_size: keyBytes.count, mv_data: keyBytes.baseAddress)
                    var v = MDB_val(mv_size: valueBytes.count, mv_data: valueBytes.baseAddress)
                    _ = mdb_put(txn, dbi, &k, &v, UInt32(MDB_APPEND))
                }
            }
        }
        mdb_txn_commit(txn)
        benchmark.stopMeasurement()
    }
}
