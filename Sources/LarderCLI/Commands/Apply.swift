import ArgumentParser
import Larder

/// `larder apply`: commit the definitions file to the store.
struct Apply: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply the definitions file to the store (creating the store if needed).",
        discussion: "Prints the plan it applied. Applying the same definitions again changes nothing.")

    @OptionGroup var location: StoreOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var files: AccessOptions

    @Flag(name: .customLong("delete-missing"), help: "Delete stored objects the definitions do not mention.")
    var deleteMissing = false

    @Flag(name: .customLong("allow-breaking-changes"), help: "Apply changes that stored rows cannot follow (see Docs/Definitions.md).")
    var allowBreakingChanges = false

    func run() throws {
        let definitions = try location.loadDefinitions()
        var options: ApplyOptions = []
        if deleteMissing { options.insert(.deleteMissing) }
        if allowBreakingChanges { options.insert(.allowBreakingChanges) }
        let store = try location.openOrCreateStore(access: files.access)
        let result = try store.apply(definitions, options: options)
        if output.json {
            PlanOutput.json(result.plan, registryVersion: result.registryVersion).print()
            return
        }
        print(result.plan.description)
        if result.plan.isEmpty {
            print("Nothing to apply; \(location.storePath) is at registry version \(result.registryVersion).")
        } else {
            print("Applied to \(location.storePath): registry version \(result.registryVersion).")
        }
    }
}
