import ArgumentParser
import Larder

/// `larder snapshots show N`.
struct SnapshotsShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show what one snapshot read and wrote, per view, and the statistics of its features.")

    @Argument(help: "The snapshot id.")
    var id: UInt64

    @OptionGroup var location: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let store = try location.openStore(readOnly: true)
        guard let snapshot = try store.snapshot(id) else {
            let ids = try store.snapshots().map(\.id)
            let known = ids.isEmpty ? "there are none" : "ids run from \(ids.first!) to \(ids.last!)"
            throw CLIError.data("no snapshot \(id) in \(location.storePath) (\(known))")
        }
        let statistics = try store.statistics(snapshot: id)
        if output.json {
            guard case .object(var fields) = SnapshotOutput.json(snapshot) else { return }
            fields.append(("statistics", StatisticsOutput.json(statistics)))
            JSON.object(fields).print()
            return
        }
        var details = DetailsFormatter()
        details.append("snapshot", "\(snapshot.id) (\(snapshot.kind.rawValue))")
        details.append("started", Format.wallClock(snapshot.startedAt))
        details.append("finished", "\(Format.wallClock(snapshot.finishedAt)) (\(Format.seconds(SnapshotOutput.seconds(snapshot))))")
        details.append("rows", "\(Format.count(snapshot.rowsRead)) read, \(Format.count(snapshot.rowsWritten)) written, \(Format.count(snapshot.rowsRejected)) rejected")
        if let rejects = snapshot.rejectsFile { details.append("rejects", rejects) }
        print(details.render())
        print("")
        print(SnapshotOutput.viewTable(snapshot).render())
        let sources = snapshot.views.compactMap { run in run.source.map { (run.view, $0) } }
        if !sources.isEmpty {
            print("")
            var table = TableFormatter(["view", "source", "size>", "checksum", "modified"])
            for (view, source) in sources {
                table.append([view, source.path, Format.bytes(source.size), source.checksum, Format.wallClock(source.modifiedAt)])
            }
            print(table.render())
        }
        if !statistics.isEmpty {
            print("")
            print(StatisticsOutput.table(statistics).render())
        }
    }
}
