import ArgumentParser
import Larder

/// `larder snapshots diff A B`.
struct SnapshotsDiff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show the history rows added and changed, and the watermarks moved, from snapshot A to B.",
        discussion: "A may be 0: the empty store before the first snapshot.")

    @Argument(help: "The earlier snapshot id.")
    var from: UInt64

    @Argument(help: "The later snapshot id.")
    var to: UInt64

    @OptionGroup var location: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let diff = try location.openStore(readOnly: true).diff(from: from, to: to)
        if output.json {
            JSON.object([
                ("from", .uint(diff.from)), ("to", .uint(diff.to)),
                ("views", .array(diff.views.map { view in
                    JSON.object([
                        ("view", .string(view.view)), ("rows_added", .int(view.rowsAdded)), ("rows_changed", .int(view.rowsChanged)),
                        ("watermark_from", .time(view.watermarkFrom)), ("watermark_to", .time(view.watermarkTo)),
                    ])
                })),
            ]).print()
            return
        }
        print("Snapshot \(diff.from) → \(diff.to)")
        guard !diff.views.isEmpty else {
            print("  no changes")
            return
        }
        var table = TableFormatter(["view", "added>", "changed>", "watermark"])
        for view in diff.views {
            let watermark = view.watermarkFrom == view.watermarkTo
                ? Format.time(view.watermarkTo) : "\(Format.time(view.watermarkFrom)) → \(Format.time(view.watermarkTo))"
            table.append([view.view, Format.count(view.rowsAdded), Format.count(view.rowsChanged), watermark])
        }
        print(table.render(indent: "  "))
    }
}
