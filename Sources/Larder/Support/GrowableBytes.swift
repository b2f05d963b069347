#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bytes in raw memory that grow by doubling: the package's one hand-rolled growable buffer
/// (row batches, CSV reading, output files, the join's matched rows, sort runs written and
/// read). Where an array serves as well — the sorter's arena, handed whole to its reader — an
/// array it is.
///
/// Raw memory rather than an array: an append checks only the capacity, where an array also
/// checks that its storage is not shared, at every append; and callers write in place (a
/// `read(2)` into the spare room, a key built where it will stay) instead of copying.
struct GrowableBytes: ~Copyable {
    /// The bytes; valid until the next call that may grow the buffer.
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// Bytes in use, at the start of `base`.
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Lends the bytes in use.
    @inline(__always)
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// The room after the bytes in use, to write into in place; then `didAppend` says how much
    /// was written. Valid until the next call that may grow the buffer.
    var spare: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: base + count, count: capacity - count)
    }

    mutating func removeAll() { count = 0 }

    /// Drops the first `byteCount` bytes, moving the rest to the front.
    mutating func removeFirst(_ byteCount: Int) {
        precondition(byteCount <= count)
        if byteCount < count { memmove(base, base + byteCount, count - byteCount) }  // the regions overlap
        count -= byteCount
    }

    /// Makes room for `extra` more bytes after those in use.
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(toFit: count + extra) }
    }

    /// Counts `byteCount` bytes written into `spare` as in use.
    @inline(__always)
    mutating func didAppend(_ byteCount: Int) {
        precondition(count + byteCount <= capacity)
        count += byteCount
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress else { return }
        reserve(bytes.count)
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: bytes.count)
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
