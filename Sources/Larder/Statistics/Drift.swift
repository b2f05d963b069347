import Foundation

/// How far a feature's current distribution has moved from a baseline, from their statistics
/// alone (Docs/Monitoring.md):
///
/// - **PSI**, the population stability index, over ten bins whose edges are the baseline's
///   deciles: Σ (c − b) · ln(c / b), shares clipped below at 0.0001 as Evidently does;
/// - **Jensen-Shannon distance** over the same bins: √((KL(b‖m) + KL(c‖m)) / 2), m the mean of
///   the two, natural logarithms (as scipy's `jensenshannon`, which Evidently calls);
/// - **Wasserstein distance** (W1, the area between the two quantile functions, on a grid of
///   100 ranks) divided by the baseline's standard deviation — numbers only;
/// - the change in the null rate.
///
/// Strings are compared by the frequencies of their most frequent values (the union of both
/// sides' counters, the rest pooled as one category).
public struct DriftScores: Sendable, Equatable, Codable {
    public let psi: Double
    public let jensenShannon: Double
    /// Numbers only; nil when the baseline has no spread to divide by.
    public let wasserstein: Double?
    public let nullRateChange: Double

    private enum CodingKeys: String, CodingKey {
        case psi, jensenShannon = "jensen_shannon", wasserstein, nullRateChange = "null_rate_change"
    }
}

/// Why two statistics cannot be scored.
public enum DriftError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer non-null values than a score means anything with.
    case tooFewValues(baseline: Int, current: Int, needed: Int)
    /// One side holds numbers, the other strings (or lists, or nothing comparable).
    case differentKinds(baseline: String, current: String)

    public var description: String {
        switch self {
        case .tooFewValues(let baseline, let current, let needed):
            "too few values for a score: \(baseline) in the baseline and \(current) now; at least \(needed) on each side"
        case .differentKinds(let baseline, let current):
            "the baseline holds \(baseline) and the current data \(current): they cannot be compared"
        }
    }
}

public enum Drift {
    /// The fewest non-null values on each side for a score.
    public static let minimumValues = 10
    /// The floor under a bin's share in PSI (Evidently's), so an empty bin scores finitely.
    static let shareFloor = 0.0001

    public static func scores(baseline: FeatureStatistics, current: FeatureStatistics) throws(DriftError) -> DriftScores {
        // Values a score can use: neither null nor infinite.
        let baseCount = baseline.rows - baseline.nulls - baseline.nonFinite, nowCount = current.rows - current.nulls - current.nonFinite
        guard baseCount >= minimumValues, nowCount >= minimumValues else {
            throw .tooFewValues(baseline: baseCount, current: nowCount, needed: minimumValues)
        }
        let nullRateChange = (current.nullRate ?? 0) - (baseline.nullRate ?? 0)
        switch (baseline.numbers ?? baseline.listLengths, current.numbers ?? current.listLengths, baseline.strings, current.strings) {
        case (let base?, let now?, nil, nil):
            return numeric(base, now, nullRateChange: nullRateChange)
        case (nil, nil, let base?, let now?):
            guard let baseFrequent = base.frequent, let nowFrequent = now.frequent else {
                throw .differentKinds(baseline: kind(baseline), current: kind(current))
            }
            return categorical(baseFrequent, count: baseCount, nowFrequent, count: nowCount, nullRateChange: nullRateChange)
        default:
            throw .differentKinds(baseline: kind(baseline), current: kind(current))
        }
    }

    private static func kind(_ statistics: FeatureStatistics) -> String {
        if statistics.numbers != nil { return "numbers" }
        if statistics.listLengths != nil { return "lists" }
        if let strings = statistics.strings { return strings.frequent == nil ? "bytes" : "strings" }
        return "no values"
    }

    static func numeric(_ baseline: FeatureStatistics.Numbers, _ current: FeatureStatistics.Numbers, nullRateChange: Double) -> DriftScores {
        // Bin edges: the baseline's deciles, each once (repeated values collapse bins).
        var edges: [Double] = []
        for edge in baseline.quantiles.quantiles((1...9).map { Double($0) / 10 }).compactMap({ $0 }) where edges.last != edge {
            edges.append(edge)
        }
        let baseShares = baseline.quantiles.shares(between: edges)
        let nowShares = current.quantiles.shares(between: edges)
        // W1: the mean distance between the quantile functions over 100 ranks.
        let ranks = (0..<100).map { (Double($0) + 0.5) / 100 }
        let baseQuantiles = baseline.quantiles.quantiles(ranks), nowQuantiles = current.quantiles.quantiles(ranks)
        var distance = 0.0
        for (base, now) in zip(baseQuantiles, nowQuantiles) { distance += abs((now ?? 0) - (base ?? 0)) }
        distance /= Double(ranks.count)
        let spread = baseline.moments.standardDeviation ?? 0
        return DriftScores(psi: psi(baseShares, nowShares), jensenShannon: jensenShannon(baseShares, nowShares),
                           wasserstein: spread > 0 ? distance / spread : nil, nullRateChange: nullRateChange)
    }

    static func categorical(_ baseline: FrequentValues, count baseCount: Int, _ current: FrequentValues, count nowCount: Int,
                            nullRateChange: Double) -> DriftScores {
        let baseCounts = Dictionary(baseline.top(.max).map { ($0.value, $0.count) }, uniquingKeysWith: +)
        let nowCounts = Dictionary(current.top(.max).map { ($0.value, $0.count) }, uniquingKeysWith: +)
        let categories = Set(baseCounts.keys).union(nowCounts.keys).sorted()
        func shares(_ counts: [String: Int], total: Int) -> [Double] {
            var shares = categories.map { Double(counts[$0] ?? 0) / Double(total) }
            shares.append(max(0, 1 - shares.reduce(0, +)))  // everything else, pooled
            return shares
        }
        let baseShares = shares(baseCounts, total: baseCount), nowShares = shares(nowCounts, total: nowCount)
        return DriftScores(psi: psi(baseShares, nowShares), jensenShannon: jensenShannon(baseShares, nowShares),
                           wasserstein: nil, nullRateChange: nullRateChange)
    }

    static func psi(_ baseline: [Double], _ current: [Double]) -> Double {
        zip(baseline, current).reduce(0) { total, pair in
            let (base, now) = (max(pair.0, shareFloor), max(pair.1, shareFloor))
            return total + (now - base) * log(now / base)
        }
    }

    static func jensenShannon(_ baseline: [Double], _ current: [Double]) -> Double {
        func divergence(_ p: Double, _ m: Double) -> Double { p > 0 ? p * log(p / m) : 0 }
        var sum = 0.0
        for (base, now) in zip(baseline, current) {
            let middle = (base + now) / 2
            sum += divergence(base, middle) + divergence(now, middle)
        }
        return (max(0, sum) / 2).squareRoot()
    }
}
