import Larder

/// One feature's distribution on both sides of a comparison, over the same bins: what the drift
/// report draws. Shares are of each side's non-null values and add up to 1 per side.
struct Histogram: Equatable {
    enum Bins: Equatable {
        /// Equal-width bins from `lower` to `upper`; the first and last also hold the tails below
        /// and above, so outliers stay counted without flattening the picture. With
        /// `wholeNumbers`, one bin per whole number, centred on it (counts, small integers).
        case numbers(lower: Double, upper: Double, wholeNumbers: Bool)
        /// One bin per value, the rest pooled in a last bin, "(other)".
        case categories([String])
    }

    let bins: Bins
    let baseline: [Double]
    let current: [Double]

    /// Bins for numbers (and list lengths) at most; the range spans both sides' 1st to 99th percentiles.
    static let numberBins = 30
    /// Categories drawn for strings: the most frequent over both sides.
    static let categoryBins = 10

    /// Nil when the statistics keep no distribution to draw (bytes, no values, or sides of different kinds).
    init?(baseline: FeatureStatistics, current: FeatureStatistics) {
        if let base = baseline.numbers ?? baseline.listLengths, let now = current.numbers ?? current.listLengths {
            guard base.moments.count > 0 || now.moments.count > 0 else { return nil }
            let ends = [base, now].filter { $0.moments.count > 0 }.map { $0.quantiles.quantiles([0.01, 0.99]) }
            guard let lower = ends.compactMap({ $0[0] }).min(), let top = ends.compactMap({ $0[1] }).max() else { return nil }
            // Whole numbers over a short range (counts, flags, small integers) get a bin each:
            // equal-width bins would split some and leave others empty.
            let probes = [base, now].flatMap { $0.quantiles.quantiles((0...100).map { Double($0) / 100 }) }.compactMap { $0 }
            let wholeNumbers = top - lower < Double(Self.numberBins) && probes.allSatisfy { $0 == $0.rounded() }
            let (from, to, count) = wholeNumbers
                ? (lower - 0.5, top + 0.5, Int(top - lower) + 1)
                // A constant feature still gets a bar: a unit-wide range from its value.
                : (lower, top > lower ? top : lower + 1, Self.numberBins)
            let width = (to - from) / Double(count)
            let edges = (1..<count).map { from + Double($0) * width }
            self.bins = .numbers(lower: from, upper: to, wholeNumbers: wholeNumbers)
            self.baseline = base.quantiles.shares(between: edges)
            self.current = now.quantiles.shares(between: edges)
        } else if let base = baseline.strings?.frequent, let now = current.strings?.frequent {
            let baseTotal = baseline.rows - baseline.nulls, nowTotal = current.rows - current.nulls
            guard baseTotal > 0 || nowTotal > 0 else { return nil }
            func shares(_ frequent: FrequentValues, total: Int) -> [String: Double] {
                Dictionary(frequent.top(.max).map { ($0.value, total > 0 ? Double($0.count) / Double(total) : 0) }, uniquingKeysWith: +)
            }
            let baseShares = shares(base, total: baseTotal), nowShares = shares(now, total: nowTotal)
            let categories = Set(baseShares.keys).union(nowShares.keys)
                .map { ($0, (baseShares[$0] ?? 0) + (nowShares[$0] ?? 0)) }
                .sorted { ($1.1, $0.0) < ($0.1, $1.0) }.prefix(Self.categoryBins).map(\.0)
            func bars(_ shares: [String: Double], total: Int) -> [Double] {
                let named = categories.map { shares[$0] ?? 0 }
                return named + [total > 0 ? max(0, 1 - named.reduce(0, +)) : 0]
            }
            self.bins = .categories(categories)
            self.baseline = bars(baseShares, total: baseTotal)
            self.current = bars(nowShares, total: nowTotal)
        } else {
            return nil
        }
    }
}
