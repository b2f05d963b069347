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
        let (scale, power) = magnitude < 1e11 ? (4, 1e4) : magnitude < 1e12 ? (3, 1e3) : magnitude < 1e13 ? (2, 1e2) : magnitude < 1e14 ? (1, 1e1) : (0, 1.0)
        var decimals = scale
        // Rounded to the nearest integer (ties to even) by adding and taking away 2^52: exact
        // below 2^52, and an addition where `rounded()` was a call into libm.
        let scaled = (magnitude * power + 0x1p52) - 0x1p52
        guard scaled < 1e15, scaled / power == magnitude else { return 0 }
        var units = UInt64(scaled)
        // At least one decimal ("35.0"): a whole number gets a zero after the point.
        if decimals == 0 {
            units *= 10
            decimals = 1
        }
        while decimals > 1, units % 10 == 0 {
            units /= 10
            decimals -= 1
        }
        // Sign, digits, and the point `decimals` digits from the right ("0.25": a zero before
        // it), written right to left: no division by a power of ten chosen at run time.
        let sign = value.sign == .minus ? 1 : 0
        if sign == 1 { out[0] = UInt8(ascii: "-") }
        let length = sign + max(decimalDigitCount(units), decimals + 1) + 1
        var rest = units
        var position = length - 1
        for _ in 0..<decimals {
            out[position] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
            position -= 1
        }
        out[position] = UInt8(ascii: ".")
        writeDigits(rest, count: position - sign, to: out + sign)
        return length
    }
}

extension GrowableBytes {
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
