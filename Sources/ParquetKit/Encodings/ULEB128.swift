/// Unsigned LEB128 varints, as the encodings write run headers and block headers: seven bits
/// a byte, least significant first, the high bit set on every byte but the last.
enum ULEB128 {
    /// The varint at `offset`, moving past it; nil when the bytes end first or it exceeds
    /// 64 bits.
    static func read(_ bytes: UnsafeRawBufferPointer, _ offset: inout Int) -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count, shift < 64 {
            let byte = bytes[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        return nil
    }
}

extension ULEB128 {
    static func write(_ value: UInt64, into output: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            output.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        output.append(UInt8(value))
    }
}
