import ArgumentParser
import Larder

/// `larder materialize-incremental END`: load each view from its watermark up to END.
struct MaterializeIncremental: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "materialize-incremental",
        abstract: "Load each view's rows from where its last materialization ended up to END.",
        discussion: "A view never materialized starts at the beginning of time.")

    @Argument(help: "The end of the interval (exclusive): 2024-05-04, now, epoch seconds.", transform: TimeParsing.timestamp)
    var end: Timestamp

    @OptionGroup var materialize: MaterializeArguments
    @OptionGroup var location: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try materialize.run(location: location, output: output) { store, views, options in
            try store.materializeIncremental(views, to: end, options: options)
        }
    }
}
