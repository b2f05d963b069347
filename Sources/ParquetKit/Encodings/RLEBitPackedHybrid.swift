/// Decodes Parquet's RLE / bit-packed hybrid encoding of small unsigned integers — definition
/// and repetition levels, and dictionary indices — from lent bytes.
///
/// A sequence of runs, each led by a ULEB128 header: an even header `2n` is an RLE run of `n`
/// copies of one value (stored in `ceil(bitWidth / 8)` bytes, little-endian); an odd header
/// `2n + 1` is `n` groups of 8 values bit-packed, least significant bit first.
/// Spec: https://parquet.apache.org/docs/file-format/data-pages/encodings/#run-length-encoding--bit-packing-hybrid-rle--3
enum RLEBitPackedHybrid {
    /// Appends `count` values of `bitWidth` bits (0...32) from `bytes` to `output`; returns why
    /// it could not (the data ends early, a value is wider than the width allows).
    static func decode(_ bytes: UnsafeRawBufferPointer, bitWidth: Int, count: Int, into output: inout [UInt32]) -> String? {
        guard (0...32).contains(bitWidth) else { return "a bit width of \(bitWidth) is not between 0 and 32" }
        var offset = 0
        var remaining = count
        output.reserveCapacity(output.count + count)
        let valueBytes = (bitWidth + 7) / 8
        while remaining > 0 {
            guard let header = ULEB128.read(bytes, &offset) else { return "its run header is cut short or too long" }
            if header & 1 == 0 {
                let runLength = Int(clamping: header >> 1)
                guard runLength > 0 else { return "it has an empty run" }
                guard valueBytes <= bytes.count - offset else { return "its data ends inside a run" }
                var value: UInt32 = 0
                for index in 0..<valueBytes { value |= UInt32(bytes[offset + index]) << (8 * index) }
                offset += valueBytes
                guard bitWidth == 32 || value >> bitWidth == 0 else { return "a run's value \(value) is wider than \(bitWidth) bits" }
                let take = min(runLength, remaining)
                output.append(contentsOf: repeatElement(value, count: take))
                remaining -= take
            } else {
                let groups = Int(clamping: header >> 1)
                guard groups > 0 else { return "it has an empty bit-packed run" }
                // The run holds `groups * 8` values in `groups * bitWidth` bytes; only the values
                // still wanted must be there (some writers cut the last run's padding).
                let take = groups >= (remaining + 7) / 8 ? remaining : groups * 8
                guard (take * bitWidth + 7) / 8 <= bytes.count - offset else { return "its data ends inside a bit-packed run" }
                unpack(bytes, from: offset, bitWidth: bitWidth, count: take, into: &output)
                let left = bytes.count - offset
                offset += bitWidth == 0 ? 0 : (groups > left / bitWidth ? left : groups * bitWidth)
                remaining -= take
            }
        }
        return nil
    }

    /// `count` values of `bitWidth` bits, least significant bit first, from byte `start`.
    private static func unpack(_ bytes: UnsafeRawBufferPointer, from start: Int, bitWidth: Int, count: Int, into output: inout [UInt32]) {
        guard bitWidth > 0 else {
            output.append(contentsOf: repeatElement(0, count: count))
            return
        }
        let mask: UInt64 = bitWidth == 32 ? 0xFFFF_FFFF : (1 << UInt64(bitWidth)) - 1
        var bitPosition = start * 8
        let first = output.count
        output.append(contentsOf: repeatElement(0, count: count))
        output.withUnsafeMutableBufferPointer { values in
            for index in first..<first + count {
                let byte = bitPosition >> 3
                let shift = UInt64(bitPosition & 7)
                // Up to 5 bytes hold a value of at most 32 bits at any bit offset: one 8-byte load
                // where the bytes allow, byte by byte at the very end.
                var window: UInt64 = 0
                if byte + 8 <= bytes.count {
                    window = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: byte, as: UInt64.self))
                } else {
                    for index in 0..<min(5, bytes.count - byte) { window |= UInt64(bytes[byte + index]) << (8 * UInt64(index)) }
                }
                values[index] = UInt32(truncatingIfNeeded: (window >> shift) & mask)
                bitPosition += bitWidth
            }
        }
    }
}

extension RLEBitPackedHybrid {
    /// Appends `values` (each below 2^bitWidth) encoded: a run of 8 or more equal values
    /// becomes an RLE run where it starts on a group boundary of the literals before it; the
    /// rest are bit-packed in groups of 8, the last group padded with zeros.
    static func encode<Value: FixedWidthInteger>(_ values: UnsafeBufferPointer<Value>, bitWidth: Int, into output: inout [UInt8]) {
        var literalsStart = 0
        var index = 0
        while index < values.count {
            var end = index + 1
            while end < values.count && values[end] == values[index] { end += 1 }
            let run = end - index
            let misalignment = (index - literalsStart) % 8
            if run >= 8 && misalignment == 0 {
                packLiterals(values[literalsStart..<index], bitWidth: bitWidth, into: &output)
                ULEB128.write(UInt64(run) << 1, into: &output)
                let value = UInt64(values[index])
                for byte in 0..<(bitWidth + 7) / 8 { output.append(UInt8(truncatingIfNeeded: value >> (8 * byte))) }
                index = end
                literalsStart = end
            } else if run >= 8 {
                index += 8 - misalignment  // Fill the literals' last group from the run; the rest may still be a run.
            } else {
                index = end
            }
        }
        packLiterals(values[literalsStart..<values.count], bitWidth: bitWidth, into: &output)
    }

    private static func packLiterals<Value: FixedWidthInteger>(_ values: Slice<UnsafeBufferPointer<Value>>, bitWidth: Int, into output: inout [UInt8]) {
        guard !values.isEmpty else { return }
        let groups = (values.count + 7) / 8
        ULEB128.write(UInt64(groups) << 1 | 1, into: &output)
        // 8 values of any width fill whole bytes: the run takes exactly `groups * bitWidth` of
        // them, made room for first and filled in place.
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: groups * bitWidth))
        output.withUnsafeMutableBufferPointer { bytes in
            var target = start
            var buffer: UInt64 = 0
            var bits = 0
            let first = values.startIndex
            for index in 0..<groups * 8 {
                let value = index < values.count ? UInt64(values.base[first + index]) : 0
                buffer |= value << bits
                bits += bitWidth
                while bits >= 8 {
                    bytes[target] = UInt8(truncatingIfNeeded: buffer)
                    target += 1
                    buffer >>= 8
                    bits -= 8
                }
            }
        }
    }
}
