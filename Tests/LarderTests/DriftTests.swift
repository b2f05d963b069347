import Foundation
@testable import Larder
import Testing

/// Drift scores against values worked out by hand. With fewer than 200 values a quantile
/// sketch keeps every value, so the bins and quantiles below are exact.
@Suite struct DriftTests {
    static func statistics(_ values: [FeatureValue]) -> FeatureStatistics {
        var statistics = FeatureStatistics()
        for value in values { statistics.add(value) }
        return statistics
    }

    @Test func aShiftedUniformByHand() throws {
        // Baseline 1…100: deciles 10, 20, …, 90, a tenth in each bin. Current 11…110: bins
        // [0, .1, .1, .1, .1, .1, .1, .1, .1, .2].
        let baseline = Self.statistics((1...100).map { .float64(Double($0)) })
        let current = Self.statistics((11...110).map { .float64(Double($0)) })
        let scores = try Drift.scores(baseline: baseline, current: current)
        // PSI: (0.0001 − 0.1)·ln(0.0001/0.1) + (0.2 − 0.1)·ln(0.2/0.1) = 0.690088 + 0.069315.
        #expect(abs(scores.psi - 0.759403) < 1e-5, "\(scores.psi)")
        // JS: m = [.05, .1 ×8, .15]; KL(b‖m) = .1·ln 2 + .1·ln(2/3) = .028768, KL(c‖m) = .2·ln(4/3)
        // = .057536; distance √((.028768 + .057536)/2) = .207731.
        #expect(abs(scores.jensenShannon - 0.207731) < 1e-5, "\(scores.jensenShannon)")
        // W1 = 10 (every quantile moved by 10); σ of 1…100 = √((100² − 1)/12) = 28.866070.
        #expect(abs(try #require(scores.wasserstein) - 10 / 28.866070) < 1e-5)
        #expect(scores.nullRateChange == 0)

        let same = try Drift.scores(baseline: baseline, current: baseline)
        #expect(same.psi == 0 && same.jensenShannon == 0 && same.wasserstein == 0)
    }

    @Test func categoriesAndNullsByHand() throws {
        // Baseline a ×50, b ×50; current a ×75, b ×25, and 100 nulls more in 200 rows.
        let baseline = Self.statistics(Array(repeating: .string("a"), count: 50) + Array(repeating: .string("b"), count: 50))
        let current = Self.statistics(Array(repeating: .string("a"), count: 75) + Array(repeating: .string("b"), count: 25)
            + Array(repeating: .null, count: 100))
        let scores = try Drift.scores(baseline: baseline, current: current)
        // PSI: (.75 − .5)·ln 1.5 + (.25 − .5)·ln .5 = .101366 + .173287 (the pooled rest is 0 on both sides).
        #expect(abs(scores.psi - 0.274653) < 1e-5, "\(scores.psi)")
        // JS: m = [.625, .375]; .5·ln(.5/.625)·2 … = √((KL(b‖m) + KL(c‖m))/2).
        let m = [0.625, 0.375], b = [0.5, 0.5], c = [0.75, 0.25]
        let expected = ((zip(b, m).map { $0 * log($0 / $1) }.reduce(0, +) + zip(c, m).map { $0 * log($0 / $1) }.reduce(0, +)) / 2).squareRoot()
        #expect(abs(scores.jensenShannon - expected) < 1e-9)
        #expect(scores.wasserstein == nil)
        #expect(scores.nullRateChange == 0.5)
    }

    @Test func refusals() {
        let few = Self.statistics((1...5).map { .int64(Int64($0)) })
        let many = Self.statistics((1...50).map { .int64(Int64($0)) })
        #expect(throws: DriftError.tooFewValues(baseline: 5, current: 50, needed: 10)) { try Drift.scores(baseline: few, current: many) }
        let words = Self.statistics((1...50).map { .string("w\($0)") })
        #expect(throws: DriftError.differentKinds(baseline: "numbers", current: "strings")) { try Drift.scores(baseline: many, current: words) }
        #expect(DriftError.tooFewValues(baseline: 5, current: 50, needed: 10).description
            == "too few values for a score: 5 in the baseline and 50 now; at least 10 on each side")
    }
}
