import ArgumentParser
import Larder

/// What `larder drift` and `larder report` compare, and the options both take.
struct DriftOptions: ParsableArguments {
    @Option(help: ArgumentHelp("What to compare against: a snapshot id or latest, a window FROM..TO, online, or a statistics file (.json).", valueName: "side"))
    var baseline: DriftSide

    @Option(help: ArgumentHelp("What to compare: a snapshot id or latest, a window FROM..TO, online, or a statistics file (.json).", valueName: "side"))
    var current: DriftSide

    @Option(name: .customLong("view"), help: ArgumentHelp("A view to compare (repeatable; default: every view both sides cover).", valueName: "name"))
    var views: [String] = []

    @Option(help: ArgumentHelp("The PSI at which every feature drifts (default: its view's monitoring block, else 0.1).", valueName: "score"))
    var psi: Double?

    @Option(name: .customLong("jensen-shannon"), help: ArgumentHelp("The Jensen-Shannon distance at which every feature drifts (default: its view's monitoring block, else 0.1).", valueName: "score"))
    var jensenShannon: Double?

    @Option(help: ArgumentHelp("The normalized Wasserstein distance at which every feature drifts (default: its view's monitoring block, else 0.1).", valueName: "score"))
    var wasserstein: Double?

    func validate() throws {
        for (name, value) in [("--psi", psi), ("--jensen-shannon", jensenShannon), ("--wasserstein", wasserstein)] {
            guard let value, !(value > 0 && value.isFinite) else { continue }
            throw ValidationError("\(name) is a score above 0, not \(value)")
        }
    }

    /// `--psi`, `--jensen-shannon`, `--wasserstein`: over every feature's own.
    var thresholds: DriftThresholds {
        DriftThresholds(psi: psi, jensenShannon: jensenShannon, wasserstein: wasserstein)
    }

    /// Scores every feature of every view both sides cover (or of `--view`), drifting features first.
    func compare(in store: FeatureStore) throws -> DriftComparison {
        let selected = views.isEmpty ? nil : views
        let before = try baseline.statistics(in: store, views: selected), after = try current.statistics(in: store, views: selected)
        let common = Set(before.keys).intersection(after.keys)
        for view in views where !common.contains(view) {
            let side = before[view] == nil ? "baseline, \(baseline)" : "current data, \(current)"
            throw CLIError.data("view \(view) has no statistics in the \(side) (views with statistics in both: \(common.sorted().joined(separator: ", ")))")
        }
        let definitions = try store.registry.definitions
        var features: [DriftComparison.Feature] = []
        for view in (views.isEmpty ? common.sorted() : views) {
            let base = before[view]!, now = after[view]!
            for name in Set(base.keys).intersection(now.keys).sorted() {
                let (baseline, current) = (base[name]!, now[name]!)
                let result = Result { () throws(DriftError) in try Drift.scores(baseline: baseline, current: current) }
                let judgedBy = thresholds.over(definitions.view(named: view)?.driftThresholds(for: name) ?? .standard)
                features.append(DriftComparison.Feature(
                    view: view, name: name, baseline: baseline, current: current, result: result, thresholds: judgedBy,
                    drifts: (try? result.get()).map(judgedBy.areReached) ?? false))
            }
        }
        features.sort { ($0.drifts ? 0 : 1, $0.view, $0.name) < ($1.drifts ? 0 : 1, $1.view, $1.name) }
        return DriftComparison(baseline: baseline, current: current, features: features, commandLineThresholds: thresholds)
    }
}

/// Every compared feature's statistics on both sides, scores and verdict.
struct DriftComparison {
    struct Feature {
        let view: String
        let name: String
        let baseline: FeatureStatistics
        let current: FeatureStatistics
        let result: Result<DriftScores, DriftError>
        let thresholds: DriftThresholds
        let drifts: Bool
    }

    let baseline: DriftSide
    let current: DriftSide
    /// Drifting features first, then by view and name.
    let features: [Feature]
    let commandLineThresholds: DriftThresholds

    var drifting: Int { features.filter(\.drifts).count }

    /// "Snapshot 1 → snapshot 2: 1 of 2 features drift".
    var headline: String {
        "\(baseline.description.capitalizedFirst) → \(current): \(drifting) of \(features.count) features drift"
    }

    /// `psi 0.1, jensen-shannon 0.1, wasserstein 0.1`, with the features that have others.
    var thresholdSummary: String {
        let common = Dictionary(grouping: features, by: \.thresholds)
            .max { ($0.value.count, $1.key.description) < ($1.value.count, $0.key.description) }?.key ?? commandLineThresholds.over(.standard)
        let others = features.filter { $0.thresholds != common }.map { "\($0.view):\($0.name) \($0.thresholds)" }
        return ([common.description] + others).joined(separator: "; ")
    }
}

/// One side of a comparison.
enum DriftSide: ExpressibleByArgument, CustomStringConvertible {
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
            return try DriftSide.snapshot(id).statistics(in: store, views: views)
        case .online:
            var result: [String: [String: FeatureStatistics]] = [:]
            for view in try views ?? store.registry.definitions.views.filter(\.online).map(\.name) {
                result[view] = try store.onlineStatistics(of: view)
            }
            return result
        }
    }
}

extension String {
    /// "snapshot 1" → "Snapshot 1".
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
