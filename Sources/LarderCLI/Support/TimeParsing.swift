import ArgumentParser
import Foundation
import Larder

/// Times and durations as the command line writes them.
///
/// Times: `2024-05-01`, `2024-05-01T12:00`, `2024-05-01T12:00:00`, with optional `.ffffff`
/// fractions and a zone (`Z`, `+02:00`, `-0500`; none means UTC); a space may replace the `T`.
/// Also epoch seconds (`1714564800`, `1714564800.5`), `now`, and `now-1d`, `now+2h`.
///
/// Durations: `0`, bare seconds (`3600`), or number+unit pairs, largest unit first:
/// `30d`, `12h`, `1h30m`, `90s`, `500ms` — the syntax of definitions files.
enum TimeParsing {
    static func timestamp(_ text: String) throws -> Timestamp {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "now" { return .now }
        if trimmed.hasPrefix("now+") || trimmed.hasPrefix("now-") {
            let offset = try duration(String(trimmed.dropFirst(4)))
            guard let time = Timestamp.now.adding(exactly: trimmed.dropFirst(3).first == "+" ? offset : .zero - offset) else {
                throw ValidationError("time '\(text)' is out of range (about 292,000 years either side of 1970)")
            }
            return time
        }
        if let seconds = try epochSeconds(trimmed, text: text) { return seconds }
        guard let parsed = iso8601(trimmed) else {
            throw ValidationError("invalid time '\(text)'; write 2024-05-01, 2024-05-01T12:00:00Z, epoch seconds, or now-1d")
        }
        return parsed
    }

    /// The library's syntax; it also refuses durations Larder cannot store (past 2^63 µs).
    static func duration(_ text: String) throws -> Duration {
        do {
            return try Duration(parsing: text)
        } catch let error as CustomStringConvertible where error.description.hasPrefix("too large") {
            throw ValidationError("duration '\(text)' is \(error.description)")
        } catch {
            throw ValidationError("invalid duration '\(text)'; write 30d, 12h, 1h30m, 90s, 500ms or seconds")
        }
    }

    /// `1d`, `1h30m`, `500ms`, `0`: the shortest form, as definitions files write it.
    static func format(_ duration: Duration) -> String { duration.larderDescription }

    // MARK: - Times

    /// Epoch seconds, nil when `text` is not a number; an error when it is one past the range.
    private static func epochSeconds(_ text: String, text original: String) throws -> Timestamp? {
        guard !text.isEmpty, text.allSatisfy({ ("0"..."9").contains($0) || $0 == "." || $0 == "-" }),
              text.dropFirst().allSatisfy({ $0 != "-" }), let seconds = Double(text) else { return nil }
        // Int64(exactly:) refuses what does not fit (2^63 itself is a Double; Int64.max is not).
        guard let microseconds = Int64(exactly: (seconds * 1_000_000).rounded()) else {
            throw ValidationError("time '\(original)' is out of range: epoch seconds go from -9223372036854 to 9223372036854")
        }
        return Timestamp(microseconds: microseconds)
    }

    /// ISO-8601 as sources read it, except that a time without a zone is UTC here.
    private static func iso8601(_ text: String) -> Timestamp? {
        try? Timestamp(parsing: text, format: .iso8601AssumingOffset(seconds: 0))
    }
}
