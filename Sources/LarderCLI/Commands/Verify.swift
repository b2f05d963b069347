import ArgumentParser
import Foundation
import Larder

/// `larder verify`: read every record and check it.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check every record of the store against the registry and the storage format.",
        discussion: """
            Checks LMDB's B-tree pages from the file, then, in one read transaction (writers may go \
            on), meta values and counters, snapshot records, the named databases, and every \
            history and online record of every view. \
            Exit status 0 when nothing is wrong, 2 when something is (each problem printed with \
            where it is). LMDB keeps no checksums: see Docs/Reliability.md for what this can and \
            cannot see.
            """)

    @OptionGroup var location: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let store = try location.openStore(readOnly: true)
        let (report, seconds) = try timed { try store.verify() }
        if output.json {
            JSON.object([
                ("clean", .bool(report.isClean)), ("problems", .int(report.problemCount)),
                ("records", .int(report.records)), ("databases", .int(report.databases)), ("seconds", .double(seconds)),
                ("details", .array(report.problems.map { JSON.object([("place", .string($0.place)), ("reason", .string($0.reason))]) })),
            ]).print()
        } else {
            for problem in report.problems { print(problem.description) }
            if report.problemCount > report.problems.count {
                print("… and \(Format.count(report.problemCount - report.problems.count)) more problems.")
            }
            print("Checked \(Format.count(report.records)) records in \(report.databases) databases of \(location.storePath) in \(Format.seconds(seconds)): "
                + (report.isClean ? "no problems found." : "\(Format.count(report.problemCount)) problems."))
        }
        if !report.isClean {
            throw CLIError.data("verify found \(report.problemCount) problem\(report.problemCount == 1 ? "" : "s") in \(location.storePath)")
        }
    }
}
