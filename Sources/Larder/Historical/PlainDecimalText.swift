/// Writes a float64 the way `Double.description` does, for the values most features hold (at
/// most 4 decimals, under 15 significant digits), without the general shortest-round-trip
/// algorithm, which was the largest single cost of writing a training set.
///
/// Such a value is `units / 10^decimals` for the fewest decimals that give it back exactly; with
/// `units < 10^15` no other decimal of that length is as close to it, so this is the shortest
/// text that reads back as the value, the one `description` writes. Tests compare the two on
/// millions of values.
enum PlainDecimalText {
    /// The longest text written: sign, 15 digits, point, and the 0 after it when there are no
    /// decimals.
    static let maximumLength = 18

    /// Writes the text of `value` at `out` and returns its length; 0, and nothing written, when
    /// `value` is not such a plain decimal (the caller then uses `description`).
    static func write(_ value: Double, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let magnitude = value.magnitude
        // `description` switches to exponents below 1e-4 and from 2^53; stay well inside.
        guard magnitude < 1e15, magnitude >= 1e-3 || magnitude == 0 else { return 0 }
        // One scaling, by as many of the 4 decimals as keep `units` under 10^15: if the value is
        // u / 10^d for a smaller d, then it is also u·10^(4-d) / 10^4 (the error of the scaling
        // stays under 0.5, so the rounding lands on that integer), and trailing zeros come off.
        var decimals = magnitude < 1e11 ? 4 : magnitude < 1e12 ? 3 : magnitude < 1e13 ? 2 : magnitude < 1e14 ? 1 : 0
        let power = powersOfTen[decimals]
        let scaled = (magnitude * power).rounded(.toNearestOrEven)
        guard scaled < 1e15, scaled / power == magnitude else { return 0 }
        var units = UInt64(scaled)
        while decimals > 0, units % 10 == 0 {
            units /= 10
            decimals -= 1
        }
        // Sign, whole digits, point, the decimals (at least one: "35.0"), straight into place.
        let sign = value.sign == .minus ? 1 : 0
        if sign == 1 { out[0] = UInt8(ascii: "-") }
        let divisor = UInt64(powersOfTen[decimals])
        let wholeDigits = decimalDigitCount(units / divisor)
        writeDigits(units / divisor, count: wholeDigits, to: out + sign)
        out[sign + wholeDigits] = UInt8(ascii: ".")
        writeDigits(units % divisor, count: max(decimals, 1), to: out + sign + wholeDigits + 1)
        return sign + wholeDigits + 1 + max(decimals, 1)
    }

    private static let powersOfTen: [Double] = [1, 10, 100, 1000, 10000]
}

extension OutputBuffer {
    /// Appends `value` as `PlainDecimalText` writes it; false, and nothing appended, when it is
    /// not a plain decimal.
    mutating func appendPlainDecimal(_ value: Double) -> Bool {
        var written = 0
        append(atMost: PlainDecimalText.maximumLength) { out in
            written = PlainDecimalText.write(value, to: out)
            return written
        }
        return written > 0
    }
}
