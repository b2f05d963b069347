import Foundation
@testable import Larder
import LMDBKit
import TestSupport
import Testing

/// Input that could mean two things is refused with the place and the choice to make, not read
/// one way silently.
@Suite struct AmbiguousInputTests {
    @Test func aDuplicateHeaderColumnIsRefused() throws {
        try withTemporaryDirectory { path in
            let stats = try StatsStore(in: path)
            try "driver_id,event_timestamp,created,conv_rate,trips,conv_rate\n1,\(at(1)),,0.5,1,0.7\n"
                .write(toFile: stats.csvPath, atomically: true, encoding: .utf8)
            let error = #expect(throws: SourceError.self) { try stats.store.materialize(from: time(0), to: time(24)) }
            #expect(error?.description == "\(stats.csvPath):1: column conv_rate: appears twice in the header (fields 4 and 6); which one is meant?")
        }
    }

    @Test func unknownTagsAndEmptyPathsAreRefusedInDefinitionsFiles() {
        let tagged = "entities:\n  - name: driver\n    join_key: !secret driver_id\n"
        #expect(throws: DefinitionsFileError.self) { try Definitions(yaml: tagged, file: "d.yaml") }
        #expect((try? Definitions(yaml: tagged, file: "d.yaml")) == nil)
        do { _ = try Definitions(yaml: tagged, file: "d.yaml") } catch {
            #expect(error.description == "d.yaml:3:15: unknown YAML tag '!secret'; definitions use plain values")
        }
        do { _ = try Definitions(yaml: "sources:\n  - name: s\n    csv: ''\n", file: "d.yaml") } catch {
            #expect(error.description == "d.yaml:3:10: sources[0].csv: the csv path is empty")
        }
        // YAML's own tags stay allowed.
        #expect((try? Definitions(yaml: "entities:\n  - name: !!str driver\n    join_key: driver_id\n", file: "d.yaml")) != nil)
    }

    @Test func aStoreRefusesMoreViewsThanItHoldsAtPlan() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment.open(path + "/store", options: .defaults { $0.maxDatabases = 10 })
            let store = try FeatureStore(environment: environment)
            #expect(store.maxViews == 3)
            let driver = Entity("driver", joinKey: "driver_id")
            let source = Source.csv("s", path: "s.csv")
            let views = (1...4).map { number in FeatureView("v\(number)", entities: [driver], source: source) { Field("x", .int64) } }
            let definitions = Definitions(entities: [driver], sources: [source], views: views)
            #expect(throws: LarderError.tooManyViews(count: 4, limit: 3)) { _ = try store.plan(definitions) }
            #expect(throws: LarderError.tooManyViews(count: 4, limit: 3)) { try store.apply(definitions) }
            try store.apply(Definitions(entities: [driver], sources: [source], views: Array(views.prefix(3))))
            #expect(try store.registry.views.count == 3)
            #expect(FeatureStore.defaultMaxViews == 510)
        }
    }
}
