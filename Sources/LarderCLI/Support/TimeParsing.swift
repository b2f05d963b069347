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

    // MARK: - Durations

    private static let units: [(name: String, microseconds: Int64)] = [
        ("d", 86_400_000_000), ("h", 3_600_000_000), ("ms", 1_000), ("m", 60_000_000), ("s", 1_000_000),
    ]
    /// Units from largest to smallest, for the "largest unit first" rule.
    private static let order = ["d", "h", "m", "s", "ms"]

    static func durationMicroseconds(_ text: String) -> Int64? {
        var rest = Substring(text)
        var sign: Int64 = 1
        if rest.first == "-" {
            sign = -1
            rest = rest.dropFirst()
        }
        guard !rest.isEmpty else { return nil }
        if rest.allSatisfy(\.isASCIIDigit), let seconds = Int64(rest) {
            return sign * seconds * 1_000_000
        }
        var total: Int64 = 0
        var lastRank = -1
        while !rest.isEmpty {
            let digits = rest.prefix(while: \.isASCIIDigit)
            guard !digits.isEmpty, let number = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.name) }),
                  let rank = order.firstIndex(of: unit.name), rank > lastRank else { return nil }
            rest = rest.dropFirst(unit.name.count)
            lastRank = rank
            let (product, overflow) = number.multipliedReportingOverflow(by: unit.microseconds)
            guard !overflow else { return nil }
            total += product
        }
        return sign * total
    }

    /// `1d`, `1h30m`, `500ms`, `0`: the shortest form, as definitions files write it.
    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        var micros = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        if micros == 0 { return "0" }
        var text = micros < 0 ? "-" : ""
        micros = abs(micros)
        for name in order {
            let size = units.first { $0.name == name }!.microseconds
            if micros >= size {
                text += "\(micros / size)\(name)"
                micros %= size
            }
        }
        if micros > 0 { text += "\(micros)us" }
        return text
    }

    // MARK: - Times

    private static func epochSeconds(_ text: String) -> Timestamp? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCIIDigit || $0 == "." || $0 == "-" }),
              text.dropFirst().allSatisfy({ $0 != "-" }), let seconds = Double(text) else { return nil }
        return Timestamp(microseconds: Int64((seconds * 1_000_000).rounded()))
    }

    private static func iso8601(_ text: String) -> Timestamp? {
        let chars = Array(text)
        var index = 0
        func number(_ width: Int) -> Int64? {
            guard index + width <= chars.count else { return nil }
            let slice = chars[index..<index + width]
            guard slice.allSatisfy(\.isASCIIDigit) else { return nil }
            index += width
            return Int64(String(slice))
        }
        func expect(_ character: Character) -> Bool {
            guard index < chars.count, chars[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
              (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else { return nil }
        var seconds = days(year: year, month: month, day: day) * 86_400
        var micros: Int64 = 0
        if index < chars.count, chars[index] == "T" || chars[index] == "t" || chars[index] == " " {
            index += 1
            guard let hour = number(2), expect(":"), let minute = number(2), hour < 24, minute < 60 else { return nil }
            seconds += hour * 3600 + minute * 60
            if expect(":") {
                guard let second = number(2), second < 60 else { return nil }
                seconds += second
                if expect(".") {
                    let digits = chars[index...].prefix(while: \.isASCIIDigit)
                    guard (1...9).contains(digits.count) else { return nil }
                    let padded = (String(digits) + "000000").prefix(6)
                    micros = Int64(padded)!
                    index += digits.count
                }
            }
        }
        if index < chars.count {
            if expect("Z") || expect("z") {
                // UTC
            } else if chars[index] == "+" || chars[index] == "-" {
                let sign: Int64 = chars[index] == "+" ? 1 : -1
                index += 1
                guard let hours = number(2), hours < 24 else { return nil }
                _ = expect(":")
                guard let minutes = number(2), minutes < 60 else { return nil }
                seconds -= sign * (hours * 3600 + minutes * 60)
            } else {
                return nil
            }
        }
        guard index == chars.count else { return nil }
        return Timestamp(microseconds: seconds * 1_000_000 + micros)
    }

    private static func isLeap(_ year: Int64) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
