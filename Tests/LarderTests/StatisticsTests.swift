import Foundation
@testable import Larder
import Testing

/// The mergeable statistics a snapshot will carry: exact where they are exact (worked by hand),
/// within their stated error where they are sketches, and the same whether computed at once or
/// merged from parts.
@Suite struct StatisticsTests {
    /// A fixed permutation of 0..<count: the order a sketch sees must not be the sorted one.
    static func shuffled(_ count: Int) -> [Double] {
        var generator = SeededGenerator(seed: 42)
        return (0..<count).map(Double.init).shuffled(using: &generator)
    }

    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state = StableHash.mix(state &+ 0x9e37_79b9_7f4a_7c15)
            return state
        }
    }

    @Test func momentsByHand() throws {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations 9+1+1+1+0+0+4+16 = 32, variance 4.
        var moments = Moments()
        for value in [2.0, 4, 4, 4, 5, 5, 7, 9] { moments.add(value) }
        #expect(moments.count == 8 && moments.mean == 5 && moments.minimum == 2 && moments.maximum == 9)
        #expect(moments.variance == 4 && moments.standardDeviation == 2)

        var first = Moments(), second = Moments()
        for value in [2.0, 4, 4] { first.add(value) }
        for value in [4.0, 5, 5, 7, 9] { second.add(value) }
        first.merge(second)
        let variance = try #require(first.variance)
        #expect(first.count == 8 && abs(first.mean - 5) < 1e-12 && abs(variance - 4) < 1e-12)
        #expect(Moments().variance == nil)
    }

    @Test func momentsStayAccurateFarFromZero() throws {
        // A naive sum of squares loses every digit here; Welford's update keeps them.
        var moments = Moments()
        for value in [4.0, 7, 13, 16] { moments.add(1e9 + value) }
        #expect(abs(try #require(moments.variance) - 22.5) < 1e-6)
    }

    @Test func quantilesWithinTheStatedRankError() throws {
        let values = Self.shuffled(200_000)
        var sketch = QuantileSketch()
        for value in values { sketch.add(value) }
        #expect(sketch.count == 200_000)
        #expect(sketch.retained < 1_000)
        for fraction in stride(from: 0.01, through: 0.99, by: 0.01) {
            let value = try #require(sketch.quantile(fraction))
            // The true rank of a value v of 0..<n is v/n.
            #expect(abs(value / 200_000 - fraction) < 0.02, "quantile \(fraction) is \(value)")
        }
        #expect(try #require(sketch.quantile(0)) < 2_000)
        #expect(abs(sketch.rank(100_000) - 0.5) < 0.02)
    }

    /// Blocks (as a run's collector adds them): the same moments as one value at a time,
    /// quantiles within the same bound, and infinities and NaN left out and counted.
    @Test func blocksOfValues() throws {
        var values = Self.shuffled(200_000)
        var blocked = FeatureStatistics.Numbers()
        var streamed = Moments()
        for value in values { streamed.add(value) }
        values.insert(contentsOf: [.infinity, -.nan, -.infinity], at: 5_000)
        var left = 0
        values.withUnsafeMutableBufferPointer { all in
            for start in stride(from: 0, to: all.count, by: 4_096) {
                left += blocked.add(block: UnsafeMutableBufferPointer(rebasing: all[start..<min(start + 4_096, all.count)]))
            }
        }
        #expect(left == 3)
        #expect(blocked.moments.count == 200_000 && blocked.quantiles.count == 200_000)
        #expect(abs(blocked.moments.mean - streamed.mean) < 1e-6)
        #expect(abs(try #require(blocked.moments.variance) / (try #require(streamed.variance)) - 1) < 1e-9)
        #expect(blocked.moments.minimum == 0 && blocked.moments.maximum == 199_999)
        #expect(blocked.quantiles.retained < 1_000)
        for fraction in stride(from: 0.01, through: 0.99, by: 0.01) {
            let value = try #require(blocked.quantiles.quantile(fraction))
            #expect(abs(value / 200_000 - fraction) < 0.02, "quantile \(fraction) is \(value)")
        }
    }

    /// Sorted but for values within 2⁻²² of their spread or a millionth of themselves of each
    /// other, which may keep their order: for values of one exponent, far from zero and spread
    /// over signs and many exponents.
    @Test func radixSortOrdersDoublesToTheirSpread() {
        func sorted(_ values: [Double]) -> [Double] {
            var sorted = values
            sorted.withUnsafeMutableBufferPointer { DoubleRadixSort.nearlySort($0, between: values.min() ?? 0, and: values.max() ?? 0) }
            return sorted
        }
        var generator = SeededGenerator(seed: 7)
        var values = (0..<5_000).map { _ in Double.random(in: -1e6...1e6, using: &generator) }
        values += [0, -0.0, 1, -1, .leastNonzeroMagnitude, 42, 42]
        // Neighbours a millionth apart, given in descending order.
        values += [1_000.001, 1_000.000_5, 1_000.0, -3.000_002, -3.000_004]
        let result = sorted(values)
        // Spanning both signs, values agree on the sign, the exponent and 12 mantissa bits when
        // they are closer than 2⁻¹² of their magnitude: only those may stay unordered.
        #expect(zip(result, result.dropFirst()).allSatisfy { $0 <= $1 || ($0 - $1) <= abs($0) * 0x1p-12 })
        // Of one sign and binary exponent, 24 bits of the spread: a millionth apart is sorted.
        let close = [1_000.001, 1_000.000_5, 1_000.0, 1_000.002, 1_001.5, 1_000.000_25]
        #expect(sorted(close) == close.sorted())
        #expect(result.sorted() == values.sorted())
        // Values further apart than that: exactly sorted.
        let spread = (0..<5_000).map { Double($0) * 1.5 - 3_000 }.shuffled(using: &generator)
        #expect(sorted(spread) == spread.sorted())
        // Far from zero, by the spread of the values: a billion and eighths share their top 32
        // bits, and still come out sorted.
        let far = (0..<5_000).map { 1e9 + Double($0 % 100) / 8 }.shuffled(using: &generator)
        #expect(sorted(far) == far.sorted())
        // Two-decimal rates and zeros: the exponents vary, the values still come out sorted.
        let rates = (0..<5_000).map { Double($0 % 100) / 100 }.shuffled(using: &generator)
        #expect(sorted(rates) == rates.sorted())
        #expect(sorted([]).isEmpty && sorted([2]) == [2] && sorted([3, 3]) == [3, 3])
        // Negative zeros among zeros and numbers: zeros, in their place.
        let zeros = sorted([5, -0.0, 0.0, -2, -0.0, 1e-300])
        #expect(zeros == [-2, 0, 0, 0, 1e-300, 5] && zeros.allSatisfy { $0 != 0 || $0.sign == .plus })
    }

    @Test func quantileSketchesMergeAndRepeat() throws {
        let values = Self.shuffled(100_000)
        var first = QuantileSketch(), second = QuantileSketch(), again = QuantileSketch()
        for value in values[..<30_000] { first.add(value) }
        for value in values[30_000...] { second.add(value) }
        for value in values[..<30_000] { again.add(value) }
        #expect(first == again)  // the same values in the same order: the same sketch
        first.merge(second)
        #expect(first.count == 100_000)
        for fraction in [0.1, 0.25, 0.5, 0.75, 0.9] {
            #expect(abs(try #require(first.quantile(fraction)) / 100_000 - fraction) < 0.02)
        }
        #expect(QuantileSketch().quantile(0.5) == nil)
    }

    @Test func distinctCounts() throws {
        var small = DistinctCount()
        for index in 0..<1_000 { small.add("value \(index % 500)") }
        // Linear counting at 500 of 4,096 registers: a standard error of about 1.1%; 3σ is 17.
        #expect(abs(small.estimate - 500) <= 17, "\(small.estimate)")

        var first = DistinctCount(), second = DistinctCount()
        for index in 0..<60_000 { first.add("customer-\(index)") }
        for index in 40_000..<100_000 { second.add("customer-\(index)") }
        first.merge(second)
        // 100,000 distinct; three standard errors of 1.6% is 4.9%.
        #expect(abs(Double(first.estimate) / 100_000 - 1) < 0.049, "\(first.estimate)")

        let decoded = try JSONDecoder().decode(DistinctCount.self, from: JSONEncoder().encode(first))
        #expect(decoded == first)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(DistinctCount.self, from: Data(#""AAAA""#.utf8)) }
    }

    @Test func frequentValues() {
        var values = FrequentValues(capacity: 16)
        for index in 0..<3_000 {
            values.add(index % 3 == 0 ? "plus" : index % 5 == 0 ? "premium" : "other \(index)")
        }
        let top = values.top(2)
        #expect(top.map(\.value) == ["plus", "premium"])
        #expect(top[0].count - top[0].error <= 1_000 && 1_000 <= top[0].count)

        var first = FrequentValues(), second = FrequentValues()
        for _ in 0..<10 { first.add("a") }
        for _ in 0..<5 { first.add("b") }
        for _ in 0..<7 { second.add("b") }
        first.merge(second)
        #expect(first.top(2).map { [$0.value: $0.count] } == [["b": 12], ["a": 10]])
    }

    /// Many distinct values through few counters: every eviction keeps the table consistent,
    /// and the heavy hitter is found with a count that never understates.
    @Test func frequentValuesUnderChurn() throws {
        var values = FrequentValues(capacity: 8)
        for index in 0..<30_000 { values.add(index % 3 == 0 ? "heavy" : "unique \(index)") }
        let top = try #require(values.top(1).first)
        #expect(top.value == "heavy" && top.count >= 10_000 && top.count - top.error <= 10_000)
        values.add("heavy")
        #expect(values.top(1).first?.count == top.count + 1)
        let decoded = try JSONDecoder().decode(FrequentValues.self, from: JSONEncoder().encode(values))
        #expect(decoded == values)
        var again = decoded
        again.add("heavy")
        #expect(again.top(1).first?.count == top.count + 2)
    }

    /// Statistics files come from anywhere: what cannot be statistics is refused as it is read.
    @Test func impossibleStatisticsAreRefused() {
        let decoder = JSONDecoder()
        for text in [
            #"{"capacity": 9223372036854775807, "entries": []}"#,
            #"{"capacity": 4, "entries": [{"value": "a", "count": 1, "error": 0}, {"value": "a", "count": 2, "error": 0}]}"#,
        ] {
            #expect(throws: DecodingError.self, "\(text)") { try decoder.decode(FrequentValues.self, from: Data(text.utf8)) }
        }
        let levels = String(repeating: "[],", count: 61).dropLast()
        for text in [#"{"k": 200, "levels": [\#(levels)], "coin": 1, "count": 0}"#, #"{"k": 2, "levels": [[]], "coin": 1, "count": 0}"#,
                     #"{"k": 200, "levels": [[1]], "coin": 1, "count": -1}"#] {
            #expect(throws: DecodingError.self, "\(text)") { try decoder.decode(QuantileSketch.self, from: Data(text.utf8)) }
        }
        #expect(throws: DecodingError.self) { try decoder.decode(FeatureStatistics.self, from: Data(#"{"rows": 1, "nulls": 2, "non_finite": 0}"#.utf8)) }
        #expect(throws: DecodingError.self) {
            try decoder.decode(Moments.self, from: Data(#"{"count": 2, "minimum": 3, "maximum": 1, "mean": 2, "squared_deviations": 0}"#.utf8))
        }
    }

    @Test func featureStatisticsByType() throws {
        var rate = FeatureStatistics()
        for value: FeatureValue in [.float64(0.5), .null, .float64(1.5), .float64(1)] { rate.add(value) }
        #expect(rate.rows == 4 && rate.nulls == 1 && rate.nullRate == 0.25)
        #expect(rate.numbers?.moments.mean == 1 && rate.strings == nil)

        var segment = FeatureStatistics()
        for value in ["plus", "basic", "plus", "plus"] { segment.add(.string(value)) }
        #expect(segment.strings?.distinct.estimate == 2)
        #expect(segment.strings?.frequent?.top(1).first?.value == "plus")

        var embedding = FeatureStatistics()
        embedding.add(.float32List([1, 2, 3]))
        embedding.add(.float32List([]))
        #expect(embedding.listLengths?.moments.mean == 1.5 && embedding.numbers == nil)

        var whole = FeatureStatistics()
        for value: FeatureValue in [.float64(0.5), .null, .float64(1.5), .float64(1), .float64(3)] { whole.add(value) }
        var merged = rate
        var rest = FeatureStatistics()
        rest.add(.float64(3))
        merged.merge(rest)
        #expect(merged.rows == whole.rows && merged.nulls == whole.nulls && merged.numbers?.moments == whole.numbers?.moments)

        let encoder = JSONEncoder()
        let decoded = try JSONDecoder().decode(FeatureStatistics.self, from: encoder.encode(segment))
        #expect(decoded == segment)

        // Infinities and NaN are counted apart; what stays encodes as JSON.
        var extremes = FeatureStatistics()
        for value: FeatureValue in [.float64(.infinity), .float64(-.infinity), .float64(.nan), .float32(2)] { extremes.add(value) }
        #expect(extremes.rows == 4 && extremes.nonFinite == 3 && extremes.numbers?.moments.count == 1)
        var onlyInfinite = FeatureStatistics()
        onlyInfinite.add(.float64(.infinity))
        #expect(onlyInfinite.numbers == nil)
        #expect(try JSONDecoder().decode(FeatureStatistics.self, from: encoder.encode(extremes)) == extremes)
        #expect(try JSONDecoder().decode(Moments.self, from: encoder.encode(Moments())) == Moments())
    }
}
