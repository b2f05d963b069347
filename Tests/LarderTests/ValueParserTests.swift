@testable import Larder
import Testing

@Suite struct ValueParserTests {
    func value(_ text: String, _ type: ValueType, _ format: TimestampFormat = .iso8601) -> FeatureValue? {
        try? ValueParser.parse(text, as: type, timestampFormat: format).get()
    }

    func errorMessage(_ text: String, _ type: ValueType) -> String? {
        if case .failure(let error) = ValueParser.parse(text, as: type, timestampFormat: .iso8601) { return error.message }
        return nil
    }

    func value(bytes: [UInt8], _ type: ValueType) -> Result<FeatureValue, ValueParseError> {
        bytes.withUnsafeBytes { ValueParser.parse($0, as: type, timestampFormat: .iso8601) }
    }

    @Test(arguments: ValueType.allCases)
    func emptyIsNullForEveryType(type: ValueType) {
        #expect(value("", type) == .null)
    }

    @Test func bools() {
        for text in ["true", "TRUE", "True", "1"] { #expect(value(text, .bool) == .bool(true), "\(text)") }
        for text in ["false", "FALSE", "fAlSe", "0"] { #expect(value(text, .bool) == .bool(false), "\(text)") }
        for text in ["yes", "t", "2", " true", "true ", "truee"] { #expect(value(text, .bool) == nil, "\(text)") }
        #expect(errorMessage("yes", .bool) == "'yes' is not a bool (expected true, false, 1 or 0)")
    }

    @Test func integers() {
        #expect(value("42", .int64) == .int64(42))
        #expect(value("-42", .int64) == .int64(-42))
        #expect(value("+7", .int32) == .int32(7))
        #expect(value("007", .int32) == .int32(7))
        #expect(value("9223372036854775807", .int64) == .int64(.max))
        #expect(value("-9223372036854775808", .int64) == .int64(.min))
        #expect(value("2147483647", .int32) == .int32(.max))
        #expect(value("-2147483648", .int32) == .int32(.min))
        #expect(errorMessage("12x", .int64) == "'12x' is not an int64")
        for text in ["-", "+", "1.0", "1e3", " 1", "1 ", "0x10", "--1"] { #expect(value(text, .int64) == nil, "\(text)") }
    }

    @Test func integerOverflowNamesTheType() {
        #expect(errorMessage("9223372036854775808", .int64) == "'9223372036854775808' is out of range for int64")
        #expect(errorMessage("-9223372036854775809", .int64) == "'-9223372036854775809' is out of range for int64")
        #expect(errorMessage("2147483648", .int32) == "'2147483648' is out of range for int32")
        #expect(errorMessage("99999999999999999999999", .int32) == "'99999999999999999999999' is out of range for int32")
        #expect(errorMessage("99999999999999999999999x", .int64) == "'99999999999999999999999x' is not an int64")
    }

    @Test func floats() {
        #expect(value("0.5", .float64) == .float64(0.5))
        #expect(value("-1e3", .float64) == .float64(-1000))
        #expect(value("1.5E-3", .float64) == .float64(0.0015))
        #expect(value(".5", .float64) == .float64(0.5))
        #expect(value("5.", .float64) == .float64(5))
        #expect(value("+2", .float32) == .float32(2))
        #expect(value("-0", .float64) == .float64(-0.0))
        #expect(value("0.1", .float32) == .float32(0.1))
        #expect(value("inf", .float64) == .float64(.infinity))
        #expect(value("-Infinity", .float64) == .float64(-.infinity))
        #expect(value("INF", .float32) == .float32(.infinity))
        if case .float64(let nan) = value("NaN", .float64) { #expect(nan.isNaN) } else { Issue.record("nan") }
        if case .float32(let nan) = value("nan", .float32) { #expect(nan.isNaN) } else { Issue.record("nan") }
        #expect(errorMessage("1.2.3", .float64) == "'1.2.3' is not a float64")
        for text in [".", "e5", "1e", "1e+", "0x1p3", " 1", "1 ", "1,5", "nanx", "in", "1_000"] {
            #expect(value(text, .float64) == nil, "\(text)")
            #expect(value(text, .float32) == nil, "\(text)")
        }
    }

    @Test func floatsTooLargeForTheTypeAreErrors() {
        #expect(errorMessage("1e400", .float64) == "'1e400' is out of range for float64")
        #expect(errorMessage("1e39", .float32) == "'1e39' is out of range for float32")
        #expect(value("1e39", .float64) == .float64(1e39))
        #expect(value("1e-400", .float64) == .float64(0))
    }

    /// Both the fast path and the `strtod` fallback must give `Double(String)`'s correctly
    /// rounded value, including near-halfway cases and more than 19 significant digits.
    @Test func floatsRoundLikeTheStandardLibrary() {
        var generator = SystemRandomNumberGenerator()
        var texts = [
            "0.1", "0.3", "2.2250738585072011e-308", "2.2250738585072014e-308", "4.9e-324", "1.7976931348623157e308",
            "9007199254740993", "9007199254740992.5", "123456789012345678901234567890", "0.000000000000000000000000001",
            "1e22", "1e23", "8.589973e9", "7.038531e-26", "1.00000005960464477539062499", "1.00000005960464477539062501",
            "16777217", "16777219", "-16777217", "0.500000029802322387695312", "1.0000000596046448", "1.000000059604645",
            "3.4028235e38", "3.4028236e38", "1.4e-45", "7e-46", "0.7e-45", "1.1754943e-38", "0.8394720385819323", "123.456e-7", "00000.000001",
        ]
        for _ in 0..<2_000 {
            texts.append(String(Double(bitPattern: UInt64.random(in: 0..<0x7FF0_0000_0000_0000, using: &generator))))
            texts.append(String(Double.random(in: -1_000...1_000, using: &generator)))
            texts.append(String(Float.random(in: -1...1, using: &generator)))
            let digits = (0..<Int.random(in: 1...20)).map { _ in String(Int.random(in: 0...9)) }.joined()
            texts.append("\(digits.prefix(3)).\(digits.dropFirst(3))e\(Int.random(in: -30...30))")
            texts.append("\(Int.random(in: -99...99)).\(String(Int.random(in: 0...999_999)).leftPadded(to: 6))")
        }
        for text in texts {
            #expect(value(text, .float64) == Double(text).map(FeatureValue.float64), "\(text)")
            if let single = Float(text), single.isFinite {
                #expect(value(text, .float32) == .float32(single), "\(text)")
            }
        }
    }

    @Test func strings() {
        #expect(value("hello, world", .string) == .string("hello, world"))
        #expect(value("naïve 🥐", .string) == .string("naïve 🥐"))
        #expect(value(" spaces kept ", .string) == .string(" spaces kept "))
        let invalid = value(bytes: [0x61, 0xFF, 0x62], .string)
        #expect(throws: ValueParseError.self) { try invalid.get() }
        if case .failure(let error) = invalid { #expect(error.message.hasSuffix("is not valid UTF-8")) }
        #expect(throws: ValueParseError.self) { try value(bytes: [0xC3], .string).get() }
    }

    @Test func bytes() {
        #expect(value("0x00ff10", .bytes) == .bytes([0x00, 0xFF, 0x10]))
        #expect(value("0XABcd", .bytes) == .bytes([0xAB, 0xCD]))
        #expect(value("0x", .bytes) == .bytes([]))
        for text in ["00ff", "0x0", "0xgg", "AAEC", "x00", "0x 00"] { #expect(value(text, .bytes) == nil, "\(text)") }
        #expect(errorMessage("0x0", .bytes) == "'0x0' is not bytes (expected 0x followed by pairs of hex digits)")
        // What `FeatureValue.description` writes reads back.
        let original = FeatureValue.bytes([1, 2, 254, 255])
        #expect(value(original.description, .bytes) == original)
    }

    @Test func timestampsUseTheSourceFormat() {
        #expect(value("2024-05-01T12:00:00Z", .timestamp) == .timestamp(Timestamp(seconds: 1_714_564_800)))
        #expect(value("1714564800", .timestamp, .epochSeconds) == .timestamp(Timestamp(seconds: 1_714_564_800)))
        #expect(value("2024-05-01T12:00:00", .timestamp) == nil)
        #expect(value("2024-05-01T12:00:00", .timestamp, .iso8601AssumingOffset(seconds: 0)) == .timestamp(Timestamp(seconds: 1_714_564_800)))
        #expect(errorMessage("abc", .timestamp) == "'abc' is not a valid timestamp (expected ISO-8601 such as 2024-05-01T12:00:00Z)")
    }

    @Test func numberLists() {
        #expect(value("[1,2,3]", .int64List) == .int64List([1, 2, 3]))
        #expect(value("[ -1 , +2,\t3\n]", .int64List) == .int64List([-1, 2, 3]))
        #expect(value("[]", .int64List) == .int64List([]))
        #expect(value("[ ]", .float32List) == .float32List([]))
        #expect(value("[0.5, -1e3]", .float64List) == .float64List([0.5, -1000]))
        #expect(value("[0.1,0.2]", .float32List) == .float32List([0.1, 0.2]))
        #expect(value("[inf]", .float64List) == .float64List([.infinity]))
    }

    @Test func listErrorsNameTheElement() {
        #expect(errorMessage("[1,x,3]", .int64List) == "element 1 of [int64]: 'x' is not an int64")
        #expect(errorMessage("[1,99999999999999999999]", .int64List) == "element 1 of [int64]: '99999999999999999999' is out of range for int64")
        #expect(errorMessage("[0.5,,1]", .float32List) == "element 1 of [float32]: missing value")
        #expect(errorMessage("[1e39]", .float32List) == "element 0 of [float32]: '1e39' is out of range for float32")
        #expect(errorMessage("1,2", .int64List) == "'1,2' is not a [int64] (expected a list such as [1,2,3])")
        for text in ["[1,2", "[1,]", "[,1]", "[1 2]", " [1]", "[1] ", "[1]x", "[", "]", "[null]"] {
            #expect(value(text, .int64List) == nil, "\(text)")
        }
    }

    @Test func stringLists() {
        #expect(value(#"["a","b \"quoted\""]"#, .stringList) == .stringList(["a", #"b "quoted""#]))
        #expect(value(#"[ "x" , "" ]"#, .stringList) == .stringList(["x", ""]))
        #expect(value(#"["a,b]", "c\\d"]"#, .stringList) == .stringList(["a,b]", #"c\d"#]))
        #expect(value(#"["\n\t\r\b\f\/"]"#, .stringList) == .stringList(["\n\t\r\u{8}\u{C}/"]))
        #expect(value(#"["caf\u00e9", "\ud83e\udd50", "🥐"]"#, .stringList) == .stringList(["café", "🥐", "🥐"]))
        #expect(value("[]", .stringList) == .stringList([]))
        #expect(errorMessage(#"["a",b]"#, .stringList)?.hasPrefix("element 1 of [string]: expected a string in double quotes") == true)
        for text in [#"["a"#, #"["a\"]"#, #"["\x"]"#, #"["\ud83e"]"#, #"["\udd50"]"#, #"["\u12"]"#, #"["a" "b"]"#] {
            #expect(value(text, .stringList) == nil, "\(text)")
        }
        #expect(throws: ValueParseError.self) { try value(bytes: Array(#"[""#.utf8) + [0xFF] + Array(#""]"#.utf8), .stringList).get() }
    }

    /// Lists as `FeatureValue.description` writes them read back.
    @Test func listsRoundTripThroughTheirDescription() {
        let values: [FeatureValue] = [
            .int64List([1, -2, .max]), .float32List([0.1, -3.5e-7]), .float64List([0.1, 1e300]),
            .stringList(["plain", "with \"quotes\"", "back\\slash", "new\nline", "\u{1}"]),
        ]
        for original in values {
            #expect(value(original.description, original.type ?? .string) == original, "\(original)")
        }
    }

    @Test func longFieldsAreCutInMessages() {
        let long = String(repeating: "9", count: 100) + "x"
        let message = errorMessage(long, .int64) ?? ""
        #expect(message == "'" + String(repeating: "9", count: 60) + "…' is not an int64")
    }
}
