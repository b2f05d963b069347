/// Writes a float64 the way `Double.description` does, for the values most features hold (at
/// most 4 decimals, under 15 significant digits), without the general shortest-round-trip
/// algorithm, which was the largest single cost of writing a training set.
///
/// Such a value is `units / 10^decimals` for the fewest decimals that give it back exactly; with
/// `units < 10^15` no other decimal of that length is as close to it, so this is the shortest
/// text that reads back as the value, the one `description` writes. Tests compare the two on
/// millions of values.
enum PlainDecimalText {
    /// Appends the text of `value` to `buffer`; false, and nothing appended, when `value` is
    /// not such a plain decimal (the caller then uses `description`).
    static func append(_ value: Double, to buffer: inout [UInt8]) -> Bool {
        let magnitude = value.magnitude
        // `description` switches to exponents below 1e-4 and from 2^53; stay well inside.
        guard magnitude < 1e15, magnitude >= 1e-3 || magnitude == 0 else { return false }
        var power = 1.0
        var divisor: UInt64 = 1
        for decimals in 0...4 {
            let scaled = (magnitude * power).rounded(.toNearestOrEven)  // Checked below, so any rounding would do.
            guard scaled < 1e15 else { return false }
            if scaled / power == magnitude {
                let units = UInt64(scaled)
                if value.sign == .minus { buffer.append(UInt8(ascii: "-")) }
                appendDigits(units / divisor, minimumCount: 1, to: &buffer)
                buffer.append(UInt8(ascii: "."))
                appendDigits(units % divisor, minimumCount: max(decimals, 1), to: &buffer)
                return true
            }
            power *= 10
            divisor *= 10
        }
        return false
    }

    /// Decimal digits of `number`, zero-padded on the left to `minimumCount`, most significant
    /// first (so straight into the buffer, with no reversal of a slice, which copies).
    private static func appendDigits(_ number: UInt64, minimumCount: Int, to buffer: inout [UInt8]) {
        var count = 1
        var divisor: UInt64 = 1
        while number / divisor >= 10 {
            count += 1
            divisor *= 10
        }
        while count < minimumCount {
            count += 1
            divisor *= 10
        }
        for _ in 0..<count {
            buffer.append(UInt8(ascii: "0") + UInt8((number / divisor) % 10))
            divisor /= 10
        }
    }
}
