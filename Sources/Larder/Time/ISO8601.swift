/// ISO-8601 formatting of timestamps, without Foundation's formatters (slow, and locale-bound).
enum ISO8601 {
    /// `2024-05-01T12:00:00Z`, with `.ffffff` when there are microseconds.
    static func format(_ timestamp: Timestamp) -> String {
        withText(timestamp) { String(decoding: $0, as: UTF8.self) }
    }

    /// The same text, written digit by digit into a buffer on the stack and lent to `body`
    /// (writers append it without a `String` per timestamp). Years outside 0...9999 are
    /// written with as many digits as they need, and a sign when negative.
    static func withText<R>(_ timestamp: Timestamp, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let micros = timestamp.microseconds
        var seconds = micros / 1_000_000
        var fraction = micros % 1_000_000
        if fraction < 0 {
            fraction += 1_000_000
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (year, month, day) = civil(fromDays: days)
        // At most a sign, 19 year digits, "-MM-DDTHH:MM:SS.ffffffZ": 44 bytes.
        var buffer: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
        return try withUnsafeMutableBytes(of: &buffer) { bytes in
            var count = 0
            func put(_ byte: UInt8) { bytes[count] = byte; count += 1 }
            func digits(_ value: Int64, _ width: Int) {
                var divisor: Int64 = 1
                var length = 1
                while length < width || value / divisor >= 10 { divisor *= 10; length += 1 }
                while divisor > 0 { put(UInt8(ascii: "0") + UInt8(value / divisor % 10)); divisor /= 10 }
            }
            if year < 0 { put(UInt8(ascii: "-")) }
            digits(abs(year), 4)
            put(UInt8(ascii: "-")); digits(month, 2)
            put(UInt8(ascii: "-")); digits(day, 2)
            put(UInt8(ascii: "T")); digits(secondOfDay / 3600, 2)
            put(UInt8(ascii: ":")); digits(secondOfDay / 60 % 60, 2)
            put(UInt8(ascii: ":")); digits(secondOfDay % 60, 2)
            if fraction != 0 { put(UInt8(ascii: ".")); digits(fraction, 6) }
            put(UInt8(ascii: "Z"))
            return try body(UnsafeRawBufferPointer(rebasing: bytes[..<count]))
        }
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
