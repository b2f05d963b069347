/// Count, minimum, maximum, mean and variance of finite numbers, updated one value at a time
/// with Welford's method and merged with Chan et al.'s formula: numerically stable (no sum of
/// squares that cancels), and two halves merged give the statistics of the whole.
public struct Moments: Codable, Sendable, Equatable {
    public private(set) var count: Int = 0
    public private(set) var minimum: Double = .infinity
    public private(set) var maximum: Double = -.infinity
    public private(set) var mean: Double = 0
    /// Sum of squared differences from the mean.
    private var squaredDeviations: Double = 0

    public init() {}

    public mutating func add(_ value: Double) {
        count += 1
        minimum = Swift.min(minimum, value)
        maximum = Swift.max(maximum, value)
        let delta = value - mean
        mean += delta / Double(count)
        squaredDeviations += delta * (value - mean)
    }

    /// Adds the finite values of a block, moving them to its front, and returns how many there
    /// are (infinities and NaN have no mean) and their extremes. Two passes: their count,
    /// extremes and sum, then their squared differences from the mean that sum gives — the
    /// two-pass method, stable wherever the values lie — merged in. No division per value, and
    /// the differences two at a time (`SIMD2`). The first pass assumes every value finite, which
    /// a finite sum confirms (an infinity or a NaN makes the sum infinite or NaN); only then are
    /// values checked one by one.
    mutating func add(finiteOf block: UnsafeMutableBufferPointer<Double>) -> (count: Int, low: Double, high: Double) {
        guard !block.isEmpty else { return (0, .infinity, -.infinity) }
        var (sum, low, high) = Self.sumAndExtremes(UnsafeBufferPointer(block))
        var count = block.count
        if !sum.isFinite {
            count = 0
            for value in block where value.isFinite {
                block[count] = value
                count += 1
            }
            guard count > 0 else { return (0, .infinity, -.infinity) }
            (sum, low, high) = Self.sumAndExtremes(UnsafeBufferPointer(rebasing: block[..<count]))
        }
        let blockMean = sum / Double(count)
        var part = Moments()
        (part.count, part.minimum, part.maximum, part.mean) = (count, low, high, blockMean)
        part.squaredDeviations = Self.squaredDeviations(UnsafeBufferPointer(rebasing: block[..<count]), from: blockMean)
        merge(part)
        return (count, low, high)
    }

    private static func sumAndExtremes(_ values: UnsafeBufferPointer<Double>) -> (sum: Double, low: Double, high: Double) {
        // Scalar: `minsd` and `maxsd` are one instruction each, a vector minimum is four.
        var sum = 0.0, low = Double.infinity, high = -Double.infinity
        for value in values {
            sum += value
            low = value < low ? value : low
            high = high < value ? value : high
        }
        return (sum, low, high)
    }

    private static func squaredDeviations(_ values: UnsafeBufferPointer<Double>, from mean: Double) -> Double {
        var sums = SIMD2<Double>()
        let means = SIMD2<Double>(repeating: mean)
        let base = UnsafeRawPointer(values.baseAddress!), pairs = values.count / 2
        for pair in 0..<pairs {
            let difference = base.loadUnaligned(fromByteOffset: pair &* 16, as: SIMD2<Double>.self) - means
            sums += difference * difference
        }
        var sum = sums.sum()
        if values.count % 2 == 1, let last = values.last { sum += (last - mean) * (last - mean) }
        return sum
    }

    public mutating func merge(_ other: Moments) {
        guard other.count > 0 else { return }
        guard count > 0 else {
            self = other
            return
        }
        let total = Double(count + other.count)
        let delta = other.mean - mean
        mean += delta * Double(other.count) / total
        squaredDeviations += other.squaredDeviations + delta * delta * Double(count) * Double(other.count) / total
        count += other.count
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
    }

    /// The population variance (nil without values).
    public var variance: Double? {
        count > 0 ? squaredDeviations / Double(count) : nil
    }

    /// The population standard deviation, as Evidently and pandas' `std(ddof=0)` compute it.
    public var standardDeviation: Double? {
        variance.map { $0.squareRoot() }
    }

    private enum CodingKeys: String, CodingKey {
        case count, minimum, maximum, mean, squaredDeviations = "squared_deviations"
    }

    // Without values the minimum and maximum are infinite, which JSON cannot hold: left out.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        count = try container.decode(Int.self, forKey: .count)
        minimum = try container.decodeIfPresent(Double.self, forKey: .minimum) ?? .infinity
        maximum = try container.decodeIfPresent(Double.self, forKey: .maximum) ?? -.infinity
        mean = try container.decode(Double.self, forKey: .mean)
        squaredDeviations = try container.decode(Double.self, forKey: .squaredDeviations)
        guard (0...(1 << 53)).contains(count), mean.isFinite, squaredDeviations.isFinite, squaredDeviations >= 0,
              count == 0 || (minimum.isFinite && maximum.isFinite && minimum <= maximum) else {
            throw DecodingError.dataCorruptedError(forKey: .count, in: container, debugDescription: "not moments of numbers")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(count, forKey: .count)
        if count > 0 {
            try container.encode(minimum, forKey: .minimum)
            try container.encode(maximum, forKey: .maximum)
        }
        try container.encode(mean, forKey: .mean)
        try container.encode(squaredDeviations, forKey: .squaredDeviations)
    }
}
