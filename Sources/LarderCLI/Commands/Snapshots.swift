import ArgumentParser
import Larder

/// `larder snapshots`: the materialization runs, oldest first.
struct Snapshots: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, show and compare snapshots (one per materialization run).",
        subcommands: [SnapshotsList.self, SnapshotsShow.self, SnapshotsDiff.self],
        defaultSubcommand: SnapshotsList.self)
}

/// `larder snapshots [list]`.
struct SnapshotsList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the snapshots, oldest first.")

    @OptionGroup var location: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let snapshots = try location.openStore(readOnly: true).snapshots()
        if output.json {
            JSON.array(snapshots.map(SnapshotOutput.json)).print()
            return
        }
        guard !snapshots.isEmpty else {
            print("No snapshots in \(location.storePath) yet: run `larder materialize START END`.")
            return
        }
        var table = TableFormatter(["id>", "kind", "views", "read>", "written>", "rejected>", "event times", "finished", "took>"])
        for snapshot in snapshots {
            table.append([String(snapshot.id), snapshot.kind.rawValue, snapshot.views.map(\.view).joined(separator: ", "),
                          Format.count(snapshot.rowsRead), Format.count(snapshot.rowsWritten), Format.count(snapshot.rowsRejected),
                          SnapshotOutput.interval(snapshot), Format.wallClock(snapshot.finishedAt),
                          Format.seconds(SnapshotOutput.seconds(snapshot))])
        }
        print(table.render())
    }
}
