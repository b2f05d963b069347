@testable import Larder
import LMDBKit
import TestSupport
import Testing

@Suite struct SchemaEvolutionTests {
    /// Puts one placeholder row into a view's history so the registry treats it as holding data.
    func storeARow(in store: FeatureStore, view: String) throws {
        let record = try #require(try store.registry.views[view]?.spec)
        let history = try #require(try store.environment.database(named: record.historyDatabaseName))
        try store.environment.write { try $0.put([0], for: [1, 2, 3], in: history) }
    }

    func record(_ store: FeatureStore, _ view: String) throws -> ViewRecord {
        try #require(try store.registry.views[view]?.spec)
    }

    @Test func addingAFeatureIsCompatibleAndKeepsFieldIDs() throws {
        try withTemporaryDirectory { path in
            let store = try FeatureStore.open(path)
            try store.apply(Fixtures.definitions)
            try storeARow(in: store, view: "driver_hourly_stats")
            var evolved = Fixtures.definitions
            evolved.views[0].features.insert(Field("avg_rating", .float64), at: 0)
            let result = try store.apply(evolved)
            #expect(result.plan.breakingChanges.isEmpty)
            let view = try record(store, "driver_hourly_stats")
            #expect(view.schemas.count == 2)
            #expect(view.schemas[0].fieldIDs == [1, 2, 3])
            #expect(view.fieldIDs == [4, 1, 2, 3])  // the old features keep their ids
            #expect(view.currentSchema == SchemaVersion(version: 2, fieldIDs: [4, 1, 2, 3], types: [.float64, .float32, .float32, .int64]))
        }
    }

    @Test func retypingOrRemovingAFeatureWithDataIsRefusedUnlessAllowed() throws {
        try withTemporaryDirectory { path in
            let store = try FeatureStore.open(path)
            try store.apply(Fixtures.definitions)
            try storeARow(in: store, view: "driver_hourly_stats")
            var evolved = Fixtures.definitions
            evolved.views[0].features[0].type = .float64  // conv_rate
            evolved.views[0].features.remove(at: 2)  // avg_daily_trips
            evolved.services[0].features = ["driver_hourly_stats:acc_rate"]
            let error = #expect(throws: LarderError.self) { try store.apply(evolved) }
            let message = error?.description ?? ""
            #expect(message.contains("view driver_hourly_stats: feature conv_rate is retyped float32 -> float64; values stored before read as null"))
            #expect(message.contains("view driver_hourly_stats: feature avg_daily_trips is removed; its stored values become unreadable"))
            #expect(try store.registry.version == 1)  // nothing applied

            try store.apply(evolved, options: .allowBreakingChanges)
            let view = try record(store, "driver_hourly_stats")
            #expect(view.fieldIDs == [4, 2])  // conv_rate is a new field; acc_rate keeps id 2
            #expect(view.schemas.map(\.version) == [1, 2])
            #expect(view.schemas[0].fieldIDs == [1, 2, 3])  // rows of version 1 stay decodable
        }
    }

    @Test func changingTheEntitiesOfAViewWithDataClearsItsRowsWhenAllowed() throws {
        try withTemporaryDirectory { path in
            let store = try FeatureStore.open(path)
            try store.apply(Fixtures.definitions)
            try storeARow(in: store, view: "driver_customer_stats")
            var evolved = Fixtures.definitions
            evolved.views[1].entities = ["driver"]
            #expect(throws: LarderError.self) { try store.apply(evolved) }
            try store.apply(evolved, options: .allowBreakingChanges)
            let view = try record(store, "driver_customer_stats")
            #expect(view.keyTypes == [.int64])
            let history = try #require(try store.environment.database(named: view.historyDatabaseName))
            #expect(try store.environment.read { try $0.statistics(of: history).entries } == 0)
        }
    }

    @Test func changingAnEntityKeyTypeBreaksTheViewsThatUseIt() throws {
        try withTemporaryDirectory { path in
            let store = try FeatureStore.open(path)
            try store.apply(Fixtures.definitions)
            try storeARow(in: store, view: "driver_hourly_stats")
            var evolved = Fixtures.definitions
            evolved.entities[0].keyType = .string
            let plan = try store.plan(evolved)
            #expect(plan.changes.contains(.changed(.view("driver_hourly_stats"), details: ["~ entity key types: int64 -> string"])))
            #expect(plan.breakingChanges.count == 1)
            #expect(throws: LarderError.self) { try store.apply(evolved) }
        }
    }

    @Test func viewsWithoutDataChangeFreely() throws {
        try withTemporaryDirectory { path in
            let store = try FeatureStore.open(path)
            try store.apply(Fixtures.definitions)
            var evolved = Fixtures.definitions
            evolved.views[0].features.removeLast()
            evolved.views[1].entities = ["customer"]
            #expect(try store.apply(evolved).registryVersion == 2)
        }
    }
}
