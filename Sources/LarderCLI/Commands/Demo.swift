import ArgumentParser
import Foundation
import Larder

/// `larder demo`: the whole workflow on generated data, step by step, with timings.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the whole workflow on generated data in a fresh directory, printing each step.",
        discussion: """
            Generates a feature repository (as `larder init` does), applies it, materializes it, \
            builds a training set with a point-in-time join and does online lookups. The store \
            stays behind for you to explore.
            """)

    @Option(help: ArgumentHelp("Where to build the repository (missing or empty); default: a new temporary directory.", valueName: "dir"))
    var directory: String?

    @Option(help: "Drivers in the sample data.")
    var drivers = 1_000

    @Option(help: "Days of hourly driver statistics.")
    var days = 3

    @Option(name: .customLong("entity-rows"), help: "Labelled events to build the training set for.")
    var entityRows = 5_000

    @Option(help: "Online lookups to time.")
    var lookups = 10_000

    func validate() throws {
        guard drivers >= 10, days > 0, entityRows > 0, lookups > 0 else {
            throw ValidationError("--drivers must be at least 10; --days, --entity-rows and --lookups positive")
        }
        if let problem = SampleData.sizeProblem(drivers: drivers, customers: 500, days: days, entityRows: entityRows) {
            throw ValidationError(problem)
        }
        if lookups > 100_000_000 { throw ValidationError("--lookups is at most 100,000,000") }
    }

    func run() throws {
        let executable = Self.executable()
        let root = try makeDirectory()
        let sample = SampleData(drivers: drivers, customers: 500, days: days, entityRows: entityRows)
        let total = ContinuousClock().now
        print("Larder demo in \(root)")
        #if DEBUG
        print("(a debug build: `swift run -c release larder demo` shows the real speed)")
        #endif

        // 1. Data
        let (files, generating) = try timed { try sample.write(to: root) }
        step(1, "Generate a feature repository with sample data", generating)
        var table = TableFormatter(["file", "rows>", "size>", "contents"])
        for file in files {
            table.append([file.path, file.rows == 0 ? "" : Format.count(file.rows), Format.bytes(file.bytes), file.note])
        }
        print(table.render(indent: "  "))
        _ = FileManager.default.changeCurrentDirectoryPath(root)

        // 2. Apply
        let storePath = (root as NSString).appendingPathComponent(".larder")
        let (result, applying) = try timed {
            try FeatureStore.open(storePath).apply(try Definitions(contentsOfFile: "features.yaml"))
        }
        let store = try FeatureStore.open(storePath)
        step(2, "Apply features.yaml (larder apply)", applying)
        print(indented(result.plan.description))
        print("  registry version \(result.registryVersion)")

        // 3. Materialize
        let progress = ProgressBar(label: "materialize")
        let (snapshot, materializing) = try timed {
            defer { progress.finish() }
            return try store.materialize(from: SampleData.start, to: sample.end,
                                         options: MaterializeOptions(progress: progress.materializeHandler()))
        }
        step(3, "Materialize \(SampleData.start) → \(sample.end) (larder materialize)", materializing)
        print(indented(SnapshotOutput.summary(snapshot, seconds: materializing)))

        // 4. Historical
        let out = "training.csv"
        let (summary, joining) = try timed {
            try store.writeHistoricalFeatures(entities: .csv(path: "data/entity_rows.csv"), features: .service("driver_activity"), to: out)
        }
        step(4, "Point-in-time join for a training set (larder historical)", joining)
        print("  \(Format.count(summary.rows)) labelled events from data/entity_rows.csv × service driver_activity")
        print("  → \((root as NSString).appendingPathComponent(out)): \(Format.count(summary.rows)) rows (\(Format.rate(summary.rows, seconds: joining)))")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        for line in lines.prefix(5) { print("    " + line) }
        print("    …")
        let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false) ?? []
        if let column = header.firstIndex(of: "conv_rate") {
            let empty = lines.dropFirst().filter { $0.split(separator: ",", omittingEmptySubsequences: false)[column].isEmpty }.count
            print("  \(Format.count(empty)) rows have no driver stats: drivers ending in 7 stop reporting after day 1,")
            print("  and a value older than the view's ttl (1d) at the row's time is not joined.")
        }

        // 5. Online
        let now = sample.end
        let keys = ["driver_id", "customer_id"]
        let rows: [[String: FeatureValue]] = [
            ["driver_id": 1001, "customer_id": .string(SampleData.customerID(0))],
            ["driver_id": 1003, "customer_id": .string(SampleData.customerID(1))],
            ["driver_id": 1007, "customer_id": .string(SampleData.customerID(2))],
            ["driver_id": 99_999, "customer_id": "C99999"],
        ]
        let options = OnlineOptions(now: now)
        let (response, looking) = try timed { try store.onlineFeatures(service: "driver_activity", for: rows, options: options) }
        step(5, "Online lookups of service driver_activity (larder get)", looking)
        print("  Latest values, ttls measured from \(now), the end of the sample data:")
        print(wideTable(response, keys: keys, rows: rows).render(indent: "  "))
        let single = [rows[0]]
        let (_, repeated) = try timed {
            for _ in 0..<lookups { _ = try store.onlineFeatures(service: "driver_activity", for: single, options: options) }
        }
        print("  \(Format.count(lookups)) lookups of one entity (\(response.names.count) features, 2 views): \(Format.seconds(repeated / Double(lookups))) each")

        let elapsed = (ContinuousClock().now - total).seconds
        print("")
        print("Done in \(Format.seconds(elapsed)). The store is at \(storePath)")
        print("Explore it:")
        print("  cd \(root)")
        print("  \(executable) views")
        print("  \(executable) snapshots show \(snapshot.id)")
        print("  \(executable) get --service driver_activity --entity driver_id=1001,1002 --entity customer_id=C1001 --now \(now)")
    }

    /// How to run this executable again: `larder` when it was found on the PATH, else its path.
    private static func executable() -> String {
        let name = CommandLine.arguments.first ?? "larder"
        return name.contains("/") ? absolute(name) : name
    }

    private func makeDirectory() throws -> String {
        if let directory {
            if let contents = try? FileManager.default.contentsOfDirectory(atPath: directory), !contents.isEmpty {
                throw CLIError.data("\(directory) is not empty; the demo needs a missing or empty directory")
            }
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            return absolute(directory)
        }
        var template = Array((NSTemporaryDirectory() + "/larder-demo-XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else { throw CLIError.data("cannot create a temporary directory in \(NSTemporaryDirectory())") }
        return (String(cString: created) as NSString).standardizingPath
    }

    private func step(_ number: Int, _ title: String, _ seconds: Double) {
        print("")
        print("[\(number)/5] \(title) · \(Format.seconds(seconds))")
    }

    private func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }

    /// One row per entity, one column per feature; a value that is not present shows its status.
    private func wideTable(_ response: OnlineResponse, keys: [String], rows: [[String: FeatureValue]]) -> TableFormatter {
        var table = TableFormatter(keys + response.names)
        for row in 0..<response.rowCount {
            let cells = response.names.indices.map { column -> String in
                let value = response[row, column]
                return value.status == .present ? value.value.description : OnlineOutput.status(value.status)
            }
            table.append(keys.map { rows[row][$0]?.description ?? "" } + cells)
        }
        return table
    }
}
