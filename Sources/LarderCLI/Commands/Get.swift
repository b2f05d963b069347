import ArgumentParser
import Foundation
import Larder

/// `larder get`: online lookups of features for entity keys.
struct Get: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Look up the latest feature values (or those as of a time or snapshot) for entities.",
        discussion: """
            Each --entity gives a join key and its value; several values separated by commas make \
            several entity rows (driver_id=1001,1002). Views with several entities read each of \
            their keys from the same row. Each value comes with a status: present, null, \
            not_found, or outside_max_age (older than the view's ttl, measured from --now, --as-of \
            or the current time).
            """)

    @Option(name: .customLong("features"), parsing: .upToNextOption,
            help: ArgumentHelp("Feature references: view:feature, or view for all its features (commas or spaces between them).", valueName: "ref"))
    var features: [String] = []

    @Option(help: ArgumentHelp("A feature service instead of --features.", valueName: "name"))
    var service: String?

    @Option(name: .customLong("entity"), help: ArgumentHelp("A join key and its value(s): driver_id=1001 or driver_id=1001,1002 (repeatable).", valueName: "key=value"))
    var entities: [String] = []

    @Option(name: .customLong("as-of"), help: ArgumentHelp("Look up the values current at this time, from history.", valueName: "time"),
            transform: TimeParsing.timestamp)
    var asOf: Timestamp?

    @Option(help: ArgumentHelp("Look up what a latest lookup returned right after this snapshot committed.", valueName: "id"))
    var snapshot: UInt64?

    @Option(help: ArgumentHelp("Measure ttls from this time instead of the current time.", valueName: "time"), transform: TimeParsing.timestamp)
    var now: Timestamp?

    @Flag(name: .customLong("full-feature-names"), help: "Name features view__feature.")
    var fullFeatureNames = false

    @OptionGroup var location: StoreOptions
    @OptionGroup var output: OutputOptions

    var references: [FeatureReference] {
        features.flatMap { $0.split(separator: ",") }.map { FeatureReference(parsing: $0.trimmingCharacters(in: .whitespaces)) }
    }

    func validate() throws {
        if features.isEmpty == (service == nil) { throw ValidationError("give either --features or --service") }
        if entities.isEmpty { throw ValidationError("give at least one --entity KEY=VALUE") }
        if asOf != nil, snapshot != nil { throw ValidationError("--as-of and --snapshot cannot be combined") }
        for entity in entities where !entity.contains("=") {
            throw ValidationError("--entity '\(entity)' is not KEY=VALUE")
        }
    }

    func run() throws {
        let store = try location.openStore(readOnly: true)
        let rows = try EntityKeys.parse(entities, registry: try store.registry)
        let options = OnlineOptions(fullFeatureNames: fullFeatureNames, asOf: asOf, asOfSnapshot: snapshot, now: now)
        let response = try service.map { try store.onlineFeatures(service: $0, for: rows.rows, options: options) }
            ?? store.onlineFeatures(references, for: rows.rows, options: options)
        if output.json {
            OnlineOutput.json(response, keys: rows.keys, rows: rows.rows).print()
        } else {
            print(OnlineOutput.table(response, keys: rows.keys, rows: rows.rows).render())
        }
    }
}

/// `KEY=VALUE[,VALUE…]` arguments turned into entity rows, typed by the registry's entities.
enum EntityKeys {
    static func parse(_ arguments: [String], registry: Registry) throws -> (keys: [String], rows: [[String: FeatureValue]]) {
        let entities = registry.definitions.entities
        var keys: [String] = []
        var columns: [[FeatureValue]] = []
        for argument in arguments {
            let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0])
            guard let entity = entities.first(where: { $0.joinKey == key }) else {
                throw CLIError.data("--entity \(argument): no entity has join key '\(key)'\(Describe.known(entities.map(\.joinKey)))")
            }
            guard !keys.contains(key) else { throw CLIError.usage("--entity \(key) is given twice; separate several values with commas") }
            let values = try parts[1].split(separator: ",", omittingEmptySubsequences: false).map { text -> FeatureValue in
                switch entity.keyType {
                case .string: return .string(String(text))
                case .int64:
                    guard let value = Int64(text) else {
                        throw CLIError.data("--entity \(argument): \(key) is an int64 key of entity \(entity.name); '\(text)' is not an integer")
                    }
                    return .int64(value)
                }
            }
            keys.append(key)
            columns.append(values)
        }
        let count = columns.map(\.count).max() ?? 0
        for (key, values) in zip(keys, columns) where values.count != count && values.count != 1 {
            throw CLIError.usage("--entity \(key) has \(values.count) values but another key has \(count); give one value or \(count)")
        }
        let rows = (0..<count).map { row in
            Dictionary(uniqueKeysWithValues: zip(keys, columns.map { $0.count == 1 ? $0[0] : $0[row] }))
        }
        return (keys, rows)
    }
}

/// How `get` (and `demo`) print online values: one line per entity row and feature.
enum OnlineOutput {
    static func table(_ response: OnlineResponse, keys: [String], rows: [[String: FeatureValue]]) -> TableFormatter {
        var table = TableFormatter(keys + ["feature", "value", "status", "event time"])
        for row in 0..<response.rowCount {
            for (column, name) in response.names.enumerated() {
                let value = response[row, column]
                table.append(keys.map { rows[row][$0]?.description ?? "" }
                    + [name, Format.value(value.value), status(value.status), Format.time(value.eventTime)])
            }
        }
        return table
    }

    static func status(_ status: FeatureStatus) -> String {
        switch status {
        case .present: "present"
        case .null: "null"
        case .notFound: "not_found"
        case .outsideMaxAge: "outside_max_age"
        }
    }

    static func json(_ response: OnlineResponse, keys: [String], rows: [[String: FeatureValue]]) -> JSON {
        .object([
            ("features", .array(response.names.map { .string($0) })),
            ("rows", .array((0..<response.rowCount).map { row in
                JSON.object([
                    ("entity", .object(keys.map { key in
                        (key, rows[row][key].map { .value($0) } ?? .null)
                    })),
                    ("values", .object(response.names.enumerated().map { column, name in
                        let value = response[row, column]
                        return (name, .object([("value", .value(value.value)), ("status", .string(status(value.status))),
                                               ("event_time", .time(value.eventTime))]))
                    })),
                ])
            })),
        ])
    }
}
