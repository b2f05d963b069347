import ArgumentParser
import Foundation
import Larder

/// `larder drift --baseline A --current B`: feature drift between two sets of rows — snapshots,
/// windows of history, the online table — with an exit status a pipeline can branch on.
struct DriftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Compare the feature statistics of two snapshots, windows or the online table; exit 3 when a feature drifts.",
        discussion: """
            Each side is a snapshot id or `latest` (the statistics its run stored), a window of history \
            FROM..TO (computed now), `online` (the online table as it is), or a statistics file \
            written by `larder historical --stats` (a training set's: against `online`, training/serving skew). \
            For every feature of every view both sides cover: PSI over the baseline's \
            decile bins, Jensen-Shannon distance, Wasserstein distance over the baseline's standard \
            deviation (numbers), and the null-rate change (Docs/Monitoring.md). A feature drifts when \
            any of its scores reaches its threshold: the one given here, else its view's \
            `monitoring:` block in the definitions, else 0.1 (Evidently's default). Exit \
            status: 0 when nothing drifts, 3 when a feature does, 1 and 2 as for every command.
            """)

    @Option(help: ArgumentHelp("What to compare against: a snapshot id or latest, a window FROM..TO, online, or a statistics file (.json).", valueName: "side"))
    var baseline: Side

    @Option(help: ArgumentHelp("What to compare: a snapshot id or latest, a window FROM..TO, online, or a statistics file (.json).", valueName: "side"))
    var current: Side

    /// One side of a comparison.
    enum Side: ExpressibleByArgument, CustomStringConvertible {
        case snapshot(UInt64)
        case window(Timestamp, Timestamp)
        case online
        case file(String)
        /// The newest snapshot.
        case latest

        init?(argument: String) {
            if argument == "online" {
                self = .online
            } else if argument == "latest" {
                self = .latest
            } else if let id = UInt64(argument) {
                self = .snapshot(id)
            } else if argument.hasSuffix(".json") {
                self = .file(argument)
            } else if let range = argument.range(of: ".."),
                      let start = try? TimeParsing.timestamp(String(argument[..<range.lowerBound])),
                      let end = try? TimeParsing.timestamp(String(argument[range.upperBound...])), start < end {
                self = .window(start, end)
            } else {
                return nil
            }
        }

        var description: String {
            switch self {
            case .snapshot(let id): "snapshot \(id)"
            case .window(let start, let end): "\(start) → \(end)"
            case .online: "the online table"
            case .file(let path): path
            case .latest: "the latest snapshot"
            }
        }

        /// View → feature → statistics, for `views` (nil: every view the side has).
        func statistics(in store: FeatureStore, views: [String]?) throws -> [String: [String: FeatureStatistics]] {
            switch self {
            case .snapshot(let id):
                return try store.statistics(snapshot: id)
            case .window(let start, let end):
                var result: [String: [String: FeatureStatistics]] = [:]
                for view in try views ?? store.registry.definitions.views.map(\.name) {
                    result[view] = try store.statistics(of: view, from: start, to: end)
                }
                return result
            case .file(let path):
                return try StatisticsFile.read(path)
            case .latest:
                guard let id = try store.snapshots().last?.id else { throw CLIError.data("the store has no snapshot yet") }
                return try Side.snapshot(id).statistics(in: store, views: views)
            case .online:
                var result: [String: [String: FeatureStatistics]] = [:]
                for view in try views ?? store.registry.definitions.views.filter(\.online).map(\.name) {
                    result[view] = try store.onlineStatistics(of: view)
                }
                return result
            }
        }
    }

    @Option(name: .customLong("view"), help: ArgumentHelp("A view to compare (repeatable; default: every view both runs covered).", valueName: "name"))
    var views: [String] = []

    @Option(help: ArgumentHelp("The PSI at which every feature drifts (default: its view's monitoring block, else 0.1).", valueName: "score"))
    var psi: Double?

    @Option(name: .customLong("jensen-shannon"), help: ArgumentHelp("The Jensen-Shannon distance at which every feature drifts (default: its view's monitoring block, else 0.1).", valueName: "score"))
    var jensenShannon: Double?

    @Option(help: ArgumentHelp("The normalized Wasserstein distance at which every feature drifts (default: its view's monitoring block, else 0.1).", valueName: "score"))
    var wasserstein: Double?

    @OptionGroup var location: StoreOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        for (name, value) in [("--psi", psi), ("--jensen-shannon", jensenShannon), ("--wasserstein", wasserstein)] {
            guard let value, !(value > 0 && value.isFinite) else { continue }
            throw ValidationError("\(name) is a score above 0, not \(value)")
        }
    }

    struct Row {
        let view: String
        let feature: String
        let result: Result<DriftScores, DriftError>
        let thresholds: DriftThresholds
        let drifts: Bool
    }

    func run() throws {
        let store = try location.openStore(readOnly: true)
        let selected = views.isEmpty ? nil : views
        let before = try baseline.statistics(in: store, views: selected), after = try current.statistics(in: store, views: selected)
        let common = Set(before.keys).intersection(after.keys)
        for view in views where !common.contains(view) {
            let side = before[view] == nil ? "baseline, \(baseline)" : "current data, \(current)"
            throw CLIError.data("view \(view) has no statistics in the \(side) (views with statistics in both: \(common.sorted().joined(separator: ", ")))")
        }
        let definitions = try store.registry.definitions
        var rows: [Row] = []
        for view in (views.isEmpty ? common.sorted() : views) {
            let base = before[view]!, now = after[view]!
            for feature in Set(base.keys).intersection(now.keys).sorted() {
                let result = Result { () throws(DriftError) in try Drift.scores(baseline: base[feature]!, current: now[feature]!) }
                let thresholds = commandLineThresholds.over(definitions.view(named: view)?.driftThresholds(for: feature) ?? .standard)
                let drifts = (try? result.get()).map(thresholds.areReached) ?? false
                rows.append(Row(view: view, feature: feature, result: result, thresholds: thresholds, drifts: drifts))
            }
        }
        rows.sort { ($0.drifts ? 0 : 1, $0.view, $0.feature) < ($1.drifts ? 0 : 1, $1.view, $1.feature) }
        let drifting = rows.filter(\.drifts).count
        if output.json {
            JSON.object([
                ("baseline", .string(baseline.description)), ("current", .string(current.description)), ("drifting", .int(Int64(drifting))),
                ("features", .array(rows.map { row in
                    var fields: [(String, JSON)] = [("view", .string(row.view)), ("feature", .string(row.feature)), ("drifts", .bool(row.drifts)),
                                                    ("thresholds", .object([("psi", row.thresholds.psi.map(JSON.double) ?? .null),
                                                                            ("jensen_shannon", row.thresholds.jensenShannon.map(JSON.double) ?? .null),
                                                                            ("wasserstein", row.thresholds.wasserstein.map(JSON.double) ?? .null)]))]
                    switch row.result {
                    case .success(let scores):
                        fields += [("psi", .double(scores.psi)), ("jensen_shannon", .double(scores.jensenShannon)),
                                   ("wasserstein", scores.wasserstein.map(JSON.double) ?? .null), ("null_rate_change", .double(scores.nullRateChange))]
                    case .failure(let error):
                        fields.append(("error", .string(error.description)))
                    }
                    return .object(fields)
                })),
            ]).print()
        } else {
            var table = TableFormatter(["view", "feature", "psi>", "jensen-shannon>", "wasserstein>", "null rate change>", "drift"])
            for row in rows {
                switch row.result {
                case .success(let scores):
                    table.append([row.view, row.feature, Self.score(scores.psi), Self.score(scores.jensenShannon),
                                  scores.wasserstein.map(Self.score) ?? "", String(format: "%+.4f", scores.nullRateChange), row.drifts ? "DRIFT" : ""])
                case .failure(let error):
                    table.append([row.view, row.feature, "", "", "", "", "no score: \(error)"])
                }
            }
            print("\(baseline.description.capitalizedFirst) → \(current): \(drifting) of \(rows.count) features drift (thresholds: \(thresholdSummary(rows))).")
            print(table.render())
        }
        if drifting > 0 { throw ExitCode(Exit.drift) }
    }

    /// `psi 0.1, jensen-shannon 0.1, wasserstein 0.1`, with the features that have others.
    private func thresholdSummary(_ rows: [Row]) -> String {
        let common = Dictionary(grouping: rows, by: \.thresholds)
            .max { ($0.value.count, $1.key.description) < ($1.value.count, $0.key.description) }?.key ?? commandLineThresholds.over(.standard)
        let others = rows.filter { $0.thresholds != common }.map { "\($0.view):\($0.feature) \($0.thresholds)" }
        return ([common.description] + others).joined(separator: "; ")
    }

    /// `--psi`, `--jensen-shannon`, `--wasserstein`: over every feature's own.
    private var commandLineThresholds: DriftThresholds {
        DriftThresholds(psi: psi, jensenShannon: jensenShannon, wasserstein: wasserstein)
    }

    static func score(_ value: Double) -> String {
        String(format: "%.4f", value)
    }
}

extension String {
    /// "snapshot 1" → "Snapshot 1".
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
