import Foundation
@testable import Larder
import LMDBKit
import TestSupport
import Testing

@Suite struct RegistryTests {
    @Test func applyCommitsAndBumpsTheVersionOnce() throws {
        try withTemporaryDirectory { path in
            let store = try FeatureStore.open(path)
            let plan = try store.plan(Fixtures.definitions)
            #expect(plan.changes.count == 7)
            #expect(plan.changes.first == .added(.entity("customer")))
            let result = try store.apply(Fixtures.definitions)
            #expect(result.registryVersion == 1)
            let registry = try store.registry
            #expect(registry.version == 1)
            #expect(registry.definitions.views.map(\.name) == ["driver_customer_stats", "driver_hourly_stats"])
            #expect(registry.view(named: "driver_customer_stats")?.owner == "ml-team@example.com")
            #expect(registry.service(named: "driver_activity") == Fixtures.activity)
        }
    }

    @Test func applyingTheSameDefinitionsTwiceChangesNothing() throws {
        try withTemporaryDirectory { path in
            let store = try FeatureStore.open(path)
            try store.apply(Fixtures.definitions)
            let again = try store.apply(Fixtures.definitions)
            #expect(again.plan.isEmpty)
            #expect(again.registryVersion == 1)
            #expect(again.plan.unchanged.count == 7)
            #expect(again.plan.description.hasPrefix("no changes"))
        }
    }

    @Test func planShowsFieldLevelChanges() throws {
        try withTemporaryDirectory { path in
            let store = try FeatureStore.open(path)
            try store.apply(Fixtures.definitions)
            var changed = Fixtures.definitions
            changed.views[0].features.append(Field("avg_rating", .float64))
            changed.views[0].ttl = .seconds(2 * 86_400)
            changed.views[0].features[1].type = .float64
            changed.services[0].features.append("driver_hourly_stats:acc_rate")
            let plan = try store.plan(changed)
            #expect(plan.changes == [
                .changed(.view("driver_hourly_stats"), details: [
                    "~ feature acc_rate: float32 -> float64",
                    "+ feature avg_rating: float64",
                    "~ ttl: 1d -> 2d",
                ]),
                .changed(.service("driver_activity"), details: ["+ driver_hourly_stats:acc_rate"]),
            ])
            #expect(plan.description.contains("~ view driver_hourly_stats\n    ~ feature acc_rate: float32 -> float64"))
            #expect(plan.breakingChanges.isEmpty)  // no data stored yet, so nothing breaks
        }
    }

    @Test func partialDefinitionsKeepWhatTheyDoNotMention() throws {
        try withTemporaryDirectory { path in
            let store = try FeatureStore.open(path)
            try store.apply(Fixtures.definitions)
            let onlyDriver = Definitions(entities: [Fixtures.driver])
            let plan = try store.plan(onlyDriver)
            #expect(plan.isEmpty)
            #expect(plan.unchanged == [.entity("driver")])
            #expect(plan.notInDefinitions.count == 6)
            try store.apply(onlyDriver)
            #expect(try store.registry.definitions == Fixtures.definitions.sortedByName)
        }
    }

    @Test func removingNeedsAnExplicitDelete() throws {
        try withTemporaryDirectory { path in
            let store = try FeatureStore.open(path)
            try store.apply(Fixtures.definitions)
            let withoutService = Definitions(
                entities: Fixtures.definitions.entities, sources: Fixtures.definitions.sources,
                views: Fixtures.definitions.views)
            let plan = try store.plan(withoutService, options: .deleteMissing)
            #expect(plan.changes == [.removed(.service("driver_activity"))])
            try store.apply(withoutService, options: .deleteMissing)
            #expect(try store.registry.service(named: "driver_activity") == nil)

            let error = #expect(throws: LarderError.self) { try store.delete([.entity("driver")]) }
            #expect(error?.description.contains("view driver_hourly_stats: unknown entity 'driver'") == true)
            #expect(throws: LarderError.self) { try store.delete([.view("no_such_view")]) }

            let historyName = try #require(try store.registry.views["driver_hourly_stats"]?.spec.historyDatabaseName)
            let result = try store.delete([.view("driver_hourly_stats")])
            #expect(result.plan.changes == [.removed(.view("driver_hourly_stats"))])
            #expect(try store.registry.view(named: "driver_hourly_stats") == nil)
            let history = try #require(try store.environment.database(named: historyName))
            #expect(try store.environment.read { try $0.statistics(of: history).entries } == 0)  // its rows went with it
        }
    }

    @Test func invalidDefinitionsCommitNothing() throws {
        try withTemporaryDirectory { path in
            let store = try FeatureStore.open(path)
            var broken = Fixtures.definitions
            broken.views[1].entities = ["driver", "rider"]
            let error = #expect(throws: LarderError.self) { try store.apply(broken) }
            #expect(error?.description.contains("view driver_customer_stats: unknown entity 'rider'") == true)
            #expect(try store.registry.version == 0)
            #expect(try store.registry.definitions == Definitions())
        }
    }

    @Test func anApplyInOneHandleIsSeenByTheNextRead() throws {
        try withTemporaryDirectory { path in
            let store = try FeatureStore.open(path)
            #expect(try store.registry.version == 0)  // caches the empty registry
            let other = try FeatureStore(environment: store.environment)
            try other.apply(Fixtures.definitions)
            #expect(try store.registry.version == 1)
            #expect(try store.registry.view(named: "driver_hourly_stats") != nil)
        }
    }

    @Test func aForeignEnvironmentIsRefused() throws {
        try withTemporaryDirectory { path in
            do {
                let environment = try Environment.open(path)
                let database = try environment.createDatabase(named: "someone_elses")
                try environment.write { try $0.put([1], for: [1], in: database) }
            }
            let error = #expect(throws: LarderError.self) { try FeatureStore.open(path) }
            #expect(error?.description == "\(path) is an LMDB environment but not a Larder store (no Larder metadata); refusing to touch it")
        }
    }

    @Test func aStoreOfAnotherFormatIsRefused() throws {
        try withTemporaryDirectory { path in
            do {
                let store = try FeatureStore.open(path)
                try store.environment.write { txn in
                    try txn.put(withUnsafeBytes(of: UInt32(99).bigEndian) { Array($0) }, for: StoreMeta.formatKey, in: store.meta)
                }
            }
            let error = #expect(throws: LarderError.self) { try FeatureStore.open(path) }
            #expect(error?.description == "\(path) has store format 99; this version of Larder reads format 1")
        }
    }

    @Test func definitionsSurviveReopening() throws {
        try withTemporaryDirectory { path in
            do { try FeatureStore.open(path).apply(Fixtures.definitions) }
            let reopened = try FeatureStore.open(path, readOnly: true)
            #expect(try reopened.registry.definitions == Fixtures.definitions.sortedByName)
            #expect(try reopened.registry.history(of: .view("driver_hourly_stats"))?.createdInVersion == 1)
        }
    }
}

extension Definitions {
    var sortedByName: Definitions {
        Definitions(
            entities: entities.sorted { $0.name < $1.name }, sources: sources.sorted { $0.name < $1.name },
            views: views.sorted { $0.name < $1.name }, services: services.sorted { $0.name < $1.name })
    }
}
