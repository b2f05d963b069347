import ArgumentParser
import Larder

/// `larder services [NAME]`: list the applied feature services, or describe one.
struct Services: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the applied feature services, or describe one.")

    @Argument(help: "A feature service to describe.")
    var name: String?

    @OptionGroup var location: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let registry = try location.openStore(readOnly: true).registry
        let definitions = registry.definitions
        guard let name else {
            if output.json {
                JSON.array(definitions.services.map { json($0, definitions, registry) }).print()
                return
            }
            var table = TableFormatter(["service", "features>", "views", "description"])
            for service in definitions.services {
                let columns = Self.expand(service, in: definitions)
                let views = Array(Set(columns.map(\.view))).sorted()
                table.append([service.name, String(columns.count), views.joined(separator: ", "), service.description])
            }
            print(table.render())
            return
        }
        guard let service = definitions.service(named: name) else {
            throw CLIError.data("no feature service '\(name)' in \(location.storePath)\(Describe.known(definitions.services.map(\.name)))")
        }
        if output.json {
            json(service, definitions, registry).print()
            return
        }
        var details = DetailsFormatter()
        details.append("service", service.name)
        if !service.description.isEmpty { details.append("description", service.description) }
        if !service.tags.isEmpty { details.append("tags", Describe.tags(service.tags)) }
        details.append("references", service.features.map(\.description).joined(separator: ", "))
        if let history = registry.history(of: .service(name)) { details.append("registry", Describe.history(history)) }
        print(details.render())
        print("")
        var table = TableFormatter(["view", "feature", "type"])
        for column in Self.expand(service, in: definitions) {
            table.append([column.view, column.feature, column.type])
        }
        print(table.render())
    }

    /// The service's features, whole views expanded, in order.
    static func expand(_ service: FeatureService, in definitions: Definitions) -> [(view: String, feature: String, type: String)] {
        service.features.flatMap { reference -> [(view: String, feature: String, type: String)] in
            guard let view = definitions.view(named: reference.view) else { return [(reference.view, reference.feature ?? "*", "?")] }
            let fields = reference.feature.map { name in view.features.filter { $0.name == name } } ?? view.features
            return fields.map { (view.name, $0.name, $0.type.description) }
        }
    }

    private func json(_ service: FeatureService, _ definitions: Definitions, _ registry: Registry) -> JSON {
        .object([
            ("name", .string(service.name)),
            ("description", .string(service.description)),
            ("tags", Describe.json(service.tags)),
            ("references", .array(service.features.map { .string($0.description) })),
            ("features", .array(Self.expand(service, in: definitions).map { column in
                JSON.object([("view", .string(column.view)), ("feature", .string(column.feature)), ("type", .string(column.type))])
            })),
            ("registry", Describe.json(registry.history(of: .service(service.name)))),
        ])
    }
}
