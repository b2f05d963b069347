import ArgumentParser
import Larder

/// `larder stats VIEW`: a view's feature statistics, as a snapshot stored them or over a window
/// of history computed now.
struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a view's feature statistics: those a snapshot stored, or a window of history's.",
        discussion: """
            With --snapshot, the statistics that snapshot's run stored for the view (the rows inside \
            its interval). With --from and --to, the statistics of the view's history rows whose \
            event time lies in [from, to), computed now (each row once, with its newest value; \
            --as-of-snapshot for the history as that snapshot left it). Docs/Monitoring.md.
            """)

    @Argument(help: "The view.")
    var view: String

    @Option(help: ArgumentHelp("The snapshot whose stored statistics to show.", valueName: "id"))
    var snapshot: UInt64?

    @Option(help: ArgumentHelp("The start of the window (inclusive).", valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("The end of the window (exclusive).", valueName: "time"))
    var to: String?

    @Option(name: .customLong("as-of-snapshot"), help: ArgumentHelp("With --from and --to: the history as this snapshot left it.", valueName: "id"))
    var asOfSnapshot: UInt64?

    @OptionGroup var location: StoreOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        switch (snapshot, from, to) {
        case (_?, nil, nil), (nil, _?, _?): break
        default: throw ValidationError("give --snapshot ID, or --from TIME and --to TIME")
        }
        if asOfSnapshot != nil, snapshot != nil { throw ValidationError("--as-of-snapshot goes with --from and --to, not --snapshot") }
    }

    func run() throws {
        let store = try location.openStore(readOnly: true)
        let statistics: [String: FeatureStatistics]
        let described: String
        if let snapshot {
            guard try store.registry.view(named: view) != nil else {
                throw LarderError.unknownView(name: view, known: try store.registry.definitions.views.map(\.name))
            }
            guard let stored = try store.statistics(snapshot: snapshot)[view] else {
                throw CLIError.data("snapshot \(snapshot) stored no statistics for view \(view) (its run did not cover the view, or ran with --no-statistics)")
            }
            statistics = stored
            described = "snapshot \(snapshot)"
        } else {
            let start = try TimeParsing.timestamp(from!), end = try TimeParsing.timestamp(to!)
            guard start < end else { throw CLIError.usage("--from must come before --to") }
            statistics = try store.statistics(of: view, from: start, to: end, asOfSnapshot: asOfSnapshot)
            guard statistics.values.contains(where: { $0.rows > 0 }) else {
                throw CLIError.data("view \(view) has no history rows with event times in [\(start), \(end))")
            }
            described = "\(start) → \(end)"
        }
        if output.json {
            StatisticsOutput.json([view: statistics]).print()
        } else {
            print("View \(view), \(described):")
            print(StatisticsOutput.table([view: statistics]).render())
        }
    }
}
