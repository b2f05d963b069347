// The hot read path, side by side with its baselines, on one generated store of 1M entities
// with ten float64 features (~100-byte rows). See Docs/Performance.md.
import Benchmark
import BenchmarkSupport
import Foundation
import Larder

/// Everything the benchmarks share, built once per process.
final class Fixture: @unchecked Sendable {
    static let shared = Fixture()

    let data = GeneratedStore(entities: Int(ProcessInfo.processInfo.environment["LARDER_BENCH_ENTITIES"] ?? "") ?? 1_000_000)
    let store: FeatureStore
    let one: PreparedView
    let ten: PreparedView
    let raw: RawLMDB
    let sqlite: SQLiteTable
    let random: [Int64]
    let hot: [Int64]
    let references: [FeatureReference]
    var position = 0

    private init() {
        do {
            try data.prepare()
            store = try FeatureStore.open(data.larderPath, readOnly: true)
            one = try store.preparedView("driver_stats", features: ["f0"])
            ten = try store.preparedView("driver_stats")
            raw = try RawLMDB(path: data.rawPath)
            sqlite = try SQLiteTable(path: data.sqlitePath)
        } catch {
            fatalError("cannot prepare the benchmark store: \(error)")
        }
        random = KeySets.random(count: 1 << 20, entities: data.entities)
        hot = KeySets.hot(count: 1 << 20, entities: data.entities)
        references = (0..<GeneratedStore.featureCount).map { FeatureReference(view: "driver_stats", feature: "f\($0)") }
        checkBaselinesReadTheSameValues()
    }

    /// The baselines must read the same values as Larder, or they measure something else.
    private func checkBaselinesReadTheSameValues() {
        for key: Int64 in [0, 42, Int64(data.entities - 1)] {
            let larder = try? store.withSession { session in try session.withRow(one, key: key) { $0.float64(0) } }
            precondition(larder == raw.firstFeature(of: key), "raw LMDB baseline reads \(raw.firstFeature(of: key)) for \(key), Larder \(String(describing: larder))")
            var values = [Double](repeating: 0, count: GeneratedStore.featureCount)
            _ = sqlite.allFeatures(of: key, into: &values)
            precondition(larder == values[0], "SQLite baseline disagrees for \(key)")
        }
    }

    /// The next `count` keys of `keys`, wrapping around, so every sample sees new keys.
    func next(_ count: Int, of keys: [Int64]) -> ArraySlice<Int64> {
        if position + count > keys.count { position = 0 }
        defer { position += count }
        return keys[position..<position + count]
    }
}

let lookups = 1_000

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 3,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 2_000
    )
    let fixture = Fixture.shared

    for (order, keys) in [("random", fixture.random), ("hot", fixture.hot)] {
        Benchmark("raw mdb_get + 1 float64 (\(order))") { benchmark in
            let batch = fixture.next(lookups, of: keys)
            benchmark.startMeasurement()
            for key in batch { blackHole(fixture.raw.firstFeature(of: key)) }
        }

        Benchmark("Larder zero-copy, 1 feature (\(order))") { benchmark in
            let batch = fixture.next(lookups, of: keys)
            benchmark.startMeasurement()
            try fixture.store.withSession { session in
                for key in batch { blackHole(try session.withRow(fixture.one, key: key) { $0.float64(0) }) }
            }
        }

        Benchmark("Larder zero-copy, 10 features (\(order))") { benchmark in
            let batch = fixture.next(lookups, of: keys)
            benchmark.startMeasurement()
            try fixture.store.withSession { session in
                for key in batch {
                    blackHole(try session.withRow(fixture.ten, key: key) { row in
                        var sum = 0.0
                        for index in 0..<GeneratedStore.featureCount { sum += row.float64(index) ?? 0 }
                        return sum
                    })
                }
            }
        }

        Benchmark("Larder convenience, 10 features + statuses (\(order))") { benchmark in
            let batch = fixture.next(lookups, of: keys)
            benchmark.startMeasurement()
            for key in batch {
                blackHole(try fixture.store.onlineFeatures(fixture.references, for: [["driver_id": .int64(key)]]))
            }
        }

        // What the caller of the convenience API spends before the call: its entity row.
        Benchmark("entity row built and dropped, no lookup (\(order))") { benchmark in
            let batch = fixture.next(lookups, of: keys)
            benchmark.startMeasurement()
            for key in batch { blackHole([["driver_id": FeatureValue.int64(key)]]) }
        }

        Benchmark("SQLite SELECT * by primary key, 10 features (\(order))") { benchmark in
            let batch = fixture.next(lookups, of: keys)
            var values = [Double](repeating: 0, count: GeneratedStore.featureCount)
            benchmark.startMeasurement()
            for key in batch { blackHole(fixture.sqlite.allFeatures(of: key, into: &values)) }
        }

        Benchmark("Larder asOf lookup, 10 features (\(order))") { benchmark in
            let batch = fixture.next(lookups, of: keys)
            let asOf = GeneratedStore.day1 + .seconds(3600)
            benchmark.startMeasurement()
            try fixture.store.withSession { session in
                for key in batch {
                    blackHole(try session.withRow(fixture.ten, key: [.int64(key)], asOf: asOf) { $0.float64(0) })
                }
            }
        }
    }

    for size in [100, 1_000] {
        Benchmark("raw loop, batch of \(size) (random)", configuration: .init(scalingFactor: .one)) { benchmark in
            let batch = fixture.next(size, of: fixture.random)
            benchmark.startMeasurement()
            var sum = 0.0
            for key in batch { sum += fixture.raw.firstFeature(of: key) }
            blackHole(sum)
        }

        Benchmark("Larder batch of \(size), zero-copy (random)", configuration: .init(scalingFactor: .one)) { benchmark in
            let batch = fixture.next(size, of: fixture.random)
            benchmark.startMeasurement()
            try fixture.store.withSession { session in
                var sum = 0.0
                for key in batch { sum += try session.withRow(fixture.one, key: key) { $0.float64(0) ?? 0 } ?? 0 }
                blackHole(sum)
            }
        }
    }

    Benchmark("raw renew + mdb_get, per request (hot)") { benchmark in
        let batch = fixture.next(lookups, of: fixture.hot)
        benchmark.startMeasurement()
        for key in batch {
            fixture.raw.renew()
            blackHole(fixture.raw.firstFeature(of: key))
        }
    }

    Benchmark("Larder session + lookup, per request (hot)") { benchmark in
        let batch = fixture.next(lookups, of: fixture.hot)
        benchmark.startMeasurement()
        for key in batch {
            blackHole(try fixture.store.withSession { session in try session.withRow(fixture.one, key: key) { $0.float64(0) } })
        }
    }
}
