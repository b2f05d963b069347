@testable import Larder
import Testing

@Suite struct TimestampParserTests {
    /// 2024-05-01T12:00:00Z in microseconds.
    let mayDayNoon: Int64 = 1_714_564_800_000_000

    func micros(_ text: String, _ format: TimestampFormat = .iso8601) -> Int64? {
        try? TimestampParser.parse(text, format: format).get().microseconds
    }

    func errorMessage(_ text: String, _ format: TimestampFormat = .iso8601) -> String? {
        if case .failure(let error) = TimestampParser.parse(text, format: format) { return error.message }
        return nil
    }

    @Test func utcForms() {
        #expect(micros("2024-05-01T12:00:00Z") == mayDayNoon)
        #expect(micros("2024-05-01t12:00:00z") == mayDayNoon)
        #expect(micros("2024-05-01 12:00:00Z") == mayDayNoon)
        #expect(micros("2024-05-01T12:00Z") == mayDayNoon)
        #expect(micros("1970-01-01T00:00:00Z") == 0)
    }

    @Test func offsets() {
        #expect(micros("2024-05-01T14:00:00+02:00") == mayDayNoon)
        #expect(micros("2024-05-01T14:00:00+0200") == mayDayNoon)
        #expect(micros("2024-05-01T14:00:00+02") == mayDayNoon)
        #expect(micros("2024-05-01T06:30:00-05:30") == mayDayNoon)
        #expect(micros("2024-05-01T12:00:00-00:00") == mayDayNoon)
        #expect(micros("2024-05-01T00:00:00+14:00") == mayDayNoon - 26 * 3_600_000_000)
        #expect(errorMessage("2024-05-01T12:00:00+2") != nil)
        #expect(errorMessage("2024-05-01T12:00:00+24:00") != nil)
        #expect(errorMessage("2024-05-01T12:00:00+02:60") != nil)
        #expect(errorMessage("2024-05-01T12:00:00+02:00Z") != nil)
    }

    @Test func fractionsAreKeptToMicrosecondsByTruncation() {
        #expect(micros("2024-05-01T12:00:00.5Z") == mayDayNoon + 500_000)
        #expect(micros("2024-05-01T12:00:00.123456Z") == mayDayNoon + 123_456)
        #expect(micros("2024-05-01T12:00:00.123456789Z") == mayDayNoon + 123_456)
        #expect(micros("2024-05-01T12:00:00,25+00:00") == mayDayNoon + 250_000)
        #expect(errorMessage("2024-05-01T12:00:00.1234567890Z") != nil)
        #expect(errorMessage("2024-05-01T12:00:00.Z") != nil)
    }

    @Test func dateAloneIsMidnight() {
        #expect(micros("2024-05-01") == mayDayNoon - 12 * 3_600_000_000)
        #expect(micros("2024-05-01", .iso8601AssumingOffset(seconds: 3_600)) == mayDayNoon - 13 * 3_600_000_000)
    }

    @Test func leapDaysAndInvalidDates() {
        #expect(micros("2024-02-29T00:00:00Z") == 1_709_164_800_000_000)
        #expect(micros("2000-02-29T00:00:00Z") == 951_782_400_000_000)
        #expect(errorMessage("2023-02-29T00:00:00Z")?.contains("day 29 is not 1-28") == true)
        #expect(errorMessage("1900-02-29T00:00:00Z") != nil)
        #expect(errorMessage("2024-04-31T00:00:00Z") != nil)
        #expect(errorMessage("2024-13-01T00:00:00Z")?.contains("month 13") == true)
        #expect(errorMessage("2024-00-01T00:00:00Z") != nil)
        #expect(errorMessage("2024-05-00T00:00:00Z") != nil)
        #expect(errorMessage("2024-05-01T24:00:00Z")?.contains("hour 24") == true)
        #expect(errorMessage("2024-05-01T12:60:00Z") != nil)
        #expect(errorMessage("2024-05-01T12:00:61Z") != nil)
    }

    /// Stored times are POSIX, which has no leap seconds: `:60` is an error, not a silent `:59`.
    @Test func aLeapSecondIsAnError() {
        #expect(micros("2016-12-31T23:59:60Z") == nil)
        #expect(errorMessage("2016-12-31T23:59:60Z")?.contains("second 60 is a leap second") == true)
        #expect(micros("2016-12-31T23:59:59Z") == 1_483_228_799_000_000)
    }

    @Test func zonelessIsAnErrorUnlessTheSourceDeclaresAnOffset() {
        #expect(errorMessage("2024-05-01T12:00:00")
            == "timestamp '2024-05-01T12:00:00' has no time zone; add Z or an offset, or declare the source's timezone")
        #expect(micros("2024-05-01T12:00:00", .iso8601AssumingOffset(seconds: 0)) == mayDayNoon)
        #expect(micros("2024-05-01T14:00:00", .iso8601AssumingOffset(seconds: 7_200)) == mayDayNoon)
        // An explicit zone wins over the assumed one.
        #expect(micros("2024-05-01T12:00:00Z", .iso8601AssumingOffset(seconds: 7_200)) == mayDayNoon)
    }

    @Test func malformedISO() {
        #expect(errorMessage("abc") == "'abc' is not a valid timestamp (expected ISO-8601 such as 2024-05-01T12:00:00Z)")
        for text in [" 2024-05-01T12:00:00Z", "2024-05-01T12:00:00Z ", "2024-5-01T12:00:00Z", "24-05-01", "2024-05-01T", "2024-05-01X12:00:00Z",
                     "2024-05-01T12:00:0Z", "2024/05/01", "2024-05-01T12", "1714564800"] {
            #expect(errorMessage(text) != nil, "\(text)")
        }
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` has a reading of its own: it agrees with the general one (the
    /// same times written with `+00:00`) across centuries, months, leap days and hours.
    @Test func wholeSecondsInUTCReadAsTheGeneralParserReadsThem() {
        for step: Int64 in 0..<20_000 {
            let seconds = -5_364_662_400 + step * 1_234_567  // From 1800-01-01, ~14 days apart.
            let text = Timestamp(seconds: seconds).description
            #expect(text.count == 20 && text.hasSuffix("Z"), "\(text)")
            let general = micros(String(text.dropLast()) + "+00:00")
            #expect(micros(text) == seconds * 1_000_000 && general == seconds * 1_000_000, "\(text)")
        }
        for text in ["2024-05-01T12:00:0aZ", "2024-05-0/T12:00:00Z", "2024-05-01T12:00:00X", "2024-05-01T12-00:00Z",
                     "2023-02-29T12:00:00Z", "2024-05-01T12:00:61Z", "2024-05-01T12:00:00Z\n"] {
            #expect(errorMessage(text) != nil, "\(text)")
        }
    }

    @Test func epochSeconds() {
        #expect(micros("1714564800", .epochSeconds) == mayDayNoon)
        #expect(micros("1714564800.25", .epochSeconds) == mayDayNoon + 250_000)
        #expect(micros("1714564800.1234569", .epochSeconds) == mayDayNoon + 123_456)
        #expect(micros("-1.5", .epochSeconds) == -1_500_000)
        #expect(micros("-86400", .epochSeconds) == -86_400_000_000)
        #expect(micros("0", .epochSeconds) == 0)
        for text in ["", "1.", ".5", "1e9", "abc", " 1", "1 ", "--1", "2024-05-01T12:00:00Z"] {
            #expect(errorMessage(text, .epochSeconds) != nil, "\(text)")
        }
        #expect(errorMessage("99999999999999", .epochSeconds)?.contains("out of range") == true)
    }

    @Test func epochMillisecondsAndMicroseconds() {
        #expect(micros("1714564800000", .epochMilliseconds) == mayDayNoon)
        #expect(micros("-1500", .epochMilliseconds) == -1_500_000)
        #expect(micros("1714564800000000", .epochMicroseconds) == mayDayNoon)
        #expect(micros("-1", .epochMicroseconds) == -1)
        #expect(errorMessage("1714564800000.5", .epochMilliseconds) != nil)
        #expect(errorMessage("1.5", .epochMicroseconds) != nil)
        #expect(errorMessage("9223372036854775807", .epochMilliseconds)?.contains("out of range") == true)
        #expect(micros("9223372036854775807", .epochMicroseconds) == .max)
    }

    @Test func roundTripsThroughTheFormatter() {
        for value: Int64 in [0, 1, -1, mayDayNoon + 123_456, -62_135_596_800_000_000, 253_402_300_799_999_999] {
            let text = Timestamp(microseconds: value).description
            #expect(micros(text) == value, "\(text)")
        }
    }
}
