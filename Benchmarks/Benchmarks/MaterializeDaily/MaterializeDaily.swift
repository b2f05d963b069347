// A daily incremental run: one day of hourly rows for 100k drivers (2.4M rows, ordered by time)
// into a store that already holds 30 days (72M rows), next to the same day into an empty store.
// The first run builds the 30-day store under Benchmarks/.data/ (several minutes, ~7 GB).
// See Docs/Performance.md.
import Benchmark
import BenchmarkSupport
import Foundation
import Larder

let daily = DailyExports(entities: 100_000)
let historyDays = 30

/// A copy of `path` (the data file and its lock file) in a temporary directory, removed afterwards.
///
/// The copy is written to disk and read through once before the run, and the original dropped
/// from the page cache: the run then meets what a scheduled daily run meets — a store whose
/// pages are clean and mostly cached — rather than 12 GB of dirty pages being written back
/// under it, which made the figure swing by a second from one run to the next.
func withCopy(of path: String?, _ body: (FeatureStore) throws -> Void) throws {
    let directory = NSTemporaryDirectory() + "/larder-bench-daily-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: directory) }
    if let path {
        try FileManager.default.copyItem(atPath: path, toPath: directory)
        sync()
        dropFromPageCache(path + "/data.mdb")
        readThrough(directory + "/data.mdb")
    }
    let store = try FeatureStore.open(directory)
    if path == nil { try store.apply(ExportData.definitions(reading: daily.dayPath)) }
    try body(store)
}

func dropFromPageCache(_ path: String) {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { return }
    _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_DONTNEED)
    close(descriptor)
}

func readThrough(_ path: String) {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { return }
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 16)
    while read(descriptor, buffer, 1 << 20) > 0 {}
    buffer.deallocate()
    close(descriptor)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident],
        timeUnits: .milliseconds,
        warmupIterations: 0,
        maxDuration: .seconds(600),
        maxIterations: 1
    )

    Benchmark("Larder incremental day, 2.4M rows into a 30-day history (72M rows)",
              configuration: .init(maxIterations: 3)) { benchmark in
        let history = try daily.store(days: historyDays)
        try daily.writeDay(historyDays)
        try withCopy(of: history) { store in
            benchmark.startMeasurement()
            let snapshot = try store.materializeIncremental(to: DailyExports.end(ofDay: historyDays))
            benchmark.stopMeasurement()
            precondition(snapshot.rowsWritten == daily.entities * 24)
        }
    }

    Benchmark("Larder the same day into an empty store") { benchmark in
        try daily.writeDay(historyDays)
        try withCopy(of: nil) { store in
            benchmark.startMeasurement()
            let snapshot = try store.materializeIncremental(to: DailyExports.end(ofDay: historyDays))
            benchmark.stopMeasurement()
            precondition(snapshot.rowsWritten == daily.entities * 24)
        }
    }
}
