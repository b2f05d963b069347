import Foundation
import Larder

/// Numbers, sizes, rates and times the way people read them.
enum Format {
    /// Four significant digits: `0.5012`, `1.235e+06` (statistics).
    static func significant(_ value: Double) -> String {
        String(format: "%.4g", value)
    }

    /// A drift score: `0.0862`.
    static func score(_ value: Double) -> String {
        String(format: "%.4f", value)
    }

    /// A share as a percentage: `33.3%`, `0.05%`.
    static func percent(_ share: Double) -> String {
        String(format: share < 0.1 && share > 0 ? "%.2f%%" : "%.1f%%", share * 100)
    }

    /// `72,000`.
    static func count(_ value: Int) -> String {
        let digits = String(abs(value))
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return (value < 0 ? "-" : "") + groups.joined(separator: ",")
    }

    /// `812k`, `1.4M`: a rate or a large count in three significant figures.
    static func compact(_ value: Double) -> String {
        switch value {
        case ..<1_000: String(format: "%.0f", value)
        case ..<10_000: String(format: "%.1fk", value / 1_000)
        case ..<1_000_000: String(format: "%.0fk", value / 1_000)
        case ..<10_000_000: String(format: "%.2fM", value / 1_000_000)
        default: String(format: "%.1fM", value / 1_000_000)
        }
    }

    /// `812k rows/s`.
    static func rate(_ rows: Int, seconds: Double) -> String {
        guard seconds > 0 else { return "- rows/s" }
        return compact(Double(rows) / seconds) + " rows/s"
    }

    /// `3.8 MB`.
    static func bytes(_ value: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var size = Double(value)
        var unit = 0
        while size >= 1_000, unit < units.count - 1 {
            size /= 1_000
            unit += 1
        }
        return unit == 0 ? "\(value) B" : String(format: size < 10 ? "%.1f" : "%.0f", size) + " " + units[unit]
    }

    /// `0.42 s`, `12 ms`, `3.1 µs`.
    static func seconds(_ value: Double) -> String {
        switch value {
        case ..<0.000_001: String(format: "%.0f ns", value * 1e9)
        case ..<0.001: String(format: "%.1f µs", value * 1e6)
        case ..<1: String(format: "%.0f ms", value * 1e3)
        case ..<60: String(format: "%.2f s", value)
        default: String(format: "%dm%02ds", Int(value) / 60, Int(value) % 60)
        }
    }

    /// A time, or `…` for the open ends (the beginning or end of time) of an interval.
    static func time(_ timestamp: Timestamp?) -> String {
        guard let timestamp else { return "-" }
        if timestamp.microseconds == .min || timestamp.microseconds == .max { return "…" }
        return timestamp.description
    }

    /// A wall-clock time to the second: `2024-05-01T12:00:00Z`.
    static func wallClock(_ timestamp: Timestamp) -> String {
        Timestamp(microseconds: timestamp.microseconds - ((timestamp.microseconds % 1_000_000) + 1_000_000) % 1_000_000).description
    }

    /// A feature value in a table: `null` shown as `-`.
    static func value(_ value: FeatureValue) -> String {
        value.isNull ? "-" : value.description
    }

    /// `1d` for a ttl, `none` for no limit.
    static func ttl(_ duration: Duration) -> String {
        duration == .zero ? "none" : TimeParsing.format(duration)
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// Measures how long `body` takes.
func timed<R>(_ body: () throws -> R) rethrows -> (R, Double) {
    let clock = ContinuousClock()
    let start = clock.now
    let result = try body()
    return (result, (clock.now - start).seconds)
}
