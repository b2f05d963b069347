import ArgumentParser
import Larder

/// `larder entities [NAME]`: list the applied entities, or describe one.
struct Entities: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the applied entities, or describe one.")

    @Argument(help: "An entity to describe.")
    var name: String?

    @OptionGroup var location: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let registry = try location.openStore(readOnly: true).registry
        let definitions = registry.definitions
        if let name {
            guard let entity = definitions.entity(named: name) else {
                throw CLIError.data("no entity '\(name)' in \(location.storePath)\(Describe.known(definitions.entities.map(\.name)))")
            }
            let views = definitions.views.filter { $0.entities.contains(name) }.map(\.name)
            let history = registry.history(of: .entity(name))
            if output.json {
                Describe.json(entity, views: views, history: history).print()
                return
            }
            var details = DetailsFormatter()
            details.append("entity", entity.name)
            details.append("join key", "\(entity.joinKey) (\(entity.keyType.rawValue))")
            if !entity.description.isEmpty { details.append("description", entity.description) }
            if !entity.tags.isEmpty { details.append("tags", Describe.tags(entity.tags)) }
            details.append("views", views.isEmpty ? "none" : views.joined(separator: ", "))
            if let history { details.append("registry", Describe.history(history)) }
            print(details.render())
            return
        }
        if output.json {
            JSON.array(definitions.entities.map { entity in
                Describe.json(entity, views: definitions.views.filter { $0.entities.contains(entity.name) }.map(\.name),
                              history: registry.history(of: .entity(entity.name)))
            }).print()
            return
        }
        var table = TableFormatter(["entity", "join key", "type", "views", "description"])
        for entity in definitions.entities {
            let views = definitions.views.filter { $0.entities.contains(entity.name) }.map(\.name)
            table.append([entity.name, entity.joinKey, entity.keyType.rawValue, views.joined(separator: ", "), entity.description])
        }
        print(table.render())
    }
}

/// Shared pieces of `entities`, `views` and `services`.
enum Describe {
    /// `; known: a, b` for an error about an unknown name.
    static func known(_ names: [String]) -> String {
        names.isEmpty ? " (there are none)" : " (known: " + names.sorted().joined(separator: ", ") + ")"
    }

    static func tags(_ tags: [String: String]) -> String {
        tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
    }

    static func history(_ history: ObjectHistory) -> String {
        let created = Timestamp(microseconds: history.createdAt)
        let updated = Timestamp(microseconds: history.updatedAt)
        var text = "created in version \(history.createdInVersion) (\(Format.wallClock(created)))"
        if history.updatedInVersion != history.createdInVersion {
            text += ", changed in version \(history.updatedInVersion) (\(Format.wallClock(updated)))"
        }
        return text
    }

    static func json(_ history: ObjectHistory?) -> JSON {
        guard let history else { return .null }
        return .object([
            ("created_in_version", .uint(history.createdInVersion)),
            ("updated_in_version", .uint(history.updatedInVersion)),
            ("created_at", .time(Timestamp(microseconds: history.createdAt))),
            ("updated_at", .time(Timestamp(microseconds: history.updatedAt))),
        ])
    }

    static func json(_ tags: [String: String]) -> JSON {
        .object(tags.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
    }

    static func json(_ entity: Entity, views: [String], history: ObjectHistory?) -> JSON {
        .object([
            ("name", .string(entity.name)), ("join_key", .string(entity.joinKey)), ("type", .string(entity.keyType.rawValue)),
            ("description", .string(entity.description)), ("tags", json(entity.tags)),
            ("views", .array(views.map { .string($0) })), ("registry", json(history)),
        ])
    }
}
