@testable import Larder
import Testing

@Suite struct ValidationTests {
    func problems(_ definitions: Definitions) -> [String] {
        do {
            try definitions.validate()
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test func theFixturesAreValid() {
        #expect(problems(Fixtures.definitions) == [])
    }

    @Test func namesMustBeIdentifiers() {
        var definitions = Fixtures.definitions
        definitions.entities[0].name = "driver-1"
        definitions.views[0].features[0].name = "1st"
        let found = problems(definitions)
        #expect(found.contains { $0.hasPrefix("entity driver-1: name 'driver-1' is not an identifier") })
        #expect(found.contains { $0.hasPrefix("view driver_hourly_stats: feature name '1st' is not an identifier") })
    }

    @Test func duplicateNamesAreReported() {
        var definitions = Fixtures.definitions
        definitions.views.append(Fixtures.hourlyStats)
        definitions.views[1].features.append(Field("trips_together", .int64))
        let found = problems(definitions)
        #expect(found.contains("view driver_hourly_stats: defined more than once"))
        #expect(found.contains("view driver_customer_stats: feature 'trips_together' appears more than once"))
    }

    @Test func unknownEntitiesAndSourcesAreReported() {
        var definitions = Fixtures.definitions
        definitions.views[0].entities = ["rider"]
        definitions.views[0].source = "nowhere"
        let found = problems(definitions)
        #expect(found.contains("view driver_hourly_stats: unknown entity 'rider' (known: customer, driver)"))
        #expect(found.contains("view driver_hourly_stats: unknown source 'nowhere' (known: driver_stats, orders)"))
    }

    @Test func aJoinKeyCannotAlsoBeAFeature() {
        var definitions = Fixtures.definitions
        definitions.views[0].features.append(Field("driver_id", .int64))
        #expect(problems(definitions) == ["view driver_hourly_stats: join key 'driver_id' of entity driver is also declared as a feature"])
    }

    @Test func servicesMustNameKnownViewsAndFeatures() {
        var definitions = Fixtures.definitions
        definitions.services[0].features = ["driver_hourly_stats:speed", "ghost_view:x"]
        let found = problems(definitions)
        #expect(found.contains("service driver_activity: view driver_hourly_stats has no feature 'speed' (known: acc_rate, avg_daily_trips, conv_rate)"))
        #expect(found.contains("service driver_activity: unknown view 'ghost_view' in 'ghost_view:x' (known: driver_customer_stats, driver_hourly_stats)"))
    }

    @Test func ttlCannotBeNegative() {
        var definitions = Fixtures.definitions
        definitions.views[0].ttl = .seconds(-5)
        #expect(problems(definitions) == ["view driver_hourly_stats: ttl -5.0 seconds is negative; use 0 for no limit"])
    }

    @Test func timestampColumnsMustBeReadable() {
        var definitions = Fixtures.definitions
        definitions.sources[0].columnMapping = ["event_timestamp": "ts"]
        definitions.views[1].createdTimestampColumn = "trips_together"
        let found = problems(definitions)
        #expect(found.contains("view driver_hourly_stats: source driver_stats maps column 'event_timestamp' to 'ts', which the view does not have"))
        #expect(found.contains("view driver_hourly_stats: timestamp column 'event_timestamp' is missing from source driver_stats's mapping (it renames that column to 'ts')"))
        #expect(found.contains("view driver_customer_stats: timestamp column 'trips_together' is also a feature or join key"))
    }

    @Test func everyProblemIsReportedAtOnce() {
        var definitions = Fixtures.definitions
        definitions.entities[1].joinKey = "bad key"
        definitions.views[0].ttl = .seconds(-1)
        definitions.services[0].features = ["nope"]
        #expect(problems(definitions).count == 3)
    }

    @Test func delimitersAndMappingsAreCheckedWhenDefinitionsAreRead() {
        let driver = Entity("driver", joinKey: "driver_id")
        let wide = Source.csv("wide", path: "w.csv", delimiter: "→")
        let doubled = Source.csv("doubled", path: "d.csv", columnMapping: ["ts": "event_timestamp", "time": "event_timestamp"])
        let view = FeatureView("v", entities: [driver], source: doubled) { Field("x", .int64) }
        let found = problems(Definitions(entities: [driver], sources: [wide, doubled], views: [view]))
        #expect(found.contains("source wide: the delimiter '→' is not one ASCII character (a CSV delimiter is one byte)"), "\(found)")
        #expect(found.contains("source doubled: maps 'time' and 'ts' to the same column 'event_timestamp'"), "\(found)")
    }
}
