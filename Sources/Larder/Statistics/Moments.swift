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

    /// Adds a block of finite values, nearly sorted (`DoubleRadixSort`), in one pass: the count,
    /// the extremes, and the sums of the values' differences from the block's middle value and
    /// of their squares, from which the block's mean and squared deviations follow (no division
    /// per value), merged in. The middle value lies within a standard deviation of the mean (as
    /// any median does) give or take a millionth of itself, so the two sums cannot cancel: the
    /// squared deviations keep all but a bit or two of their precision unless the values spread
    /// by less than a millionth of their size.
    mutating func add(sortedBlock block: UnsafeBufferPointer<Double>) {
        guard !block.isEmpty else { return }
        let center = block[block.count / 2]
        var sum = 0.0, squares = 0.0, low = Double.infinity, high = -Double.infinity
        for value in block {
            let difference = value - center
            sum += difference
            squares += difference * difference
            low = Swift.min(low, value)
            high = Swift.max(high, value)
        }
        let count = Double(block.count)
        var part = Moments()
        (part.count, part.minimum, part.maximum) = (block.count, low, high)
        (part.mean, part.squaredDeviations) = (center + sum / count, Swift.max(0, squares - sum * sum / count))
        merge(part)
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
