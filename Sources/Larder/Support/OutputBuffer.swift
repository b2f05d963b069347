/// Bytes on their way to a file, in raw memory: an append checks only the capacity, where an
/// array also checks that its storage is not shared, at every byte.
struct OutputBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Lends the bytes appended so far.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    mutating func removeAll() { count = 0 }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress else { return }
        reserve(bytes.count)
        (base + count).initialize(from: source.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        count += bytes.count
    }

    /// Lets `write` put at most `maximum` bytes at the end; it returns how many it wrote.
    @inline(__always)
    mutating func append(atMost maximum: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) {
        reserve(maximum)
        count += write(base + count)
    }

    /// Appends `number` in decimal, as `String(number)` writes it.
    mutating func appendDecimal(_ number: Int64) {
        append(atMost: 20) { out in
            let sign = number < 0 ? 1 : 0
            if sign == 1 { out[0] = UInt8(ascii: "-") }
            let digits = decimalDigitCount(number.magnitude)
            writeDigits(number.magnitude, count: digits, to: out + sign)
            return sign + digits
        }
    }

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(toFit: count + extra) }
    }

    private mutating func grow(toFit needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.initialize(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }
}

/// How many decimal digits `number` has (1 for 0).
@inline(__always)
func decimalDigitCount(_ number: UInt64) -> Int {
    var count = 1
    var rest = number
    while rest >= 10 {
        rest /= 10
        count += 1
    }
    return count
}

/// Writes the last `count` decimal digits of `number` at `out`, zero-padded on the left.
@inline(__always)
func writeDigits(_ number: UInt64, count: Int, to out: UnsafeMutablePointer<UInt8>) {
    var rest = number
    for position in stride(from: count - 1, through: 0, by: -1) {
        out[position] = UInt8(ascii: "0") + UInt8(rest % 10)
        rest /= 10
    }
}
