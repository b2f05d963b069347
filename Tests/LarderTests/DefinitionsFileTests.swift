import Foundation
import Testing
import TestSupport
@testable import Larder

/// Parses `yaml` expecting failure, and returns the error (nil if it parsed).
private func parseError(_ yaml: String, file: String = "defs.yaml") -> DefinitionsFileError? {
    do {
        _ = try Definitions(yaml: yaml, file: file)
        return nil
    } catch {
        return error
    }
}

@Suite struct DefinitionsFileTests {
    // MARK: A complete document

    static let completeDocument = """
        # Everything the format has, at least once.
        entities:
          - name: driver
            join_key: driver_id
            description: A driver
            tags: {team: rides}
          - name: customer
            join_key: customer_id
            type: string
        sources:
          - name: driver_stats
            csv: data/driver_stats.csv
            delimiter: ";"
            timestamp_format: iso8601
            timezone: "+02:00"
            column_mapping: {ts: event_timestamp}
            description: Hourly driver statistics
          - name: orders
            jsonl: data/orders.jsonl
            timestamp_format: epoch_millis
          - name: live
            push: true
        views:
          - name: driver_hourly_stats
            entities: [driver]
            source: driver_stats
            ttl: 1d
            owner: someone@example.com
            description: Driver statistics by hour
            tags: {tier: gold}
            features:
              - name: conv_rate
                type: float32
                description: conversion rate
                tags: {pii: "false", version: 2}
              - name: avg_daily_trips
                type: int64
              - name: embedding
                type: [float32]
              - name: labels
                type: "[string]"
            monitoring:
              psi: 0.2
              features:
                conv_rate: {wasserstein: 0.3, jensen_shannon: 0.05}
          - name: driver_customer
            entities: [driver, customer]
            source: orders
            timestamp_field: ordered_at
            created_timestamp_field: created
            ttl: 1h30m
            online: false
            features:
              - {name: order_count, type: int32}
        services:
          - name: driver_activity
            features: [driver_hourly_stats:conv_rate, driver_customer]
            description: What the ranking model reads
            tags: {model: v2}
        """

    static var completeDefinitions: Definitions {
        let driver = Entity("driver", joinKey: "driver_id", description: "A driver", tags: ["team": "rides"])
        let customer = Entity("customer", joinKey: "customer_id", type: .string)
        let driverStats = Source(
            "driver_stats", kind: .csv(path: "data/driver_stats.csv", delimiter: ";"),
            columnMapping: ["ts": "event_timestamp"], timestampFormat: .iso8601AssumingOffset(seconds: 7_200),
            description: "Hourly driver statistics")
        let orders = Source.jsonLines("orders", path: "data/orders.jsonl", timestampFormat: .epochMilliseconds)
        let live = Source.push("live")
        let hourly = FeatureView("driver_hourly_stats", entities: [driver], source: driverStats, ttl: .seconds(86_400)) {
            Field("conv_rate", .float32, description: "conversion rate", tags: ["pii": "false", "version": "2"])
            Field("avg_daily_trips", .int64)
            Field("embedding", .float32List)
            Field("labels", .stringList)
        }
        .owner("someone@example.com")
        .description("Driver statistics by hour")
        .tags(["tier": "gold"])
        .monitoring(DriftThresholds(psi: 0.2), features: ["conv_rate": DriftThresholds(jensenShannon: 0.05, wasserstein: 0.3)])
        let pairs = FeatureView(
            "driver_customer", entities: [driver, customer], source: orders, ttl: .seconds(5_400),
            timestampColumn: "ordered_at", createdTimestampColumn: "created"
        ) {
            Field("order_count", .int32)
        }
        .offline()
        let activity = FeatureService(
            "driver_activity", features: ["driver_hourly_stats:conv_rate", "driver_customer"],
            description: "What the ranking model reads", tags: ["model": "v2"])
        return Definitions(
            entities: [driver, customer], sources: [driverStats, orders, live],
            views: [hourly, pairs], services: [activity])
    }

    @Test func completeDocumentParsesToTheExpectedDefinitions() throws {
        let parsed = try Definitions(yaml: Self.completeDocument)
        #expect(parsed == Self.completeDefinitions)
        #expect(parsed.services.first?.features == [
            FeatureReference(view: "driver_hourly_stats", feature: "conv_rate"),
            FeatureReference(view: "driver_customer"),
        ])
    }

    /// A feature's thresholds over its view's over the standard ones.
    @Test func driftThresholdsResolveFromFeatureToViewToStandard() throws {
        let view = try #require(Definitions(yaml: Self.completeDocument).view(named: "driver_hourly_stats"))
        #expect(view.driftThresholds(for: "conv_rate") == DriftThresholds(psi: 0.2, jensenShannon: 0.05, wasserstein: 0.3))
        #expect(view.driftThresholds(for: "labels") == DriftThresholds(psi: 0.2, jensenShannon: 0.1, wasserstein: 0.1))
        let plain = try #require(Definitions(yaml: Self.completeDocument).view(named: "driver_customer"))
        #expect(plain.monitoring == nil && plain.driftThresholds(for: "order_count") == .standard)
        // An empty block is no block: plan sees no change between the two spellings.
        #expect(view.monitoring(DriftThresholds()).monitoring == nil)
    }

    @Test func badMonitoringBlocksNameThePlace() throws {
        func document(_ monitoring: String) -> String {
            """
            views:
              - name: stats
                entities: [driver]
                source: trips
                features: [{name: rate, type: float64}]
                monitoring: \(monitoring)
            """
        }
        #expect(parseError(document("{psi: high}"))?.description == "defs.yaml:6:23: views[0].monitoring.psi: a drift threshold is a number above 0, found 'high'")
        #expect(parseError(document("{psi: -1}"))?.description == "defs.yaml:6:23: views[0].monitoring.psi: a drift threshold is a number above 0, found '-1'")
        #expect(parseError(document("{features: {rate: {ks: 0.1}}}"))?.description == "defs.yaml:6:36: views[0].monitoring.features.rate.ks: unknown key 'ks'; allowed keys: psi, jensen_shannon, wasserstein")
        #expect(parseError(document("{features: [rate]}"))?.description == "defs.yaml:6:28: views[0].monitoring.features: expected a mapping of names, found a list")
        // A feature the view does not have is the validator's to find, with the names it has.
        let unknown = try Definitions(yaml: """
            entities: [{name: driver, join_key: driver_id}]
            sources: [{name: trips, csv: trips.csv}]
            """ + "\n" + document("{features: {rte: {psi: 0.2}}}"))
        #expect(throws: DefinitionError.self) { try unknown.validate() }
        do { try unknown.validate() } catch {
            #expect(error.description.contains("view stats: monitoring names unknown feature 'rte'"), "\(error)")
        }
    }

    @Test func defaultsApplyWhenOptionalKeysAreLeftOut() throws {
        let parsed = try Definitions(yaml: """
            entities: [{name: driver, join_key: driver_id}]
            sources: [{name: trips, csv: trips.csv}]
            views:
              - name: stats
                entities: [driver]
                source: trips
                features: [{name: rate, type: float64}]
            """)
        let view = try #require(parsed.views.first)
        #expect(parsed.entities == [Entity("driver", joinKey: "driver_id", type: .int64)])
        #expect(parsed.sources == [Source("trips", kind: .csv(path: "trips.csv", delimiter: ","), timestampFormat: .iso8601)])
        #expect(view.ttl == .zero)
        #expect(view.online)
        #expect(view.timestampColumn == "event_timestamp")
        #expect(view.createdTimestampColumn == nil)
        #expect(view.owner.isEmpty && view.description.isEmpty && view.tags.isEmpty)
    }

    @Test(arguments: ["", "# nothing yet\n", "entities:\nsources: ~\nviews: null\nservices:\n"])
    func emptyDocumentsAndSectionsDeclareNothing(yaml: String) throws {
        #expect(try Definitions(yaml: yaml) == Definitions())
    }

    @Test func nullOptionalKeysTakeTheirDefaults() throws {
        let parsed = try Definitions(yaml: """
            entities:
              - name: driver
                join_key: driver_id
                type:
                description: ~
            """)
        #expect(parsed.entities == [Entity("driver", joinKey: "driver_id")])
    }

    // MARK: Value types

    @Test(arguments: ValueType.allCases)
    func everyValueTypeHasItsSpelling(type: ValueType) throws {
        let parsed = try Definitions(yaml: """
            views:
              - name: v
                entities: []
                source: s
                features:
                  - name: f
                    type: "\(type)"
            """)
        #expect(parsed.views.first?.features.first?.type == type)
    }

    @Test func listTypesAcceptBothSpellings() throws {
        let parsed = try Definitions(yaml: """
            views:
              - name: v
                entities: []
                source: s
                features:
                  - {name: a, type: [int64]}
                  - {name: b, type: "[float32]"}
                  - {name: c, type: '[float64]'}
                  - name: d
                    type:
                      - string
            """)
        #expect(parsed.views.first?.features.map(\.type) == [.int64List, .float32List, .float64List, .stringList])
    }

    // MARK: Errors name the file, the line and the key path

    @Test func unknownValueTypeNamesTheExactPlace() throws {
        let error = try #require(parseError("""
            views:
              - name: v
                entities: []
                source: s
                features:
                  - name: a
                    type: int64
                  - name: b
                    type: float
            """, file: "features.yaml"))
        #expect(error.file == "features.yaml")
        #expect(error.line == 9)
        #expect(error.column == 15)
        #expect(error.keyPath == "views[0].features[1].type")
        #expect(error.message.hasPrefix("unknown value type 'float'; expected one of bool, int32, int64"))
        #expect(error.description.hasPrefix("features.yaml:9:15: views[0].features[1].type: unknown value type 'float'"))
    }

    @Test func badListTypesAreRejected() throws {
        let noSuchList = try #require(parseError("""
            views: [{name: v, entities: [], source: s, features: [{name: a, type: [bool]}]}]
            """))
        #expect(noSuchList.keyPath == "views[0].features[0].type")
        #expect(noSuchList.message == "there is no list of 'bool'; list types are [int64], [float32], [float64], [string]")

        let twoElements = try #require(parseError("""
            views: [{name: v, entities: [], source: s, features: [{name: a, type: [int64, string]}]}]
            """))
        #expect(twoElements.keyPath == "views[0].features[0].type")
        #expect(twoElements.message.hasPrefix("a list type names one element type"))
    }

    @Test func unknownKeyIsRejectedWithTheAllowedKeys() throws {
        let error = try #require(parseError("""
            entities:
              - name: driver
                join_key: driver_id
                descripton: typo
            """))
        #expect(error.line == 4)
        #expect(error.column == 5)
        #expect(error.keyPath == "entities[0].descripton")
        #expect(error.message == "unknown key 'descripton'; allowed keys: name, join_key, type, description, tags")
    }

    @Test func unknownTopLevelSectionIsRejected() throws {
        let error = try #require(parseError("entities: []\nfeature_views: []\n"))
        #expect(error.line == 2)
        #expect(error.keyPath == "feature_views")
        #expect(error.message == "unknown key 'feature_views'; allowed keys: entities, sources, views, services")
    }

    @Test func missingRequiredKeyNamesThePathAndTheMappingsLine() throws {
        let error = try #require(parseError("""
            entities:
              - name: driver
                join_key: driver_id
              - name: customer
                type: string
            """))
        #expect(error.line == 4)
        #expect(error.keyPath == "entities[1].join_key")
        #expect(error.message == "missing required key")
        #expect(error.description == "defs.yaml:4:5: entities[1].join_key: missing required key")
    }

    @Test func requiredKeyWithoutValueIsAnError() throws {
        let error = try #require(parseError("services:\n  - name:\n    features: [v]\n"))
        #expect(error.line == 2)
        #expect(error.keyPath == "services[0].name")
        #expect(error.message == "required key has no value")
    }

    @Test func wrongNodeKindsAreErrors() throws {
        let scalarForList = try #require(parseError("entities: driver\n"))
        #expect(scalarForList.line == 1)
        #expect(scalarForList.column == 11)
        #expect(scalarForList.keyPath == "entities")
        #expect(scalarForList.message == "expected a list, found 'driver'")

        let listForString = try #require(parseError("entities:\n  - name: [a, b]\n    join_key: k\n"))
        #expect(listForString.line == 2)
        #expect(listForString.keyPath == "entities[0].name")
        #expect(listForString.message == "expected a string, found a list")

        let scalarForMapping = try #require(parseError("entities:\n  - driver\n"))
        #expect(scalarForMapping.keyPath == "entities[0]")
        #expect(scalarForMapping.message.hasPrefix("expected a mapping with keys name, join_key"))

        let listForTags = try #require(parseError("entities: [{name: d, join_key: k, tags: [a]}]\n"))
        #expect(listForTags.keyPath == "entities[0].tags")
        #expect(listForTags.message == "expected a mapping of names to strings, found a list")

        let quotedBool = try #require(parseError("""
            views: [{name: v, entities: [], source: s, online: "no", features: []}]
            """))
        #expect(quotedBool.keyPath == "views[0].online")
        #expect(quotedBool.message == "expected true or false, found 'no'")

        let documentList = try #require(parseError("- a\n- b\n"))
        #expect(documentList.keyPath == "")
        #expect(documentList.line == 1)
        #expect(documentList.message == "expected a mapping with keys entities, sources, views, services; found a list")
    }

    @Test func nullTagValueIsAnError() throws {
        let error = try #require(parseError("entities: [{name: d, join_key: k, tags: {team: }}]\n"))
        #expect(error.keyPath == "entities[0].tags.team")
        #expect(error.message == "expected a string, found nothing")
    }

    @Test func badEntityKeyTypeIsRejected() throws {
        let error = try #require(parseError("entities: [{name: d, join_key: k, type: int32}]\n"))
        #expect(error.keyPath == "entities[0].type")
        #expect(error.message == "unknown join key type 'int32'; expected int64 or string")
    }

    @Test func yamlSyntaxErrorKeepsYamsPosition() throws {
        let error = try #require(parseError("""
            entities:
              - name: driver
                join_key: [driver_id
            sources: []
            """))
        #expect(error.file == "defs.yaml")
        #expect(error.line == 4)
        #expect(error.column != nil)
        #expect(error.keyPath == "")
        #expect(error.message == "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 3)")
    }

    @Test func secondDocumentIsAnError() throws {
        let error = try #require(parseError("entities: []\n---\nviews: []\n"))
        #expect(error.line == 2)
        #expect(error.message == "invalid YAML: expected a single document in the stream, but found another document")
    }

    @Test func anchorsWorkButMergeKeysAreUnknownKeys() throws {
        let parsed = try Definitions(yaml: """
            views:
              - name: a
                entities: []
                source: s
                tags: &common {team: rides}
                features: []
              - name: b
                entities: []
                source: s
                tags: *common
                features: []
            """)
        #expect(parsed.views.map(\.tags) == [["team": "rides"], ["team": "rides"]])

        let merge = try #require(parseError("""
            entities:
              - &base {name: a, join_key: k}
              - <<: *base
                name: b
            """))
        #expect(merge.keyPath == "entities[1].<<")
        #expect(merge.line == 3)
    }

    @Test func badIndentationIsASyntaxError() throws {
        let error = try #require(parseError("entities:\n  - name: driver\n   join_key: x\n"))
        #expect(error.line == 3)
        #expect(error.message.hasPrefix("invalid YAML: "))
    }

    @Test func controlCharacterIsAReaderErrorWithItsPosition() throws {
        let error = try #require(parseError("entities:\n  - name: a\u{7}\n"))
        #expect(error.line == 2)
        #expect(error.column == 12)
        #expect(error.message == "invalid YAML: control characters are not allowed")
    }

    @Test func duplicateKeyIsAnError() throws {
        let error = try #require(parseError("entities:\n  - name: a\n    join_key: k\n    name: b\n"))
        #expect(error.line == 2)
        #expect(error.message == "duplicate key 'name' in one mapping")
    }

    // MARK: Sources

    @Test func sourceNeedsExactlyOneInput() throws {
        let none = try #require(parseError("sources:\n  - name: s\n    description: nothing\n"))
        #expect(none.line == 2)
        #expect(none.keyPath == "sources[0]")
        #expect(none.message == "missing the input: give exactly one of csv: PATH, jsonl: PATH, parquet: PATH or push: true")

        let two = try #require(parseError("sources:\n  - name: s\n    csv: a.csv\n    jsonl: a.jsonl\n"))
        #expect(two.line == 4)
        #expect(two.keyPath == "sources[0].jsonl")
        #expect(two.message == "a source takes exactly one of csv, jsonl, parquet and push; this one already has csv")

        let pushFalse = try #require(parseError("sources: [{name: s, push: false}]\n"))
        #expect(pushFalse.keyPath == "sources[0].push")
        #expect(pushFalse.message.hasPrefix("push: false names no input"))
    }

    @Test func delimiterIsOneCharacterAndOnlyForCSV() throws {
        let parsed = try Definitions(yaml: "sources: [{name: s, csv: a.tsv, delimiter: \"\\t\"}]\n")
        #expect(parsed.sources.first?.kind == .csv(path: "a.tsv", delimiter: "\t"))

        let long = try #require(parseError("sources: [{name: s, csv: a.csv, delimiter: ';;'}]\n"))
        #expect(long.keyPath == "sources[0].delimiter")
        #expect(long.message.hasPrefix("the delimiter must be one character, found ';;'"))

        let forJSON = try #require(parseError("sources:\n  - name: s\n    jsonl: a.jsonl\n    delimiter: ';'\n"))
        #expect(forJSON.line == 4)
        #expect(forJSON.keyPath == "sources[0].delimiter")
        #expect(forJSON.message == "delimiter applies only to csv sources")
    }

    @Test(arguments: [
        ("iso8601", TimestampFormat.iso8601), ("epoch_seconds", .epochSeconds),
        ("epoch_millis", .epochMilliseconds), ("epoch_micros", .epochMicroseconds),
    ])
    func timestampFormatNames(name: String, format: TimestampFormat) throws {
        let parsed = try Definitions(yaml: "sources: [{name: s, push: true, timestamp_format: \(name)}]\n")
        #expect(parsed.sources.first?.timestampFormat == format)
    }

    @Test func unknownTimestampFormatIsRejected() throws {
        let error = try #require(parseError("sources: [{name: s, push: true, timestamp_format: unix}]\n"))
        #expect(error.keyPath == "sources[0].timestamp_format")
        #expect(error.message == "unknown timestamp format 'unix'; expected one of iso8601, epoch_seconds, epoch_millis, epoch_micros")
    }

    // MARK: Timezones

    @Test(arguments: [
        ("UTC", 0), ("Z", 0), ("+00:00", 0), ("+02:00", 7_200), ("-05:30", -19_800), ("+14:00", 50_400),
    ])
    func timezoneBecomesAnAssumedOffset(timezone: String, seconds: Int) throws {
        #expect(utcOffsetSeconds(fromTimezone: timezone) == seconds)
        let parsed = try Definitions(yaml: "sources: [{name: s, csv: a.csv, timezone: \"\(timezone)\"}]\n")
        #expect(parsed.sources.first?.timestampFormat == .iso8601AssumingOffset(seconds: seconds))
    }

    @Test func unquotedTimezoneOffsetIsReadAsWritten() throws {
        let parsed = try Definitions(yaml: "sources:\n  - name: s\n    csv: a.csv\n    timezone: +02:00\n")
        #expect(parsed.sources.first?.timestampFormat == .iso8601AssumingOffset(seconds: 7_200))
    }

    @Test(arguments: ["utc", "CET", "+2:00", "+0200", "+24:00", "+01:60", "02:00", "+01:00 ", "+٠١:٠٠"])
    func badTimezonesAreRejected(timezone: String) throws {
        #expect(utcOffsetSeconds(fromTimezone: timezone) == nil)
        let error = try #require(parseError("sources: [{name: s, csv: a.csv, timezone: \"\(timezone)\"}]\n"))
        #expect(error.keyPath == "sources[0].timezone")
        #expect(error.message == "invalid timezone '\(timezone)'; expected UTC, Z, +HH:MM or -HH:MM")
    }

    @Test func timezoneOnlyWithISO8601() throws {
        let error = try #require(parseError("""
            sources: [{name: s, csv: a.csv, timestamp_format: epoch_seconds, timezone: UTC}]
            """))
        #expect(error.keyPath == "sources[0].timezone")
        #expect(error.message.hasPrefix("timezone applies only to timestamp_format iso8601"))
    }

    // MARK: Durations

    @Test(arguments: [
        ("0", Duration.zero), ("90", .seconds(90)), ("1d", .seconds(86_400)), ("12h", .seconds(43_200)),
        ("1h30m", .seconds(5_400)), ("90s", .seconds(90)), ("500ms", .milliseconds(500)),
        ("1d2h3m4s5ms", .milliseconds(93_784_005)), ("0s", .zero), ("-1d", .seconds(-86_400)),
        ("-1h30m", .seconds(-5_400)),
    ])
    func durationsParse(text: String, expected: Duration) throws {
        #expect(try parseDuration(text) == expected)
    }

    @Test(arguments: ["1x", "", "-", "d", "1h 30m", "1.5h", "30m1h", "1m30m", "+1d", "h1", "1hh",
                      "99999999999999999999", "9223372036854775807d"])
    func badDurationsAreRejected(text: String) {
        #expect(throws: DurationSyntaxError.self) { try parseDuration(text) }
    }

    @Test(arguments: [
        (Duration.zero, "0"), (.seconds(86_400), "1d"), (.seconds(5_400), "1h30m"), (.seconds(90), "1m30s"),
        (.milliseconds(500), "500ms"), (.milliseconds(93_784_005), "1d2h3m4s5ms"), (.seconds(-86_400), "-1d"),
        (.seconds(172_800 + 60), "2d1m"),
    ])
    func formatDurationGivesTheShortestSpellingAndRoundTrips(duration: Duration, text: String) throws {
        #expect(formatDuration(duration) == text)
        #expect(try parseDuration(text) == duration)
    }

    @Test func formatDurationShowsSubMillisecondDurationsExactly() {
        #expect(formatDuration(.microseconds(1_500)) == Duration.microseconds(1_500).description)
    }

    @Test func badTTLNamesTheView() throws {
        let error = try #require(parseError("""
            views:
              - name: v
                entities: []
                source: s
                ttl: 1x
                features: []
            """))
        #expect(error.line == 5)
        #expect(error.column == 10)
        #expect(error.keyPath == "views[0].ttl")
        #expect(error.message == "invalid duration '1x': unknown unit 'x'; units are d, h, m, s, ms")
    }

    @Test func negativeTTLParsesForValidationToReject() throws {
        let parsed = try Definitions(yaml: "views: [{name: v, entities: [], source: s, ttl: -1d, features: []}]\n")
        #expect(parsed.views.first?.ttl == .seconds(-86_400))
    }

    // MARK: Files

    @Test func readsAFile() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/features.yaml"
            try Self.completeDocument.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(try Definitions(contentsOfFile: path) == Self.completeDefinitions)
        }
    }

    @Test func errorsFromAFileNameThePath() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/features.yaml"
            try "entities:\n  - name: driver\n".write(toFile: path, atomically: true, encoding: .utf8)
            let error = #expect(throws: DefinitionsFileError.self) { try Definitions(contentsOfFile: path) }
            #expect(error?.file == path)
            #expect(error?.line == 2)
            #expect(error?.keyPath == "entities[0].join_key")
        }
    }

    @Test func fileThatIsNotUTF8IsAnError() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/latin1.yaml"
            try Data([0x65, 0x3A, 0x20, 0xE9, 0x0A]).write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: DefinitionsFileError.self) { try Definitions(contentsOfFile: path) }
            #expect(error?.line == nil)
            #expect(error?.message == "not UTF-8 text: the byte at offset 3 (0xe9) is not valid UTF-8")
        }
    }

    @Test func missingFileHasNoLine() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/absent.yaml"
            let error = #expect(throws: DefinitionsFileError.self) { try Definitions(contentsOfFile: path) }
            #expect(error == DefinitionsFileError(file: path, line: nil, column: nil, keyPath: "", message: "no such file"))
            #expect(error?.description == "\(path): no such file")
        }
    }
}

/// Keeps Docs/Definitions.md true: its example parses to what its Swift section builds, and the
/// error lines it shows are the ones Larder prints.
extension DefinitionsFileTests {
    @Suite struct Documentation {
        static let documentation: String = {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            return (try? String(contentsOf: root.appendingPathComponent("Docs/Definitions.md"), encoding: .utf8)) ?? ""
        }()

        /// The first ```yaml block of the documentation.
        static var exampleYAML: String {
            guard let start = documentation.range(of: "```yaml\n"),
                  let end = documentation.range(of: "\n```", range: start.upperBound..<documentation.endIndex)
            else { return "" }
            return String(documentation[start.upperBound..<end.lowerBound])
        }

        /// The Swift section of the documentation, verbatim.
        static var exampleInSwift: Definitions {
            let driver = Entity("driver", joinKey: "driver_id", description: "A driver on the platform", tags: ["team": "rides"])
            let customer = Entity("customer", joinKey: "customer_id", type: .string, description: "A rider, keyed by account id")

            let driverStats = Source(
                "driver_stats",
                kind: .csv(path: "data/driver_stats.csv", delimiter: ","),
                columnMapping: ["ts": "event_timestamp"],
                timestampFormat: .iso8601AssumingOffset(seconds: 7_200),
                description: "Hourly statistics exported by the trips pipeline"
            )
            let trips = Source(
                "trips",
                kind: .jsonLines(path: "data/trips.jsonl"),
                timestampFormat: .epochMilliseconds,
                description: "One line per completed trip"
            )

            let driverHourlyStats = FeatureView(
                "driver_hourly_stats", entities: [driver], source: driverStats,
                ttl: .seconds(86_400), createdTimestampColumn: "created"
            ) {
                Field("conv_rate", .float32, description: "Share of offers accepted")
                Field("acc_rate", .float32)
                Field("avg_daily_trips", .int64)
                Field("embedding", .float32List, description: "Learned driver embedding")
            }
            .owner("rides-ml@example.com")
            .description("Driver quality over the last hour")
            .tags(["tier": "gold"])

            let driverCustomerTrips = FeatureView(
                "driver_customer_trips", entities: [driver, customer], source: trips,
                ttl: .seconds(30 * 86_400), timestampColumn: "completed_at"
            ) {
                Field("trips_together", .int32)
                Field("last_rating", .float64)
            }

            let driverRanking = FeatureService(
                "driver_ranking",
                features: ["driver_hourly_stats:conv_rate", "driver_hourly_stats:acc_rate", "driver_customer_trips"],
                description: "What the ranking model reads",
                tags: ["model": "ranker_v3"]
            )

            let definitions = Definitions(
                entities: [driver, customer],
                sources: [driverStats, trips],
                views: [driverHourlyStats, driverCustomerTrips],
                services: [driverRanking]
            )
            return definitions
        }

        @Test func exampleParsesToTheSwiftEquivalent() throws {
            #expect(!Self.exampleYAML.isEmpty)
            #expect(try Definitions(yaml: Self.exampleYAML) == Self.exampleInSwift)
        }

        @Test func exampleIsValid() throws {
            try Self.exampleInSwift.validate()
        }

        /// The example with one line (1-based) replaced, or removed when `replacement` is nil.
        static func example(replacingLine line: Int, with replacement: String?) -> String {
            var lines = exampleYAML.components(separatedBy: "\n")
            if let replacement { lines[line - 1] = replacement } else { lines.remove(at: line - 1) }
            return lines.joined(separator: "\n")
        }

        @Test(arguments: [
            (37, "        type: float", "features.yaml:37:15: views[0].features[1].type: unknown value type 'float'"),
            (7, nil, "features.yaml:6:5: entities[1].join_key: missing required key"),
            (4, "    descripton: A driver on the platform", "features.yaml:4:5: entities[0].descripton: unknown key 'descripton'"),
            (47, "    ttl: 30x", "features.yaml:47:10: views[1].ttl: invalid duration '30x': unknown unit 'x'"),
            (44, "    entities: [driver, customer", "features.yaml:45:11: invalid YAML: "),
        ] as [(Int, String?, String)])
        func documentedErrorsAreTheOnesLarderPrints(line: Int, replacement: String?, expectedStart: String) throws {
            let error = try #require(parseError(Self.example(replacingLine: line, with: replacement), file: "features.yaml"))
            #expect(error.description.hasPrefix(expectedStart))
            let shown = Self.documentation.components(separatedBy: "\n").filter { $0.hasPrefix("features.yaml:") }
            #expect(shown.contains(error.description), "Docs/Definitions.md should show: \(error.description)")
        }
    }
}
