/// Reads timestamps from source bytes, in the format the source declares.
///
/// Strict on purpose: no surrounding spaces, no guessing of zones. A zone-less ISO timestamp is
/// an error unless the source declares its offset, because reading local time as UTC would shift
/// every feature silently by hours.
enum TimestampParser {
    static func parse(_ bytes: UnsafeRawBufferPointer, format: TimestampFormat) -> Result<Timestamp, ValueParseError> {
        switch format {
        case .iso8601:
            parseISO8601(bytes, assumedOffsetSeconds: nil)
        case .iso8601AssumingOffset(let seconds):
            parseISO8601(bytes, assumedOffsetSeconds: seconds)
        case .epochSeconds:
            parseEpochSeconds(bytes)
        case .epochMilliseconds:
            parseEpochInteger(bytes, microsecondsPerUnit: 1_000, example: "epoch milliseconds such as 1714564800000")
        case .epochMicroseconds:
            parseEpochInteger(bytes, microsecondsPerUnit: 1, example: "epoch microseconds such as 1714564800000000")
        }
    }

    /// The same for text, for JSON Lines values, pushed rows and tests.
    static func parse(_ text: String, format: TimestampFormat) -> Result<Timestamp, ValueParseError> {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0), format: format) }
    }

    /// A typed cell (JSON Lines, pushed rows, Swift tables): a timestamp as it is; text, or a
    /// number's decimal text, in `format`.
    static func parse(_ cell: FeatureValue, format: TimestampFormat) -> Result<Timestamp, ValueParseError> {
        switch cell {
        case .timestamp(let time): .success(time)
        case .string(let text): parse(text, format: format)
        case .int64(let number): parse(String(number), format: format)
        case .int32(let number): parse(String(number), format: format)
        // A JSON number with a fraction, or a whole one written as 1714521600.0.
        case .float64(let number): parse(Int64(exactly: number).map(String.init) ?? "\(number)", format: format)
        case .null: .failure(ValueParseError("missing timestamp"))
        default: .failure(ValueParseError("\(cell) is not a timestamp"))
        }
    }

    // MARK: - ISO-8601

    /// `YYYY-MM-DD`, or that with `T`/space `HH:MM[:SS[.fraction]]` and an optional zone
    /// (`Z`, `±HH:MM`, `±HHMM`, `±HH`). A date alone is midnight: UTC, or the assumed offset.
    private static func parseISO8601(_ bytes: UnsafeRawBufferPointer, assumedOffsetSeconds: Int?) -> Result<Timestamp, ValueParseError> {
        if let time = parseWholeSecondsUTC(bytes) { return .success(time) }
        var cursor = DigitCursor(bytes)
        // Built only on failure: the message allocates, and most timestamps are fine.
        func invalid() -> Result<Timestamp, ValueParseError> {
            .failure(ValueParseError("\(ValueParseError.quote(bytes)) is not a valid timestamp (expected ISO-8601 such as 2024-05-01T12:00:00Z)"))
        }
        guard let year = cursor.digits(4), cursor.skip("-"),
              let month = cursor.digits(2), cursor.skip("-"),
              let day = cursor.digits(2)
        else { return invalid() }

        var hour = 0, minute = 0, second = 0, microsecond = 0
        var offsetSeconds: Int?
        if cursor.isAtEnd {
            offsetSeconds = assumedOffsetSeconds ?? 0
        } else {
            guard cursor.skip("T") || cursor.skip("t") || cursor.skip(" "),
                  let hours = cursor.digits(2), cursor.skip(":"), let minutes = cursor.digits(2)
            else { return invalid() }
            hour = hours
            minute = minutes
            if cursor.skip(":") {
                guard let seconds = cursor.digits(2) else { return invalid() }
                second = seconds
                if cursor.skip(".") || cursor.skip(",") {
                    guard let fraction = cursor.fractionMicroseconds(maxDigits: 9) else { return invalid() }
                    microsecond = fraction
                }
            }
            if !cursor.isAtEnd {
                guard let zone = cursor.zoneOffsetSeconds() else { return invalid() }
                offsetSeconds = zone
            }
            guard cursor.isAtEnd else { return invalid() }
        }

        if let problem = rangeProblem(year: year, month: month, day: day, hour: hour, minute: minute, second: second) {
            return .failure(ValueParseError("\(ValueParseError.quote(bytes)) is not a valid timestamp: \(problem)"))
        }
        guard let offset = offsetSeconds ?? assumedOffsetSeconds else {
            return .failure(ValueParseError("timestamp \(ValueParseError.quote(bytes)) has no time zone; add Z or an offset, or declare the source's timezone"))
        }
        let days = ISO8601.days(fromCivil: Int64(year), Int64(month), Int64(day))
        let secondOfDay = Int64(hour * 3_600 + minute * 60 + second)
        let seconds = days * 86_400 + secondOfDay - Int64(offset)
        return .success(Timestamp(microseconds: seconds * 1_000_000 + Int64(microsecond)))
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, the shape most sources and training sets write, read in one
    /// straight pass (the cursor's checked steps took half of reading an entity row); nil for
    /// any other shape or an impossible date, which the general parser then reads or explains.
    @inline(__always)
    private static func parseWholeSecondsUTC(_ bytes: UnsafeRawBufferPointer) -> Timestamp? {
        guard bytes.count == 20, let base = bytes.baseAddress else { return nil }
        func byte(_ offset: Int) -> UInt8 { base.load(fromByteOffset: offset, as: UInt8.self) }
        guard byte(4) == UInt8(ascii: "-"), byte(7) == UInt8(ascii: "-"), byte(10) == UInt8(ascii: "T"),
              byte(13) == UInt8(ascii: ":"), byte(16) == UInt8(ascii: ":"), byte(19) == UInt8(ascii: "Z")
        else { return nil }
        var isValid = true
        /// The two digits at `offset` (non-digits clear `isValid`).
        func pair(_ offset: Int) -> Int {
            let tens = byte(offset) &- 0x30, units = byte(offset + 1) &- 0x30
            isValid = isValid && tens <= 9 && units <= 9
            return Int(tens) * 10 + Int(units)
        }
        let year = pair(0) * 100 + pair(2), month = pair(5), day = pair(8)
        let hour = pair(11), minute = pair(14), second = pair(17)
        guard isValid, rangeProblem(year: year, month: month, day: day, hour: hour, minute: minute, second: second) == nil else { return nil }
        let days = ISO8601.days(fromCivil: Int64(year), Int64(month), Int64(day))
        let seconds = days * 86_400 + Int64(hour * 3_600 + minute * 60 + second)
        return Timestamp(microseconds: seconds * 1_000_000)
    }

    /// What is out of range, or `nil` when the fields make a real time.
    private static func rangeProblem(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> String? {
        guard (1...12).contains(month) else { return "month \(month) is not 1-12" }
        let isLeapYear = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let daysInMonth = switch month {
        case 2: isLeapYear ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
        guard (1...daysInMonth).contains(day) else { return "day \(day) is not 1-\(daysInMonth) in month \(month) of \(year)" }
        guard hour <= 23 else { return "hour \(hour) is not 0-23" }
        guard minute <= 59 else { return "minute \(minute) is not 0-59" }
        guard second != 60 else { return "second 60 is a leap second, which stored (POSIX) times cannot hold; write :59 or the next minute" }
        guard second <= 59 else { return "second \(second) is not 0-59" }
        return nil
    }

    // MARK: - Epoch

    /// Whole seconds with an optional fraction (`-1.5`), kept to microseconds by truncation.
    private static func parseEpochSeconds(_ bytes: UnsafeRawBufferPointer) -> Result<Timestamp, ValueParseError> {
        func invalid() -> Result<Timestamp, ValueParseError> {
            .failure(ValueParseError("\(ValueParseError.quote(bytes)) is not a valid timestamp (expected epoch seconds such as 1714564800 or 1714564800.25)"))
        }
        var cursor = DigitCursor(bytes)
        let isNegative = cursor.skip("-")
        if !isNegative { _ = cursor.skip("+") }
        guard let whole = cursor.integer() else { return invalid() }
        var fraction = 0
        if cursor.skip(".") {
            guard let micros = cursor.fractionMicroseconds(maxDigits: .max) else { return invalid() }
            fraction = micros
        }
        guard cursor.isAtEnd else { return invalid() }
        let (scaled, overflowed) = whole.multipliedReportingOverflow(by: 1_000_000)
        guard !overflowed, scaled <= Int64.max - Int64(fraction) else { return .failure(outOfRange(bytes)) }
        let magnitude = scaled + Int64(fraction)
        return .success(Timestamp(microseconds: isNegative ? -magnitude : magnitude))
    }

    /// A whole number of milliseconds or microseconds, possibly negative.
    private static func parseEpochInteger(_ bytes: UnsafeRawBufferPointer, microsecondsPerUnit: Int64, example: String) -> Result<Timestamp, ValueParseError> {
        var cursor = DigitCursor(bytes)
        let isNegative = cursor.skip("-")
        if !isNegative { _ = cursor.skip("+") }
        guard let magnitude = cursor.integer(), cursor.isAtEnd else {
            return .failure(ValueParseError("\(ValueParseError.quote(bytes)) is not a valid timestamp (expected \(example))"))
        }
        let (micros, overflowed) = magnitude.multipliedReportingOverflow(by: microsecondsPerUnit)
        guard !overflowed else { return .failure(outOfRange(bytes)) }
        return .success(Timestamp(microseconds: isNegative ? -micros : micros))
    }

    private static func outOfRange(_ bytes: UnsafeRawBufferPointer) -> ValueParseError {
        ValueParseError("\(ValueParseError.quote(bytes)) is out of range for a timestamp")
    }
}

/// A forward-only reader of ASCII digits and punctuation, for the fixed-shape timestamp formats.
private struct DigitCursor {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var isAtEnd: Bool { index == bytes.count }

    /// Consumes `character` if it is next.
    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    private func digit(at position: Int) -> Int? {
        guard position < bytes.count else { return nil }
        let value = Int(bytes[position]) &- 0x30
        return (0...9).contains(value) ? value : nil
    }

    /// Exactly `count` digits.
    mutating func digits(_ count: Int) -> Int? {
        var value = 0
        for offset in 0..<count {
            guard let digit = digit(at: index + offset) else { return nil }
            value = value * 10 + digit
        }
        index += count
        return value
    }

    /// One or more digits as a non-negative `Int64`; `nil` if there are none or too many for it.
    mutating func integer() -> Int64? {
        var value: Int64 = 0
        let start = index
        while let digit = digit(at: index) {
            let (shifted, overflowed) = value.multipliedReportingOverflow(by: 10)
            guard !overflowed, shifted <= Int64.max - Int64(digit) else { return nil }
            value = shifted + Int64(digit)
            index += 1
        }
        return index > start ? value : nil
    }

    /// One to `maxDigits` fraction digits as microseconds, the digits past the sixth dropped.
    mutating func fractionMicroseconds(maxDigits: Int) -> Int? {
        var micros = 0
        var count = 0
        while let digit = digit(at: index) {
            if count < 6 { micros = micros * 10 + digit }
            count += 1
            index += 1
        }
        guard count >= 1, count <= maxDigits else { return nil }
        for _ in count..<max(count, 6) { micros *= 10 }
        return micros
    }

    /// `Z`, `±HH:MM`, `±HHMM` or `±HH`, as seconds east of UTC; `nil` if malformed or out of range.
    mutating func zoneOffsetSeconds() -> Int? {
        if skip("Z") || skip("z") { return 0 }
        let sign: Int
        if skip("+") { sign = 1 } else if skip("-") { sign = -1 } else { return nil }
        guard let hours = digits(2), hours <= 23 else { return nil }
        var minutes = 0
        if skip(":") {
            guard let value = digits(2) else { return nil }
            minutes = value
        } else if !isAtEnd {
            guard let value = digits(2) else { return nil }
            minutes = value
        }
        guard minutes <= 59 else { return nil }
        return sign * (hours * 3_600 + minutes * 60)
    }
}
