import ArgumentParser
import Larder

/// `larder recover`: roll back what a run that died left behind.
struct Recover: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Roll back a materialization or push that died midway.",
        discussion: """
            A run that dies (killed, out of memory, a lost machine) leaves rows that readers never \
            see; the next run removes them by itself. This does it now. A run is judged dead \
            exactly when it no longer holds the store's run lock, so a live run in another \
            process or container is never touched: then this exits 75, like any busy command.
            """)

    @OptionGroup var location: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let store = try location.openStore()
        let abandoned = try store.recoverAbandonedRun()
        if output.json {
            JSON.object([
                ("recovered", .bool(abandoned != nil)),
                ("snapshot", abandoned.map { .uint($0.snapshot) } ?? .null),
                ("process", abandoned.map { .int(Int($0.process)) } ?? .null),
                ("views", .array((abandoned?.views ?? []).map { .string($0) })),
            ]).print()
        } else if let abandoned {
            let views = abandoned.views.isEmpty ? "its views (since deleted)" : abandoned.views.joined(separator: ", ")
            print("Rolled back the run of snapshot \(abandoned.snapshot) (process \(abandoned.process)), which died midway: "
                + "its rows are removed from \(views) and the online values it replaced are back.")
        } else {
            print("Nothing to recover: no run was left midway in \(location.storePath).")
        }
    }
}
