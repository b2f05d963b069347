// Materialization of exports shaped like users' data — 100k drivers, rows grouped by entity,
// ordered by time, or shuffled — with a raw LMDB bulk load of the same rows, presorted, as the
// baseline. `--filter '10M'` runs the ten-million-row loads (one iteration each, minutes).
// See Docs/Performance.md.
import Benchmark
import BenchmarkSupport
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

func materialize(entities: Int, order: ExportOrder, statistics: Bool = true, _ benchmark: Benchmark) throws {
    let csv = try ExportData.csv(entities: entities, order: order, directory: ExportData.directory)
    var options = MaterializeOptions()
    options.collectsStatistics = statistics
    try withFreshStore(reading: csv) { store in
        benchmark.startMeasurement()
        let snapshot = try store.materialize(from: Timestamp(microseconds: .min), to: Timestamp(microseconds: .max), options: options)
        benchmark.stopMeasurement()
        precondition(snapshot.rowsWritten == entities * ExportData.rowsPerEntity)
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuUser, .peakMemoryResident, .mallocCountTotal],
        timeUnits: .milliseconds,
        warmupIterations: 0,
        maxDuration: .seconds(60),
        maxIterations: 3
    )

    for order in ExportOrder.allCases {
        Benchmark("Larder materialize 1M rows, 100k entities, \(order.rawValue)") { benchmark in
            try materialize(entities: 100_000, order: order, benchmark)
        }
        // The cost of the statistics every run stores (Docs/Monitoring.md): the same run without.
        Benchmark("Larder materialize 1M rows, 100k entities, \(order.rawValue), without statistics") { benchmark in
            try materialize(entities: 100_000, order: order, statistics: false, benchmark)
        }
    }
    for order in ExportOrder.allCases {
        Benchmark("Larder materialize 10M rows, 1M entities, \(order.rawValue)", configuration: .init(maxIterations: 1)) { benchmark in
            try materialize(entities: 1_000_000, order: order, benchmark)
        }
    }

    Benchmark("raw LMDB: 1M history keys presorted, MDB_APPEND (32-byte keys, 44-byte values)") { benchmark in
        try rawBulkLoad(rows: 1_000_000, rowsPerEntity: 10, valueBytes: 44, start: { benchmark.startMeasurement() }, stop: { benchmark.stopMeasurement() })
    }
}
