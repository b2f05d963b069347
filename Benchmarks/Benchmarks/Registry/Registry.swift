// Applying and reading registries of many entities: 10k and 100k entities (and one view), so
// the two sizes side by side show the cost is linear. See Docs/Performance.md.
import Benchmark
import Foundation
import Larder

/// `count` entities, one source and one view over the first entity.
func definitions(entities count: Int) -> Definitions {
    let entities = (0..<count).map { Entity("entity_\($0)", joinKey: "key_\($0)") }
    let source = Source.csv("source", path: "unused.csv")
    let view = FeatureView("view", entities: [entities[0]], source: source) { Field("value", .int64) }
    return Definitions(entities: entities, sources: [source], views: [view])
}

/// A fresh store in a temporary directory, removed afterwards.
func withFreshStore(_ body: (FeatureStore) throws -> Void) throws {
    let directory = NSTemporaryDirectory() + "/larder-bench-registry-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try body(try FeatureStore.open(directory))
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident],
        timeUnits: .milliseconds,
        warmupIterations: 0,
        maxDuration: .seconds(60),
        maxIterations: 3
    )

    for count in [10_000, 100_000] {
        let definitions = definitions(entities: count)

        Benchmark("apply \(count / 1_000)k entities to a new store") { benchmark in
            try withFreshStore { store in
                benchmark.startMeasurement()
                try store.apply(definitions)
                benchmark.stopMeasurement()
            }
        }

        Benchmark("apply \(count / 1_000)k unchanged entities again") { benchmark in
            try withFreshStore { store in
                try store.apply(definitions)
                benchmark.startMeasurement()
                let result = try store.apply(definitions)
                benchmark.stopMeasurement()
                precondition(result.plan.isEmpty)
            }
        }

        Benchmark("read a registry of \(count / 1_000)k entities (what every command does first)") { benchmark in
            try withFreshStore { store in
                try store.apply(definitions)
                benchmark.startMeasurement()
                // A new handle has no cached registry: it reads and decodes every object.
                let registry = try FeatureStore(environment: store.environment).registry
                benchmark.stopMeasurement()
                precondition(registry.definitions.entities.count == count)
            }
        }
    }
}
