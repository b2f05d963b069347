/// The scores at which a feature counts as drifting (Docs/Monitoring.md). A feature drifts when
/// any of its scores reaches its threshold; a threshold left nil is taken from the next level
/// out — the feature's, then its view's, then Evidently's defaults, 0.1 each.
public struct DriftThresholds: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Population stability index.
    public var psi: Double?
    /// Jensen-Shannon distance.
    public var jensenShannon: Double?
    /// Wasserstein distance over the baseline's standard deviation (numbers only).
    public var wasserstein: Double?

    public init(psi: Double? = nil, jensenShannon: Double? = nil, wasserstein: Double? = nil) {
        self.psi = psi
        self.jensenShannon = jensenShannon
        self.wasserstein = wasserstein
    }

    /// Evidently's: drift at 0.1 for PSI, Jensen-Shannon and normalized Wasserstein.
    public static let standard = DriftThresholds(psi: 0.1, jensenShannon: 0.1, wasserstein: 0.1)

    /// These thresholds where they are set, `fallback`'s where they are not.
    public func over(_ fallback: DriftThresholds) -> DriftThresholds {
        DriftThresholds(psi: psi ?? fallback.psi, jensenShannon: jensenShannon ?? fallback.jensenShannon,
                        wasserstein: wasserstein ?? fallback.wasserstein)
    }

    /// Whether any score reaches its threshold (a score or threshold that is nil does not count).
    public func areReached(by scores: DriftScores) -> Bool {
        func reached(_ score: Double?, _ threshold: Double?) -> Bool {
            guard let score, let threshold else { return false }
            return score >= threshold
        }
        return reached(scores.psi, psi) || reached(scores.jensenShannon, jensenShannon) || reached(scores.wasserstein, wasserstein)
    }

    var isEmpty: Bool { psi == nil && jensenShannon == nil && wasserstein == nil }

    /// `psi 0.2, wasserstein 0.3`: the thresholds that are set.
    public var description: String {
        [("psi", psi), ("jensen-shannon", jensenShannon), ("wasserstein", wasserstein)]
            .compactMap { name, value in value.map { "\(name) \($0)" } }.joined(separator: ", ")
    }

    private enum CodingKeys: String, CodingKey {
        case psi, jensenShannon = "jensen_shannon", wasserstein
    }
}

/// A view's `monitoring:` block: drift thresholds for all its features, and per feature.
public struct Monitoring: Hashable, Sendable, Codable {
    /// For every feature of the view.
    public var thresholds: DriftThresholds
    /// By feature name, over the view's.
    public var features: [String: DriftThresholds]

    public init(_ thresholds: DriftThresholds = DriftThresholds(), features: [String: DriftThresholds] = [:]) {
        self.thresholds = thresholds
        self.features = features
    }

    var isEmpty: Bool { thresholds.isEmpty && features.values.allSatisfy(\.isEmpty) }
}

extension FeatureView {
    /// The thresholds `feature` is judged by: its own, then the view's, then ``DriftThresholds/standard``.
    public func driftThresholds(for feature: String) -> DriftThresholds {
        let view = monitoring?.thresholds ?? DriftThresholds()
        return (monitoring?.features[feature] ?? DriftThresholds()).over(view).over(.standard)
    }

    /// Sets the view's drift thresholds (Docs/Monitoring.md).
    public func monitoring(_ thresholds: DriftThresholds = DriftThresholds(), features: [String: DriftThresholds] = [:]) -> FeatureView {
        var copy = self
        let monitoring = Monitoring(thresholds, features: features)
        copy.monitoring = monitoring.isEmpty ? nil : monitoring
        return copy
    }
}
