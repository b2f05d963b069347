@testable import Larder
import Testing

@Suite struct PlainDecimalTextTests {
    func text(_ value: Double) -> String? {
        var buffer = GrowableBytes(capacity: 64)
        guard buffer.appendPlainDecimal(value) else {
            #expect(buffer.count == 0)
            return nil
        }
        return buffer.withBytes { String(decoding: $0, as: UTF8.self) }
    }

    @Test func writesWhatDescriptionWrites() {
        for value in [0.0, -0.0, 1, -1, 35, 18.9, 0.1, 0.2, 0.3, 0.001, 123.4567, 9.9996, 99.995, 1e14, 999_999_999_999.5, -999_999_999_999_999, 99_999_999_999.9999, 1e11, 1e11 + 0.5] {
            #expect(text(value) == value.description)
        }
        // Plain decimals of every size and random bit patterns, from a fixed seed.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = (state ^ (state >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return mixed ^ (mixed >> 31)
        }
        var handled = 0
        var mismatches: [String] = []
        for _ in 0..<300_000 {
            let units = Int64(bitPattern: next()) >> Int64(next() % 63)
            var power = 1.0
            for _ in 0..<(next() % 7) { power *= 10 }
            for value in [Double(units) / power, Double(bitPattern: next())] {
                guard let written = text(value) else { continue }
                handled += 1
                if written != value.description, mismatches.count < 5 { mismatches.append("\(value.description) written as \(written)") }
            }
        }
        #expect(mismatches.isEmpty)
        #expect(handled > 100_000)
    }

    @Test func leavesTheRestToDescription() {
        for value in [1e-4, 0.00001, 1e15, 1e300, 1.0 / 3, 0.12345, Double.nan, .infinity, -.infinity, .ulpOfOne] {
            #expect(text(value) == nil)
        }
    }
}
