import ArgumentParser
import Foundation
import Larder

/// `larder plan`: what `apply` would change.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what `apply` would change in the store, without changing it.")

    @OptionGroup var location: StoreOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .customLong("delete-missing"), help: "Plan to delete stored objects the definitions do not mention.")
    var deleteMissing = false

    func run() throws {
        let definitions = try location.loadDefinitions()
        let options: ApplyOptions = deleteMissing ? [.deleteMissing] : []
        let plan: Plan
        let storeExists = FileManager.default.fileExists(atPath: location.storePath)
        if storeExists {
            plan = try location.openStore(readOnly: true).plan(definitions, options: options)
        } else {
            // No store yet: plan against an empty one, thrown away afterwards.
            let scratch = NSTemporaryDirectory() + "/larder-plan-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            plan = try FeatureStore.open(scratch).plan(definitions, options: options)
        }
        if output.json {
            PlanOutput.json(plan, registryVersion: nil).print()
        } else {
            print(plan.description)
            if !storeExists { print("(no store at \(location.storePath) yet: `larder apply` creates it)") }
        }
    }
}

/// How `plan`, `apply` and `delete` print a plan.
enum PlanOutput {
    /// The changes alone (`delete` mentions no objects, so "unchanged" and "kept" say nothing).
    static func changes(_ plan: Plan) -> String {
        var lines: [String] = []
        for change in plan.changes {
            switch change {
            case .added(let object): lines.append("+ \(object)")
            case .removed(let object): lines.append("- \(object)")
            case .changed(let object, let details): lines += ["~ \(object)"] + details.map { "    \($0)" }
            }
        }
        lines += plan.breakingChanges.map { "! breaking: \($0)" }
        return lines.joined(separator: "\n")
    }

    static func json(_ plan: Plan, registryVersion: UInt64?) -> JSON {
        var members: [(String, JSON)] = [
            ("changes", .array(plan.changes.map { change in
                switch change {
                case .added(let object): JSON.object([("change", "added"), ("kind", .string(object.kind)), ("name", .string(object.name))])
                case .removed(let object): JSON.object([("change", "removed"), ("kind", .string(object.kind)), ("name", .string(object.name))])
                case .changed(let object, let details):
                    JSON.object([("change", "changed"), ("kind", .string(object.kind)), ("name", .string(object.name)),
                                 ("details", .array(details.map { .string($0) }))])
                }
            })),
            ("unchanged", .array(plan.unchanged.map { .string($0.description) })),
            ("not_in_definitions", .array(plan.notInDefinitions.map { .string($0.description) })),
            ("breaking_changes", .array(plan.breakingChanges.map { .string($0) })),
        ]
        if let registryVersion { members.append(("registry_version", .uint(registryVersion))) }
        return .object(members)
    }
}
