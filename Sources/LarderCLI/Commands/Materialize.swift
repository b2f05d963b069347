import ArgumentParser
import Foundation
import Larder

/// `larder materialize START END`: load the source rows of an event-time interval.
struct Materialize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load source rows with START <= event time < END into history and the online tables.",
        discussion: """
            One atomic commit, recorded as a snapshot. An invalid row stops the run and commits \
            nothing, unless --skip-invalid writes it to the --rejects file instead. Relative source \
            paths are read from the directory of the definitions file.
            """)

    @Argument(help: "The start of the interval (inclusive): 2024-05-01, 2024-05-01T12:00:00Z, epoch seconds, now-1d.",
              transform: TimeParsing.timestamp)
    var start: Timestamp

    @Argument(help: "The end of the interval (exclusive).", transform: TimeParsing.timestamp)
    var end: Timestamp

    @OptionGroup var materialize: MaterializeArguments
    @OptionGroup var location: StoreOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard start < end else { throw ValidationError("START (\(start)) must be before END (\(end))") }
    }

    func run() throws {
        try materialize.run(location: location, output: output) { store, views, options in
            try store.materialize(views, from: start, to: end, options: options)
        }
    }
}

/// The options `materialize` and `materialize-incremental` share, and the run itself.
struct MaterializeArguments: ParsableArguments {
    @Option(name: .customLong("view"), help: ArgumentHelp("A view to materialize (repeatable; default: every view with a file source).", valueName: "name"))
    var views: [String] = []

    @Flag(name: .customLong("skip-invalid"), help: "Skip invalid rows instead of stopping; record them in --rejects.")
    var skipInvalid = false

    @Option(help: ArgumentHelp("With --skip-invalid: the CSV file that receives rejected rows and their reasons.", valueName: "file"))
    var rejects: String?

    @Option(help: ArgumentHelp("Wait up to this many seconds for a run in progress to finish (default: exit 75 at once).", valueName: "seconds"))
    var wait: Double?

    @Option(name: .customLong("memory"), help: ArgumentHelp("Memory for putting rows in key order, in MiB (default 64); past it, sorted runs spill to --temp-dir.", valueName: "MiB"))
    var memory: Int = 64

    @Option(name: .customLong("temp-dir"), help: ArgumentHelp("Where sorted runs spill (default: the system's temporary directory).", valueName: "dir"))
    var temporaryDirectory: String?

    @Flag(name: .customLong("no-statistics"), help: "Do not compute and store the features' statistics with the snapshot.")
    var noStatistics = false

    @OptionGroup var files: AccessOptions

    func validate() throws {
        if skipInvalid, rejects == nil { throw ValidationError("--skip-invalid needs --rejects FILE to record the rows it skips") }
        if rejects != nil, !skipInvalid { throw ValidationError("--rejects only applies with --skip-invalid") }
        if rejects == "-" { throw ValidationError("--rejects needs a file: standard output carries the run's summary") }
        if let wait, !(0...31_536_000).contains(wait) { throw ValidationError("--wait is 0 to 31536000 seconds (a year)") }
        if !(1...1_048_576).contains(memory) { throw ValidationError("--memory is 1 to 1048576 MiB") }
    }

    func run(location: StoreOptions, output: OutputOptions,
             _ body: (FeatureStore, [String]?, MaterializeOptions) throws -> Snapshot) throws {
        let store = try location.openStore()
        let rejectsPath = rejects.map(absolute)
        let selected = views.isEmpty ? nil : views
        try location.prepareSources(of: selected, in: store)
        let progress = ProgressBar(label: "materialize", enabled: !output.json)
        var options = MaterializeOptions(rejectsFile: rejectsPath, progress: progress.materializeHandler(), rejectsAccess: files.access,
                                         wait: .milliseconds(Int64((wait ?? 0) * 1_000)), memoryBudget: memory << 20,
                                         temporaryDirectory: temporaryDirectory.map(absolute))
        options.collectsStatistics = !noStatistics
        let (snapshot, seconds) = try timed {
            defer { progress.finish() }
            return try body(store, selected, options)
        }
        if output.json {
            SnapshotOutput.json(snapshot).print()
        } else {
            print(SnapshotOutput.summary(snapshot, seconds: seconds))
        }
    }
}
