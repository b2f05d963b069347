import ArgumentParser
import Larder

/// `larder delete KIND NAME…`: remove registry objects (a view's rows go with it).
struct Delete: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Delete entities, sources, views or services from the store.",
        discussion: "A deleted view's stored rows are deleted with it. What remains must still be valid: delete a service before the view it names.")

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case entity, source, view, service
    }

    @Argument(help: "What to delete: entity, source, view or service.")
    var kind: Kind

    @Argument(help: "The names of the objects.")
    var names: [String]

    @OptionGroup var location: StoreOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if names.isEmpty { throw ValidationError("name at least one \(kind.rawValue) to delete") }
    }

    func run() throws {
        let objects: [RegistryObject] = names.map { name in
            switch kind {
            case .entity: .entity(name)
            case .source: .source(name)
            case .view: .view(name)
            case .service: .service(name)
            }
        }
        let result = try location.openStore().delete(objects)
        if output.json {
            PlanOutput.json(result.plan, registryVersion: result.registryVersion).print()
            return
        }
        print(PlanOutput.changes(result.plan))
        print("Deleted from \(location.storePath): registry version \(result.registryVersion).")
    }
}
