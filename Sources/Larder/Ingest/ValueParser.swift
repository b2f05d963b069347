#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a source field could not be read as its feature's type.
///
/// The message quotes the field and names the type (`'12x' is not an int64`); the caller adds
/// where it was (file, line, column).
struct ValueParseError: Error, Sendable, Equatable, CustomStringConvertible {
    let message: String

    var description: String { message }
}

extension ValueParseError {
    init(_ message: String) { self.message = message }

    /// The field as messages show it: quoted, cut at 60 bytes so that a huge field cannot flood
    /// a log, invalid UTF-8 shown as U+FFFD (`SourceError` escapes control characters).
    static func quote(_ bytes: UnsafeRawBufferPointer) -> String {
        let limit = 60
        let shown = String(decoding: bytes.prefix(limit), as: UTF8.self)
        return "'" + shown + (bytes.count > limit ? "…'" : "'")
    }

    static func quote(_ text: String) -> String {
        var text = text
        return text.withUTF8 { quote(UnsafeRawBufferPointer($0)) }
    }
}

/// Reads one source field as a feature value, from its bytes: what materialization calls once per
/// field, so it works on bytes, allocates only for the values that need it (strings, bytes,
/// lists), and builds error messages only on failure.
///
/// The textual forms, for every type an empty field being `.null`:
/// - bool: `true`/`false` (any case), `1`/`0`
/// - int32, int64: optional sign and decimal digits; out of range is an error, never a wrap
/// - float32, float64: decimal or exponent form, `nan`, `inf`, `infinity` (any case, optional
///   sign), correctly rounded like `Double(String)`; a finite literal too large for the type is
///   an error rather than infinity
/// - string: the bytes, which must be valid UTF-8
/// - bytes: `0x` followed by an even number of hex digits (`0x` alone is empty). Hex only, no
///   base64: one obvious spelling, and it is what `FeatureValue.description` writes
/// - timestamp: the source's `TimestampFormat`, see `TimestampParser`
/// - lists: JSON-style, `[1,2,3]`, `[0.5, -1e3]`, `["a", "b \"q\""]`, `[]`; whitespace is
///   allowed around elements, not outside the brackets
enum ValueParser {
    static func parse(_ bytes: UnsafeRawBufferPointer, as type: ValueType, timestampFormat: TimestampFormat) -> Result<FeatureValue, ValueParseError> {
        if bytes.isEmpty { return .success(.null) }
        switch type {
        case .bool: return parseBool(bytes).map(FeatureValue.bool)
        case .int32: return parseInteger(bytes, as: Int32.self, typeName: "int32").map(FeatureValue.int32)
        case .int64: return parseInteger(bytes, as: Int64.self, typeName: "int64").map(FeatureValue.int64)
        case .float32: return parseFloat32(bytes).map(FeatureValue.float32)
        case .float64: return parseFloat64(bytes).map(FeatureValue.float64)
        case .string: return parseString(bytes).map(FeatureValue.string)
        case .bytes: return parseBytes(bytes).map(FeatureValue.bytes)
        case .timestamp: return TimestampParser.parse(bytes, format: timestampFormat).map(FeatureValue.timestamp)
        case .int64List:
            return parseList(bytes, type: type) { parseToken(&$0) { parseInteger($0, as: Int64.self, typeName: "int64") } }
                .map(FeatureValue.int64List)
        case .float32List:
            return parseList(bytes, type: type) { parseToken(&$0, parseFloat32) }.map(FeatureValue.float32List)
        case .float64List:
            return parseList(bytes, type: type) { parseToken(&$0, parseFloat64) }.map(FeatureValue.float64List)
        case .stringList:
            return parseList(bytes, type: type) { parseJSONString(&$0) }.map(FeatureValue.stringList)
        }
    }

    /// The same for text, for JSON Lines values and tests.
    static func parse(_ text: String, as type: ValueType, timestampFormat: TimestampFormat) -> Result<FeatureValue, ValueParseError> {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0), as: type, timestampFormat: timestampFormat) }
    }
}

// MARK: - Scalars

extension ValueParser {
    static func parseBool(_ bytes: UnsafeRawBufferPointer) -> Result<Bool, ValueParseError> {
        if bytes.count == 1 {
            if bytes[0] == UInt8(ascii: "1") { return .success(true) }
            if bytes[0] == UInt8(ascii: "0") { return .success(false) }
        }
        if equalsIgnoringASCIICase(bytes, "true") { return .success(true) }
        if equalsIgnoringASCIICase(bytes, "false") { return .success(false) }
        return .failure(ValueParseError("\(ValueParseError.quote(bytes)) is not a bool (expected true, false, 1 or 0)"))
    }

    /// Optional sign and decimal digits, range-checked for `Integer`.
    static func parseInteger<Integer: FixedWidthInteger & SignedInteger>(
        _ bytes: UnsafeRawBufferPointer, as _: Integer.Type, typeName: String
    ) -> Result<Integer, ValueParseError> {
        switch scanInteger(bytes) {
        case .value(let wide):
            if let value = Integer(exactly: wide) { return .success(value) }
            return .failure(outOfRange(bytes, typeName))
        case .overflow:
            return .failure(outOfRange(bytes, typeName))
        case .invalid:
            return .failure(ValueParseError("\(ValueParseError.quote(bytes)) is not an \(typeName)"))
        }
    }

    static func parseFloat64(_ bytes: UnsafeRawBufferPointer) -> Result<Double, ValueParseError> {
        if let value = plainDecimal(bytes) { return .success(value) }
        switch scanDecimal(bytes) {
        case .special(let value):
            return .success(value)
        case .decimal(let literal):
            if let exact = literal.exactDouble { return .success(exact) }
            guard let value = withCString(bytes, { strtod($0, $1) }) else { break }
            return value.isFinite ? .success(value) : .failure(outOfRange(bytes, "float64"))
        case .invalid:
            break
        }
        return .failure(ValueParseError("\(ValueParseError.quote(bytes)) is not a float64"))
    }

    static func parseFloat32(_ bytes: UnsafeRawBufferPointer) -> Result<Float, ValueParseError> {
        if let value = plainDecimal(bytes), let float = DecimalLiteral.roundedToFloat(value) { return .success(float) }
        switch scanDecimal(bytes) {
        case .special(let value):
            return .success(Float(value))
        case .decimal(let literal):
            if let fast = literal.correctlyRoundedFloat { return .success(fast) }
            // Straight to `Float`, not via `Double`: rounding twice can be off by one ulp.
            guard let value = withCString(bytes, { strtof($0, $1) }) else { break }
            return value.isFinite ? .success(value) : .failure(outOfRange(bytes, "float32"))
        case .invalid:
            break
        }
        return .failure(ValueParseError("\(ValueParseError.quote(bytes)) is not a float32"))
    }

    static func parseString(_ bytes: UnsafeRawBufferPointer) -> Result<String, ValueParseError> {
        if let text = String(validating: bytes, as: UTF8.self) { return .success(text) }
        return .failure(ValueParseError("\(ValueParseError.quote(bytes)) is not valid UTF-8"))
    }

    /// `0x` and an even number of hex digits.
    static func parseBytes(_ bytes: UnsafeRawBufferPointer) -> Result<[UInt8], ValueParseError> {
        let invalid = { ValueParseError("\(ValueParseError.quote(bytes)) is not bytes (expected 0x followed by pairs of hex digits)") }
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "0"), bytes[1] | 0x20 == UInt8(ascii: "x"), bytes.count % 2 == 0 else {
            return .failure(invalid())
        }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count / 2 - 1)
        var index = 2
        while index < bytes.count {
            guard let high = hexValue(bytes[index]), let low = hexValue(bytes[index + 1]) else { return .failure(invalid()) }
            result.append(high << 4 | low)
            index += 2
        }
        return .success(result)
    }

    private static func outOfRange(_ bytes: UnsafeRawBufferPointer, _ typeName: String) -> ValueParseError {
        ValueParseError("\(ValueParseError.quote(bytes)) is out of range for \(typeName)")
    }
}

// MARK: - Numbers

private enum IntegerScan { case value(Int64), overflow, invalid }

/// A decimal literal as `significand × 10^exponent`, the form the exact fast path needs.
private struct DecimalLiteral {
    var isNegative = false
    /// The first 19 significant digits (they always fit a `UInt64`).
    var significand: UInt64 = 0
    var significantDigits = 0
    var exponent = 0
    /// Nonzero digits past the 19th were dropped, so the fields are only an approximation.
    var isApproximate = false

    mutating func append(digit: UInt64, inFraction: Bool) {
        if significand == 0 && digit == 0 {
            if inFraction { exponent -= 1 }  // A leading zero: only its place counts.
        } else if significantDigits < 19 {
            significand = significand * 10 + digit
            significantDigits += 1
            if inFraction { exponent -= 1 }
        } else {
            if digit != 0 { isApproximate = true }
            if !inFraction { exponent += 1 }
        }
    }

    /// Clinger's fast path: a significand below 2^53 and a power of ten up to 10^22 are both
    /// exact doubles, so one multiplication or division rounds correctly, as strtod would.
    var exactDouble: Double? {
        if significand == 0 { return isNegative ? -0.0 : 0.0 }
        guard !isApproximate, significand <= 1 << 53, (-22...22).contains(exponent) else { return nil }
        let magnitude = exponent >= 0
            ? Double(significand) * exactPowerOfTen(exponent)
            : Double(significand) / exactPowerOfTen(-exponent)
        return isNegative ? -magnitude : magnitude
    }

    /// The double rounded to `Float`. Rounding twice goes wrong only when the double lands exactly
    /// halfway between two floats (any other midpoint would be nearer the decimal than the double
    /// is), so then `nil`, for `strtof` to decide. Values like `-73.127151` (more digits than a
    /// float's 2^24) take this path instead of `strtof`, several times faster.
    var correctlyRoundedFloat: Float? {
        exactDouble.flatMap(Self.roundedToFloat)
    }

    /// `double` (an exactly rounded decimal) as the nearest `Float`, or nil when rounding twice
    /// could differ from rounding once (see `correctlyRoundedFloat`).
    static func roundedToFloat(_ double: Double) -> Float? {
        // In the normal range a float keeps the top 24 of the double's 53 significand bits; the
        // double is a midpoint when the 29 it drops are exactly 1000…0. Subnormal and overflowing
        // floats are rare enough to leave to `strtof`.
        let magnitude = double.magnitude
        guard magnitude == 0 || (Double(Float.leastNormalMagnitude)...Double(Float.greatestFiniteMagnitude)).contains(magnitude),
              double.bitPattern & 0x1FFF_FFFF != 0x1000_0000
        else { return nil }
        return Float(double)
    }
}

private enum DecimalScan { case decimal(DecimalLiteral), special(Double), invalid }

/// 10^0 … 10^22, every one an exact double. A switch rather than a global array: it compiles to a
/// table load with no lazy-initialization check or bounds check. Not inlined, so that it stays
/// one load: inlined, the optimizer copied the caller's division into every case.
@inline(never)
private func exactPowerOfTen(_ exponent: Int) -> Double {
    switch exponent {
    case 0: 1e0
    case 1: 1e1
    case 2: 1e2
    case 3: 1e3
    case 4: 1e4
    case 5: 1e5
    case 6: 1e6
    case 7: 1e7
    case 8: 1e8
    case 9: 1e9
    case 10: 1e10
    case 11: 1e11
    case 12: 1e12
    case 13: 1e13
    case 14: 1e14
    case 15: 1e15
    case 16: 1e16
    case 17: 1e17
    case 18: 1e18
    case 19: 1e19
    case 20: 1e20
    case 21: 1e21
    default: 1e22
    }
}

extension ValueParser {
    /// The common spelling of a number in feature files, `[-+]digits[.digits]` with at most 19
    /// digits, converted in one pass when Clinger's fast path applies (significand below 2^53,
    /// at most 22 fraction digits: one exact division, correctly rounded). `nil` for anything
    /// else, which the general scanner then reads or rejects.
    @inline(__always)
    fileprivate static func plainDecimal(_ bytes: UnsafeRawBufferPointer) -> Double? {
        let count = bytes.count
        guard count > 0, count <= 21 else { return nil }
        let first = bytes[0]
        let isNegative = first == UInt8(ascii: "-")
        var index = isNegative || first == UInt8(ascii: "+") ? 1 : 0
        var significand: UInt64 = 0
        // The whole part, then the fraction: two tight loops instead of one with a state check.
        let wholeStart = index
        while index < count, case let digit = bytes[index] &- UInt8(ascii: "0"), digit <= 9 {
            significand = significand &* 10 &+ UInt64(digit)
            index += 1
        }
        var digits = index - wholeStart
        var fractionDigits = 0
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index < count, case let digit = bytes[index] &- UInt8(ascii: "0"), digit <= 9 {
                significand = significand &* 10 &+ UInt64(digit)
                index += 1
            }
            fractionDigits = index - fractionStart
            digits += fractionDigits
        }
        // 21 bytes hold at most 20 digits; 19 always fit a UInt64.
        guard index == count, digits > 0, digits <= 19, significand <= 1 << 53 else { return nil }
        let magnitude = Double(significand) / exactPowerOfTen(fractionDigits)
        return isNegative ? -magnitude : magnitude
    }
}

/// The C library's number parsing follows the process locale (a `,` decimal point in some);
/// source files use `.`, so the fallback parses in the C locale whatever the host has set.
nonisolated(unsafe) private let cNumericLocale = newlocale(Int32(1 << LC_NUMERIC), "C", nil)

extension ValueParser {
    /// Optional sign, then digits; accumulated negatively so `Int64.min` fits.
    fileprivate static func scanInteger(_ bytes: UnsafeRawBufferPointer) -> IntegerScan {
        var index = 0
        var isNegative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            isNegative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        guard index < bytes.count else { return .invalid }
        var negated: Int64 = 0
        var overflowed = false
        while index < bytes.count {
            let digit = Int64(bytes[index]) &- 0x30
            guard (0...9).contains(digit) else { return .invalid }
            let (shifted, overflow1) = negated.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.subtractingReportingOverflow(digit)
            overflowed = overflowed || overflow1 || overflow2
            negated = next
            index += 1
        }
        if overflowed || (!isNegative && negated == .min) { return .overflow }
        return .value(isNegative ? negated : -negated)
    }

    /// Checks the whole field against `[sign] digits [. digits] [e [sign] digits]` (at least one
    /// digit before the exponent) or a special word, and splits a decimal into its parts.
    fileprivate static func scanDecimal(_ bytes: UnsafeRawBufferPointer) -> DecimalScan {
        var literal = DecimalLiteral()
        var index = 0
        let count = bytes.count
        if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            literal.isNegative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        if index < count, bytes[index] | 0x20 >= UInt8(ascii: "a") {
            let word = UnsafeRawBufferPointer(rebasing: bytes[index...])
            let sign: Double = literal.isNegative ? -1 : 1
            if equalsIgnoringASCIICase(word, "inf") || equalsIgnoringASCIICase(word, "infinity") { return .special(sign * .infinity) }
            if equalsIgnoringASCIICase(word, "nan") { return .special(sign * .nan) }
            return .invalid
        }
        var sawDigit = false
        while index < count, let digit = decimalDigit(bytes[index]) {
            literal.append(digit: digit, inFraction: false)
            sawDigit = true
            index += 1
        }
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < count, let digit = decimalDigit(bytes[index]) {
                literal.append(digit: digit, inFraction: true)
                sawDigit = true
                index += 1
            }
        }
        guard sawDigit else { return .invalid }
        if index < count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentIsNegative = false
            if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentIsNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var exponent = 0
            var sawExponentDigit = false
            while index < count, let digit = decimalDigit(bytes[index]) {
                exponent = min(exponent * 10 + Int(digit), 1_000_000)  // Far past any double, short of overflow.
                sawExponentDigit = true
                index += 1
            }
            guard sawExponentDigit else { return .invalid }
            literal.exponent += exponentIsNegative ? -exponent : exponent
        }
        return index == count ? .decimal(literal) : .invalid
    }

    /// Calls a C parser (`strtod`, `strtof`) on a NUL-terminated copy of `bytes`, in the C
    /// locale; `nil` unless it consumed every byte.
    fileprivate static func withCString<Value>(
        _ bytes: UnsafeRawBufferPointer,
        _ parse: (UnsafePointer<CChar>, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Value
    ) -> Value? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer -> Value? in
            guard let start = buffer.baseAddress else { return nil }
            UnsafeMutableRawPointer(start).copyMemory(from: bytes.baseAddress ?? UnsafeRawPointer(start), byteCount: bytes.count)
            start[bytes.count] = 0
            let previousLocale = uselocale(cNumericLocale)
            defer { uselocale(previousLocale) }
            var end: UnsafeMutablePointer<CChar>?
            let value = parse(start, &end)
            return end == start + bytes.count ? value : nil
        }
    }
}

// MARK: - Lists

/// A position in a list field, for the element parsers.
private struct ListCursor {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    var isAtEnd: Bool { index == bytes.count }

    mutating func skipWhitespace() {
        while index < bytes.count, isJSONWhitespace(bytes[index]) { index += 1 }
    }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }
}

extension ValueParser {
    /// `[` elements separated by `,` `]`, with JSON whitespace around elements; an element
    /// error is reported with its 0-based index.
    fileprivate static func parseList<Element>(
        _ bytes: UnsafeRawBufferPointer, type: ValueType,
        element parseElement: (inout ListCursor) -> Result<Element, ValueParseError>
    ) -> Result<[Element], ValueParseError> {
        var cursor = ListCursor(bytes: bytes)
        let notAList = { ValueParseError("\(ValueParseError.quote(bytes)) is not a \(type) (expected a list such as \(example(of: type)))") }
        guard cursor.skip("[") else { return .failure(notAList()) }
        var values: [Element] = []
        cursor.skipWhitespace()
        if cursor.skip("]") { return cursor.isAtEnd ? .success(values) : .failure(notAList()) }
        while true {
            cursor.skipWhitespace()
            switch parseElement(&cursor) {
            case .success(let value): values.append(value)
            case .failure(let error): return .failure(ValueParseError("element \(values.count) of \(type): \(error.message)"))
            }
            cursor.skipWhitespace()
            if cursor.skip(",") { continue }
            if cursor.skip("]") { return cursor.isAtEnd ? .success(values) : .failure(notAList()) }
            return .failure(ValueParseError("\(ValueParseError.quote(bytes)) is not a \(type): expected ',' or ']' after element \(values.count - 1)"))
        }
    }

    /// A number element: the bytes up to the next `,`, `]` or whitespace, parsed by `parse`.
    fileprivate static func parseToken<Value>(
        _ cursor: inout ListCursor, _ parse: (UnsafeRawBufferPointer) -> Result<Value, ValueParseError>
    ) -> Result<Value, ValueParseError> {
        let start = cursor.index
        while cursor.index < cursor.bytes.count {
            let byte = cursor.bytes[cursor.index]
            if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") || isJSONWhitespace(byte) { break }
            cursor.index += 1
        }
        guard cursor.index > start else { return .failure(ValueParseError("missing value")) }
        return parse(UnsafeRawBufferPointer(rebasing: cursor.bytes[start..<cursor.index]))
    }

    /// A JSON string literal, with the usual escapes including `\uXXXX` and surrogate pairs.
    fileprivate static func parseJSONString(_ cursor: inout ListCursor) -> Result<String, ValueParseError> {
        let bytes = cursor.bytes
        guard cursor.skip("\"") else {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[cursor.index...])
            return .failure(ValueParseError("expected a string in double quotes at \(ValueParseError.quote(rest))"))
        }
        let start = cursor.index
        // The common case, no escapes: the bytes between the quotes are the string.
        while cursor.index < bytes.count, bytes[cursor.index] != UInt8(ascii: "\""), bytes[cursor.index] != UInt8(ascii: "\\") {
            cursor.index += 1
        }
        guard cursor.index < bytes.count else { return .failure(ValueParseError("unterminated string")) }
        if bytes[cursor.index] == UInt8(ascii: "\"") {
            let content = UnsafeRawBufferPointer(rebasing: bytes[start..<cursor.index])
            cursor.index += 1
            return parseString(content)
        }
        var utf8 = Array(bytes[start..<cursor.index])
        while cursor.index < bytes.count {
            let byte = bytes[cursor.index]
            cursor.index += 1
            if byte == UInt8(ascii: "\"") {
                return utf8.withUnsafeBytes { parseString($0) }
            }
            guard byte == UInt8(ascii: "\\") else {
                utf8.append(byte)
                continue
            }
            guard cursor.index < bytes.count else { break }
            let escape = bytes[cursor.index]
            cursor.index += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                switch unicodeEscape(&cursor) {
                case .success(let scalar): UTF8.encode(scalar) { utf8.append($0) }
                case .failure(let error): return .failure(error)
                }
            default:
                return .failure(ValueParseError("invalid escape '\\\(Character(Unicode.Scalar(escape)))' in a string"))
            }
        }
        return .failure(ValueParseError("unterminated string"))
    }

    /// The `XXXX` after `\u`, joined with a following `\uXXXX` when it is a surrogate pair.
    private static func unicodeEscape(_ cursor: inout ListCursor) -> Result<Unicode.Scalar, ValueParseError> {
        guard let unit = hexQuad(&cursor) else { return .failure(ValueParseError("\\u must be followed by 4 hex digits")) }
        if let scalar = Unicode.Scalar(unit) { return .success(scalar) }
        // A surrogate: valid only as a high one followed by an escaped low one.
        guard (0xD800...0xDBFF).contains(unit), cursor.skip("\\"), cursor.skip("u"),
              let low = hexQuad(&cursor), (0xDC00...0xDFFF).contains(low),
              let scalar = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
        else { return .failure(ValueParseError("unpaired UTF-16 surrogate in a \\u escape")) }
        return .success(scalar)
    }

    private static func hexQuad(_ cursor: inout ListCursor) -> UInt32? {
        guard cursor.index + 4 <= cursor.bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = hexValue(cursor.bytes[cursor.index]) else { return nil }
            value = value << 4 | UInt32(digit)
            cursor.index += 1
        }
        return value
    }

    private static func example(of type: ValueType) -> String {
        switch type {
        case .stringList: #"["a","b"]"#
        case .int64List: "[1,2,3]"
        default: "[0.5,-1e3]"
        }
    }
}

// MARK: - Bytes

private func decimalDigit(_ byte: UInt8) -> UInt64? {
    let value = byte &- 0x30
    return value <= 9 ? UInt64(value) : nil
}

func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}

private func isJSONWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
}

/// Whether `bytes` spell `word` (lowercase ASCII letters), in any case.
private func equalsIgnoringASCIICase(_ bytes: UnsafeRawBufferPointer, _ word: StaticString) -> Bool {
    guard bytes.count == word.utf8CodeUnitCount else { return false }
    let letters = word.utf8Start
    for index in 0..<bytes.count where bytes[index] | 0x20 != letters[index] {
        return false
    }
    return true
}
