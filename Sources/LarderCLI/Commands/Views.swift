import ArgumentParser
import Larder

/// `larder views [NAME]`: list the applied feature views, or describe one.
struct Views: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the applied feature views, or describe one.")

    @Argument(help: "A feature view to describe.")
    var name: String?

    @OptionGroup var location: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let store = try location.openStore(readOnly: true)
        let registry = try store.registry
        let definitions = registry.definitions
        let watermarks = try Self.watermarks(store)
        guard let name else {
            if output.json {
                JSON.array(definitions.views.map { json($0, definitions, registry, watermarks) }).print()
                return
            }
            var table = TableFormatter(["view", "entities", "features>", "ttl", "online", "source", "materialized up to"])
            for view in definitions.views {
                table.append([view.name, view.entities.joined(separator: ", "), String(view.features.count), Format.ttl(view.ttl),
                              view.online ? "yes" : "no", view.source, Format.time(watermarks[view.name])])
            }
            print(table.render())
            return
        }
        guard let view = definitions.view(named: name) else {
            throw CLIError.data("no feature view '\(name)' in \(location.storePath)\(Describe.known(definitions.views.map(\.name)))")
        }
        if output.json {
            json(view, definitions, registry, watermarks).print()
            return
        }
        var details = DetailsFormatter()
        details.append("view", view.name)
        let keys = view.entities.map { entity in definitions.entity(named: entity).map { "\(entity) (\($0.joinKey))" } ?? entity }
        details.append("entities", keys.isEmpty ? "none" : keys.joined(separator: ", "))
        details.append("source", Self.describe(definitions.source(named: view.source), name: view.source))
        details.append("timestamp", view.timestampColumn + (view.createdTimestampColumn.map { ", created: \($0)" } ?? ""))
        details.append("ttl", Format.ttl(view.ttl))
        details.append("online", view.online ? "yes" : "no (history only)")
        if !view.owner.isEmpty { details.append("owner", view.owner) }
        if !view.description.isEmpty { details.append("description", view.description) }
        if !view.tags.isEmpty { details.append("tags", Describe.tags(view.tags)) }
        details.append("materialized up to", Format.time(watermarks[view.name]))
        if let history = registry.history(of: .view(name)) { details.append("registry", Describe.history(history)) }
        print(details.render())
        print("")
        var table = TableFormatter(["feature", "type", "description"])
        for field in view.features { table.append([field.name, field.type.description, field.description]) }
        print(table.render())
    }

    /// Each view's watermark: the end of the interval of its last materialization.
    static func watermarks(_ store: FeatureStore) throws -> [String: Timestamp] {
        var watermarks: [String: Timestamp] = [:]
        for snapshot in try store.snapshots() where snapshot.kind == .materialization {
            for run in snapshot.views { watermarks[run.view] = run.watermarkAfter }
        }
        return watermarks
    }

    static func describe(_ source: Source?, name: String) -> String {
        guard let source else { return name }
        switch source.kind {
        case .csv(let path, _): return "\(name) (csv \(path))"
        case .jsonLines(let path): return "\(name) (jsonl \(path))"
        case .parquet(let path): return "\(name) (parquet \(path))"
        case .push: return "\(name) (push)"
        }
    }

    private func json(_ view: FeatureView, _ definitions: Definitions, _ registry: Registry, _ watermarks: [String: Timestamp]) -> JSON {
        .object([
            ("name", .string(view.name)),
            ("entities", .array(view.entities.map { .string($0) })),
            ("source", .string(view.source)),
            ("timestamp_field", .string(view.timestampColumn)),
            ("created_timestamp_field", .string(view.createdTimestampColumn)),
            ("ttl_seconds", .int(view.ttl.components.seconds)),
            ("online", .bool(view.online)),
            ("owner", .string(view.owner)),
            ("description", .string(view.description)),
            ("tags", Describe.json(view.tags)),
            ("features", .array(view.features.map { field in
                JSON.object([("name", .string(field.name)), ("type", .string(field.type.description)), ("description", .string(field.description))])
            })),
            ("materialized_up_to", .time(watermarks[view.name])),
            ("registry", Describe.json(registry.history(of: .view(view.name)))),
        ])
    }
}
