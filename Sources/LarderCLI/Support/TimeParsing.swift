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
            return trimmed.dropFirst(3).first == "+" ? .now + offset : .now - offset
        }
        if let seconds = epochSeconds(trimmed) { return seconds }
        guard let parsed = iso8601(trimmed) else {
            throw ValidationError("invalid time '\(text)'; write 2024-05-01, 2024-05-01T12:00:00Z, epoch seconds, or now-1d")
        }
        return parsed
    }

    static func duration(_ text: String) throws -> Duration {
        guard let microseconds = durationMicroseconds(text) else {
            throw ValidationError("invalid duration '\(text)'; write 30d, 12h, 1h30m, 90s, 500ms or seconds")
        }
        return .microseconds(microseconds)
    }

    // MARK: - Durations (the library's syntax)

    static func durationMicroseconds(_ text: String) -> Int64? {
        guard let duration = try? Duration(parsing: text) else { return nil }
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }

    /// `1d`, `1h30m`, `500ms`, `0`: the shortest form, as definitions files write it.
    static func format(_ duration: Duration) -> String { duration.larderDescription }

    // MARK: - Times

    private static func epochSeconds(_ text: String) -> Timestamp? {
        guard !text.isEmpty, text.allSatisfy({ ("0"..."9").contains($0) || $0 == "." || $0 == "-" }),
              text.dropFirst().allSatisfy({ $0 != "-" }), let seconds = Double(text) else { return nil }
        return Timestamp(microseconds: Int64((seconds * 1_000_000).rounded()))
    }

    /// ISO-8601 as sources read it, except that a time without a zone is UTC here.
    private static func iso8601(_ text: String) -> Timestamp? {
        try? Timestamp(parsing: text, format: .iso8601AssumingOffset(seconds: 0))
    }
}
