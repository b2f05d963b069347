import ArgumentParser
import Foundation
import Larder

/// `larder historical`: a point-in-time correct training set.
struct Historical: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build a point-in-time correct training set from labelled entity rows.",
        discussion: """
            For each entity row (join keys, an event_timestamp, any other columns such as labels) \
            and each feature: the value of the newest history row at or before the row's time, \
            within the view's ttl; null if there is none. Every input row comes back, in order.
            """)

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case csv, jsonl, parquet, arrow
    }

    @Option(help: ArgumentHelp("The entity rows: a CSV file with a header, JSON Lines (.jsonl), or Parquet (.parquet, or a directory).", valueName: "file"))
    var entities: String?

    @Option(help: ArgumentHelp("Without --entities: every entity and event time of the views' history from this time on.", valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("Without --entities: … up to (not including) this time.", valueName: "time"))
    var to: String?

    @Option(name: .customLong("features"), parsing: .upToNextOption,
            help: ArgumentHelp("Feature references: view:feature, or view for all its features.", valueName: "ref"))
    var features: [String] = []

    @Option(help: ArgumentHelp("A feature service instead of --features.", valueName: "name"))
    var service: String?

    @Option(help: ArgumentHelp("The output file, written as FILE.partial and renamed into place; - for standard output.", valueName: "file"))
    var out: String

    @Option(help: "The output format (default: from the --out extension — .csv, .jsonl, .parquet, .arrow or .feather — else csv).")
    var format: OutputFormat?

    @Option(help: "The codec of a Parquet output's pages (default: snappy).")
    var compression: ParquetCompression?

    @Flag(name: .customLong("full-feature-names"), help: "Name feature columns view__feature.")
    var fullFeatureNames = false

    @Option(name: .customLong("as-of-snapshot"), help: ArgumentHelp("Ignore rows written by snapshots after this one.", valueName: "id"))
    var asOfSnapshot: UInt64?

    @Option(name: .customLong("timestamp-column"), help: ArgumentHelp("The entity rows' time column.", valueName: "name"))
    var timestampColumn = "event_timestamp"

    @Option(help: ArgumentHelp("Also write the feature columns' statistics to this JSON file: a baseline for larder drift.", valueName: "file"))
    var stats: String?

    @OptionGroup var location: StoreOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var files: AccessOptions

    func validate() throws {
        if features.isEmpty == (service == nil) { throw ValidationError("give either --features or --service") }
        if entities == nil && (from == nil || to == nil) { throw ValidationError("give --entities, or --from and --to for every entity and time in the views' history") }
        if entities != nil && (from != nil || to != nil) { throw ValidationError("--from and --to replace --entities; give one or the other") }
        if compression != nil && outputFormat != .parquet { throw ValidationError("--compression applies to Parquet output only") }
    }

    var outputFormat: HistoricalOutputFormat {
        guard let format else { return HistoricalOutputFormat(pathExtensionOf: out) ?? .csv }
        return switch format {
        case .csv: .csv
        case .jsonl: .jsonLines
        case .parquet: .parquet
        case .arrow: .arrow
        }
    }

    func entityRows(_ entities: String) -> EntityRows {
        if entities.hasSuffix(".jsonl") || entities.hasSuffix(".ndjson") { return .jsonLines(path: entities) }
        var isDirectory: ObjCBool = false
        if entities.hasSuffix(".parquet") || (FileManager.default.fileExists(atPath: entities, isDirectory: &isDirectory) && isDirectory.boolValue) {
            return .parquet(path: entities)
        }
        return .csv(path: entities)
    }

    func run() throws {
        if let entities, !FileManager.default.fileExists(atPath: entities) {
            throw CLIError.data("\(entities): no such file (the entity rows)")
        }
        let window = try from.map { (try TimeParsing.timestamp($0), try TimeParsing.timestamp(to!)) }
        try OutputFile.checkDestination(out, inputs: entities.map { [$0] } ?? [], store: location.storePath)
        let store = try location.openStore(readOnly: true)
        let selection: FeatureSelection = service.map { .service($0) }
            ?? .references(features.flatMap { $0.split(separator: ",") }.map { FeatureReference(parsing: String($0)) })
        let total = entities.map(Self.countRows) ?? 0
        let toStandardOutput = out == "-"
        let progress = ProgressBar(label: "historical", enabled: !output.json && !toStandardOutput)
        var options = HistoricalOptions(fullFeatureNames: fullFeatureNames, asOfSnapshot: asOfSnapshot, timestampColumn: timestampColumn,
                                        progress: { done in progress.update(rows: done, fraction: total > 0 ? Double(done) / Double(total) : nil) },
                                        outputAccess: files.access, parquetCompression: compression ?? .snappy)
        options.computesStatistics = stats != nil
        if let stats { try OutputFile.checkDestination(stats, inputs: entities.map { [$0] } ?? [], store: location.storePath) }
        let (summary, seconds) = try timed {
            defer { progress.finish() }
            if let entities {
                return try store.writeHistoricalFeatures(entities: entityRows(entities), features: selection, to: out, format: outputFormat, options: options)
            }
            return try store.writeHistoricalFeatures(features: selection, from: window!.0, to: window!.1, to: out, format: outputFormat, options: options)
        }
        if let stats, let statistics = summary.statistics {
            try StatisticsFile.write(statistics, to: stats)
        }
        if toStandardOutput {
            // The rows are the output; the summary would corrupt them.
            if !output.json { printError("Wrote \(Format.count(summary.rows)) rows to standard output in \(Format.seconds(seconds))") }
        } else if output.json {
            JSON.object([
                ("path", .string(summary.path)), ("format", .string(outputFormat.rawValue)), ("rows", .int(summary.rows)),
                ("spilled_runs", .int(summary.spilledRuns)), ("seconds", .double(seconds)),
            ]).print()
        } else {
            print("Wrote \(Format.count(summary.rows)) rows to \(summary.path) in \(Format.seconds(seconds)) (\(Format.rate(summary.rows, seconds: seconds)))"
                + (summary.spilledRuns > 0 ? "; sorted in \(summary.spilledRuns) runs on disk" : ""))
        }
    }

    /// Lines in the file after the header (CSV) or non-empty lines (JSON Lines), for the ETA.
    static func countRows(_ path: String) -> Int {
        guard let handle = FileHandle(forReadingAtPath: path) else { return 0 }
        defer { try? handle.close() }
        var lines = 0
        var lastByte: UInt8 = UInt8(ascii: "\n")
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            // Over the raw bytes: iterating `Data` itself costs ~10x more (a call per byte).
            lines += chunk.withUnsafeBytes { bytes in bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) } }
            lastByte = chunk.last!
        }
        if lastByte != UInt8(ascii: "\n") { lines += 1 }
        return path.hasSuffix(".jsonl") || path.hasSuffix(".ndjson") ? lines : max(0, lines - 1)
    }
}

extension ParquetCompression: ExpressibleByArgument {}
