import ArgumentParser
import Larder

/// `larder expire --older-than DURATION`: retention for history.
struct Expire: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Delete history rows older than a retention window.",
        discussion: """
            For each entity the newest row before the cutoff is kept, so lookups and joins at any \
            time after the cutoff answer as before. Online rows stay. One atomic commit.
            """)

    @Option(name: .customLong("older-than"), help: ArgumentHelp("The retention window: 30d, 12h, 1h30m.", valueName: "duration"),
            transform: TimeParsing.duration)
    var olderThan: Duration

    @Option(name: .customLong("view"), help: ArgumentHelp("A view to expire (repeatable; default: every view).", valueName: "name"))
    var views: [String] = []

    @Option(help: ArgumentHelp("Measure the window back from this time instead of the current time.", valueName: "time"),
            transform: TimeParsing.timestamp)
    var now: Timestamp?

    @OptionGroup var location: StoreOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if olderThan < .zero { throw ValidationError("--older-than must not be negative") }
    }

    func run() throws {
        let store = try location.openStore()
        let now = self.now ?? .now
        let cutoff = now - olderThan
        let (deleted, seconds) = try timed { try store.expireHistory(olderThan: olderThan, in: views.isEmpty ? nil : views, now: now) }
        if output.json {
            JSON.object([("rows_deleted", .int(deleted)), ("cutoff", .time(cutoff)), ("seconds", .double(seconds))]).print()
        } else {
            print("Deleted \(Format.count(deleted)) history rows with event times before \(cutoff) (older than \(TimeParsing.format(olderThan))) in \(Format.seconds(seconds)).")
        }
    }
}
