/// Durations as definitions files write them (`ttl: 1h30m`), and back again for plan output.
///
/// The syntax: `0`; a bare integer of seconds (`90`); or number+unit pairs from largest to
/// smallest unit, each unit at most once (`1d`, `12h`, `1h30m`, `90s`, `500ms`). A leading `-`
/// negates the whole duration. Parsing does not reject negative values: whether a negative
/// duration makes sense is a question for validation, which can then say so in its own terms.

/// Why a duration's text could not be read.
struct DurationSyntaxError: Error, Equatable, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// The units a duration may use, largest first; the order is also the order they must appear in.
private let durationUnits: [(name: String, milliseconds: Int64)] = [
    ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1),
]

/// Reads `0`, `90`, `1d`, `1h30m`, `500ms`, `-1d`.
func parseDuration(_ text: String) throws(DurationSyntaxError) -> Duration {
    var rest = Substring(text)
    let negative = rest.first == "-"
    if negative { rest = rest.dropFirst() }
    guard !rest.isEmpty else { throw DurationSyntaxError(message: "expected a duration such as 0, 90 (seconds), 1d, 1h30m or 500ms") }

    // A bare integer means seconds, so `ttl: 3600` reads as people expect.
    if rest.allSatisfy(\.isASCIIDigit) {
        let milliseconds = try scaled(rest, by: 1_000, text: text)
        guard milliseconds <= maxMilliseconds else { throw tooLarge(text) }
        return .milliseconds(negative ? -milliseconds : milliseconds)
    }

    var total: Int64 = 0
    var smallestUnitSoFar = -1  // index into durationUnits of the last unit read
    while !rest.isEmpty {
        let digits = rest.prefix(while: \.isASCIIDigit)
        guard !digits.isEmpty else {
            throw DurationSyntaxError(message: "expected a number at '\(rest)' (a duration is number+unit pairs such as 1h30m)")
        }
        rest = rest.dropFirst(digits.count)
        let unitText = rest.prefix(while: { !$0.isASCIIDigit })
        rest = rest.dropFirst(unitText.count)
        guard let unitIndex = durationUnits.firstIndex(where: { $0.name == unitText }) else {
            let found = unitText.isEmpty ? "a number without a unit" : "unknown unit '\(unitText)'"
            throw DurationSyntaxError(message: "\(found); units are d, h, m, s, ms")
        }
        // Requiring largest-to-smallest catches `1m30m` and `30m1h`, which are almost always typos.
        guard unitIndex > smallestUnitSoFar else {
            throw DurationSyntaxError(message: "units must go from largest to smallest, each at most once (d, h, m, s, ms)")
        }
        smallestUnitSoFar = unitIndex
        let part = try scaled(digits, by: durationUnits[unitIndex].milliseconds, text: text)
        let (sum, overflow) = total.addingReportingOverflow(part)
        guard !overflow else { throw tooLarge(text) }
        total = sum
    }
    guard total <= maxMilliseconds else { throw tooLarge(text) }
    return .milliseconds(negative ? -total : total)
}

/// The canonical spelling of a duration: largest units first, zero parts left out
/// (`86400s` → `1d`, `5400s` → `1h30m`, zero → `0`).
///
/// Exact for whole milliseconds, which is everything `parseDuration` produces. A duration with a
/// finer remainder (set in Swift) has no spelling in the file syntax, so it is shown in Swift's own
/// words (`0.0015 seconds`) rather than rounded into a value it is not.
func formatDuration(_ duration: Duration) -> String {
    if duration == .zero { return "0" }
    if duration < .zero { return "-" + formatDuration(.zero - duration) }

    let (seconds, attoseconds) = duration.components
    let attosecondsPerMillisecond: Int64 = 1_000_000_000_000_000
    guard attoseconds % attosecondsPerMillisecond == 0 else { return duration.description }

    // Work in seconds and milliseconds separately so long durations cannot overflow.
    var remainingSeconds = seconds
    var text = ""
    for unit in durationUnits where unit.milliseconds >= 1_000 {
        let unitSeconds = unit.milliseconds / 1_000
        let count = remainingSeconds / unitSeconds
        if count > 0 { text += "\(count)\(unit.name)" }
        remainingSeconds %= unitSeconds
    }
    let milliseconds = attoseconds / attosecondsPerMillisecond
    if milliseconds > 0 { text += "\(milliseconds)ms" }
    return text
}

/// `digits` × `factor`, or an error if the result does not fit.
private func scaled(_ digits: Substring, by factor: Int64, text: String) throws(DurationSyntaxError) -> Int64 {
    guard let value = Int64(digits) else { throw tooLarge(text) }
    let (product, overflow) = value.multipliedReportingOverflow(by: factor)
    guard !overflow else { throw tooLarge(text) }
    return product
}

/// Larder stores durations in microseconds (Int64): at most 106751991d4h54ms and a bit.
private let maxMilliseconds = Int64.max / 1_000

private func tooLarge(_ text: String) -> DurationSyntaxError {
    DurationSyntaxError(message: "too large: at most 106751991d (about 292,000 years)")
}

extension Character {
    /// Only ASCII digits: `Character.isNumber` also accepts digits of other scripts and fractions.
    fileprivate var isASCIIDigit: Bool { isASCII && isWholeNumber }
}

/// The definitions-file syntax, public so tools built on Larder (its CLI first) read durations
/// exactly as definitions files do.
extension Duration {
    /// Parses the definitions-file syntax: `0`, bare seconds, or number+unit pairs with the
    /// largest unit first (`30d`, `12h`, `1h30m`, `90s`, `500ms`).
    public init(parsing text: String) throws {
        self = try parseDuration(text)
    }

    /// The shortest definitions-file spelling: `1d`, `1h30m`, `500ms`, `0`.
    public var larderDescription: String { formatDuration(self) }
}
