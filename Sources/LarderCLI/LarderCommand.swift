import ArgumentParser
import Foundation

@main
struct LarderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "larder",
        abstract: "An embeddable feature store on LMDB.",
        discussion: """
            A feature repository is a directory with a features.yaml; its store is a directory \
            (.larder beside it unless --store says otherwise). Exit status: 0 on success, 1 for \
            a usage error, 2 for a data error (definitions, sources, the store), 75 when another \
            run holds the store (try again later, or pass --wait).
            """,
        version: "0.1.0",
        subcommands: [
            Init.self, PlanCommand.self, Apply.self, Delete.self,
            Entities.self, Views.self, Services.self,
            Materialize.self, MaterializeIncremental.self,
            Get.self, Historical.self, Serve.self,
            Snapshots.self, Stats.self, DriftCommand.self, Report.self, Expire.self, Export.self, Recover.self, Verify.self,
            Demo.self,
        ]
    )

    /// Parses and runs a command with Larder's exit statuses: ArgumentParser's usage errors
    /// exit 1 (not 64), errors from the data exit 2, each as one line on standard error.
    static func main() {
        let arguments = movingSharedOptions(Array(CommandLine.arguments.dropFirst()))
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }  // --help, --version
            let path = commandPath(arguments)
            printError("larder\(path): \(lowercasingFirstWord(message(for: error))) (see `larder\(path) --help`)")
            Foundation.exit(Exit.usage)
        }
        do {
            try command.run()
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            let (status, message) = Exit.classify(error)
            var lines = message.split(separator: "\n", omittingEmptySubsequences: false)
            let first = lines.isEmpty ? "" : String(lines.removeFirst())
            printError("larder: \(first)")
            for line in lines { printError(String(line)) }
            Foundation.exit(status)
        }
        Foundation.exit(Exit.success)
    }

    /// `larder --store S get …` → `larder get --store S …`: the options every store command
    /// takes may come before the subcommand, where people tend to write them.
    static func movingSharedOptions(_ arguments: [String]) -> [String] {
        var shared: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if ["--store", "--file", "-f"].contains(argument), index + 1 < arguments.count {
                shared += arguments[index...index + 1]
                index += 2
            } else if argument.hasPrefix("--store=") || argument.hasPrefix("--file=") || argument == "--json" {
                shared.append(argument)
                index += 1
            } else {
                break
            }
        }
        guard !shared.isEmpty else { return arguments }
        var rest = Array(arguments[index...])
        let depth = commandPath(rest).split(separator: " ").count
        guard depth > 0 else { return arguments }
        rest.insert(contentsOf: shared, at: depth)
        return rest
    }

    /// ArgumentParser's sentences ("Missing expected argument …") in the style of the others.
    private static func lowercasingFirstWord(_ message: String) -> String {
        guard let first = message.first, first.isUppercase, message.dropFirst().first?.isLowercase == true else { return message }
        return first.lowercased() + message.dropFirst()
    }

    /// ` snapshots show`: the subcommand names at the start of `arguments`.
    private static func commandPath(_ arguments: [String]) -> String {
        var path = ""
        var command: ParsableCommand.Type = self
        for argument in arguments {
            guard let next = command.configuration.subcommands.first(where: { $0._commandName == argument }) else { break }
            path += " " + argument
            command = next
        }
        return path
    }
}
