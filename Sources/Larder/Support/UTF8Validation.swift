/// UTF-8 checks over raw bytes, for readers, writers and `verify` alike.
extension UnsafeRawBufferPointer {
    /// UTF-8 validity without building a String: an ASCII scan eight bytes at a time, and the
    /// standard library's validation for anything else.
    var isValidUTF8: Bool {
        let bytes = self
        var index = 0
        while index + 8 <= bytes.count {
            if bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
            index += 8
        }
        while index < bytes.count, bytes[index] < 0x80 { index += 1 }
        if index == bytes.count { return true }
        return String(validating: bytes, as: UTF8.self) != nil
    }

    /// Where the first byte that is not valid UTF-8 is, for messages that point at it; nil when
    /// all of `bytes` is valid.
    var firstInvalidUTF8Offset: Int? {
        let bytes = self
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            // The second byte's range rules out overlong forms, surrogates and code points past U+10FFFF.
            let (length, second): (Int, ClosedRange<UInt8>) = switch lead {
            case 0xC2...0xDF: (2, 0x80...0xBF)
            case 0xE0: (3, 0xA0...0xBF)
            case 0xED: (3, 0x80...0x9F)
            case 0xE1...0xEF: (3, 0x80...0xBF)
            case 0xF0: (4, 0x90...0xBF)
            case 0xF1...0xF3: (4, 0x80...0xBF)
            case 0xF4: (4, 0x80...0x8F)
            default: (0, 0...0)
            }
            guard length > 0, index + length <= bytes.count, second.contains(bytes[index + 1]) else { return index }
            for continuation in 2..<length where bytes[index + continuation] & 0xC0 != 0x80 { return index }
            index += length
        }
        return nil
    }
}
