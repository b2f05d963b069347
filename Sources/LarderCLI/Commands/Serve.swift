import ArgumentParser
import Foundation
import Larder
import LarderServer
import Logging

/// `larder serve`: the feature server (Feast's HTTP protocol).
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the store over HTTP, in Feast's feature-server protocol.",
        discussion: """
            Feast's endpoints (get-online-features; push, write-to-online-store, materialize and \
            materialize-incremental unless --read-only; health), Larder's views and snapshots, \
            and Prometheus metrics: Docs/Server.md. Prints the address it listens on, then serves \
            until SIGTERM or SIGINT, finishing the requests in flight.
            """)

    @Option(help: ArgumentHelp("The address to listen on.", valueName: "host"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("The port (0: any free port).", valueName: "port"))
    var port = 6566

    @Option(help: ArgumentHelp("Network threads (default: one per core).", valueName: "n"))
    var workers: Int?

    @Flag(name: .customLong("read-only"), help: "Refuse every write with 403.")
    var readOnly = false

    @Flag(help: "With --read-only: switch to a newer export moved into place at the store path (a symlink or directory swapped), between requests.")
    var watch = false

    @Option(name: .customLong("watch-interval"), help: ArgumentHelp("Seconds between looks at the store path with --watch.", valueName: "seconds"))
    var watchInterval = 1.0

    @Option(name: .customLong("drift-baseline"), help: ArgumentHelp("A snapshot: /metrics compares each view's newest snapshot with its statistics (drift gauges).", valueName: "id"))
    var driftBaseline: UInt64?

    @Flag(name: .customLong("no-access-log"), help: "No log line per request (answers of 500 and up are still logged).")
    var noAccessLog = false

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(name: .customLong("log-format"), help: "Log lines (one per request) as text or as JSON objects.")
    var logFormat: LogFormat = .text

    @OptionGroup var location: StoreOptions

    func validate() throws {
        if watch && !readOnly {
            throw ValidationError("--watch serves exports, which are read-only: add --read-only")
        }
        if !(watchInterval > 0 && watchInterval <= 3600) {
            throw ValidationError("--watch-interval is a number of seconds above 0 and at most 3600, not \(watchInterval)")
        }
    }

    func run() throws {
        // Requests run on the network threads, without a hop to Swift's pool and back.
        FeatureServer.runTasksOnNetworkThreads(workers)
        let logger = logFormat == .json ? Logger(label: "larder.serve", factory: JSONLogHandler.init) : Logger(label: "larder.serve")
        let configuration = FeatureServer.Configuration(host: host, port: port, readOnly: readOnly, accessLog: !noAccessLog, driftBaseline: driftBaseline)
        let server: FeatureServer
        if watch {
            // Checked like any open first, for the CLI's own error message.
            _ = try location.openStore(readOnly: true)
            server = try FeatureServer(watching: location.storePath, every: .milliseconds(Int64(watchInterval * 1000)),
                                       configuration: configuration, logger: logger)
        } else {
            // A read-only server opens the store read-only: it can serve a copy on read-only media.
            server = FeatureServer(store: try location.openStore(readOnly: readOnly), configuration: configuration, logger: logger)
        }
        let host = self.host
        let outcome = Outcome()
        // The command line runs synchronously; the server runs on Swift's and NIO's threads.
        Task {
            do {
                try await server.run { port in
                    // Written straight to the descriptor: a test or a supervisor waits for it.
                    FileHandle.standardOutput.write(Data("larder serve: listening on http://\(host):\(port)\n".utf8))
                }
            } catch {
                outcome.failure = error
            }
            outcome.done.signal()
        }
        outcome.done.wait()
        if let failure = outcome.failure { throw failure }
    }

    private final class Outcome: @unchecked Sendable {
        var failure: (any Error)?
        let done = DispatchSemaphore(value: 0)
    }
}
