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
            status: 0 when nothing drifts, 3 when a feature does, 1 and 2 as for every command. \
            `larder report` draws the same comparison as a page.
            """)

    @OptionGroup var comparison: DriftOptions
    @OptionGroup var location: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let result = try comparison.compare(in: try location.openStore(readOnly: true))
        if output.json {
            JSON.object([
                ("baseline", .string(result.baseline.description)), ("current", .string(result.current.description)),
                ("drifting", .int(Int64(result.drifting))),
                ("features", .array(result.features.map { feature in
                    var fields: [(String, JSON)] = [
                        ("view", .string(feature.view)), ("feature", .string(feature.name)), ("drifts", .bool(feature.drifts)),
                        ("thresholds", .object([("psi", feature.thresholds.psi.map(JSON.double) ?? .null),
                                                ("jensen_shannon", feature.thresholds.jensenShannon.map(JSON.double) ?? .null),
                                                ("wasserstein", feature.thresholds.wasserstein.map(JSON.double) ?? .null)])),
                    ]
                    switch feature.result {
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
            for feature in result.features {
                switch feature.result {
                case .success(let scores):
                    table.append([feature.view, feature.name, Format.score(scores.psi), Format.score(scores.jensenShannon),
                                  scores.wasserstein.map(Format.score) ?? "", String(format: "%+.4f", scores.nullRateChange), feature.drifts ? "DRIFT" : ""])
                case .failure(let error):
                    table.append([feature.view, feature.name, "", "", "", "", "no score: \(error)"])
                }
            }
            print("\(result.headline) (thresholds: \(result.thresholdSummary)).")
            print(table.render())
        }
        if result.drifting > 0 { throw ExitCode(Exit.drift) }
    }
}
