#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A point in time: microseconds since the Unix epoch, UTC — the unit of every stored time.
///
/// Times span ±292,277 years around 1970. Arithmetic never traps: a result past either end is
/// clamped to it (`Timestamp(microseconds: .min)` and `.max` stand for the beginning and the end
/// of time), so `now - ttl` with a far-past `now` means "any time at all", as it should.
public struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var microseconds: Int64

    @inlinable public init(microseconds: Int64) { self.microseconds = microseconds }

    /// Whole seconds since the epoch, clamped to the representable range.
    public init(seconds: Int64) {
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000)
        self.microseconds = overflow ? (seconds < 0 ? .min : .max) : product
    }

    /// Whole seconds since the epoch, or nil past ±9,223,372,036,854 (the representable range).
    public init?(exactlySeconds seconds: Int64) {
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000)
        guard !overflow else { return nil }
        self.microseconds = product
    }

    /// The current wall-clock time.
    public static var now: Timestamp {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Timestamp(microseconds: Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.microseconds < rhs.microseconds }

    /// `lhs` moved by `rhs`, clamped to the representable range.
    public static func + (lhs: Timestamp, rhs: Duration) -> Timestamp {
        Timestamp(microseconds: clampedSum(lhs.microseconds, rhs.microseconds, negated: false))
    }

    /// `lhs` moved back by `rhs`, clamped to the representable range.
    public static func - (lhs: Timestamp, rhs: Duration) -> Timestamp {
        Timestamp(microseconds: clampedSum(lhs.microseconds, rhs.microseconds, negated: true))
    }

    /// `lhs` moved by `rhs`, or nil when the result is not representable: for parsers, where
    /// such a time is the user's mistake, not "the end of time".
    public func adding(exactly duration: Duration) -> Timestamp? {
        guard let offset = duration.exactMicroseconds else { return nil }
        let (sum, overflow) = microseconds.addingReportingOverflow(offset)
        return overflow ? nil : Timestamp(microseconds: sum)
    }

    private static func clampedSum(_ time: Int64, _ offset: Int64, negated: Bool) -> Int64 {
        // `offset` is already clamped; negating .min would overflow, so it goes to .max.
        let step = negated ? (offset == .min ? .max : -offset) : offset
        let (sum, overflow) = time.addingReportingOverflow(step)
        return overflow ? (step < 0 ? .min : .max) : sum
    }

    public var description: String { ISO8601.format(self) }
}

extension Duration {
    /// Whole microseconds, the resolution Larder stores, clamped to ±(2^63 − 1) µs (±292,277
    /// years). Validation keeps stored durations within that range; clamping only keeps reads of
    /// a store written without it from trapping.
    var microseconds: Int64 {
        exactMicroseconds ?? (self < .zero ? .min : .max)
    }

    /// Whole microseconds, or nil when the duration does not fit in 2^63 µs (about 292,277 years).
    public var exactMicroseconds: Int64? {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000)
        guard !overflow else { return nil }
        let (sum, overflowed) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000_000)
        return overflowed ? nil : sum
    }
}
