/// The DELTA encodings: DELTA_BINARY_PACKED (integers as bit-packed deltas from a minimum, in
/// blocks of miniblocks), DELTA_LENGTH_BYTE_ARRAY (the lengths delta-packed, then the bytes back
/// to back) and DELTA_BYTE_ARRAY (each value as the length of the prefix it shares with the one
/// before, delta-packed, then its suffix as DELTA_LENGTH_BYTE_ARRAY).
/// Spec: https://parquet.apache.org/docs/file-format/data-pages/encodings/
enum DeltaEncodings {
    /// Decodes `count` integers (wrapping arithmetic, as written); returns them and the bytes
    /// the encoding took, or why it could not.
    static func binaryPacked(_ bytes: UnsafeRawBufferPointer, count: Int) -> Result<(values: [Int64], used: Int), DeltaError> {
        var offset = 0
        func varint() throws(DeltaError) -> UInt64 {
            guard let value = ULEB128.read(bytes, &offset) else { throw DeltaError(reason: "a DELTA_BINARY_PACKED header is cut short") }
            return value
        }
        func zigzag(_ raw: UInt64) -> Int64 { Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1))) }
        do throws(DeltaError) {
            let blockSize = try varint(), miniblocks = try varint(), total = try varint()
            var last = zigzag(try varint())
            guard blockSize > 0, blockSize % 128 == 0, blockSize <= 1 << 20, miniblocks > 0, blockSize % miniblocks == 0,
                  (blockSize / miniblocks) % 32 == 0 else {
                throw DeltaError(reason: "a DELTA_BINARY_PACKED block of \(blockSize) values in \(miniblocks) miniblocks is malformed")
            }
            guard total == UInt64(count) else { throw DeltaError(reason: "DELTA_BINARY_PACKED holds \(total) values where the page has \(count)") }
            let perMiniblock = Int(blockSize / miniblocks)
            var values: [Int64] = []
            values.reserveCapacity(count)
            if count > 0 { values.append(last) }
            var remaining = count - 1
            while remaining > 0 {
                let minimum = zigzag(try varint())
                guard Int(miniblocks) <= bytes.count - offset else { throw DeltaError(reason: "a DELTA_BINARY_PACKED block ends in its bit widths") }
                let widths = (0..<Int(miniblocks)).map { Int(bytes[offset + $0]) }
                offset += Int(miniblocks)
                for width in widths where remaining > 0 {
                    guard width <= 64 else { throw DeltaError(reason: "a DELTA_BINARY_PACKED miniblock has a bit width of \(width)") }
                    let size = perMiniblock * width / 8
                    let take = min(perMiniblock, remaining)
                    // A miniblock that holds values is there whole (the last one padded); those
                    // after the last value take no bytes, whatever their widths say.
                    guard size <= bytes.count - offset else { throw DeltaError(reason: "a DELTA_BINARY_PACKED miniblock runs past the page") }
                    let block = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + size])
                    for index in 0..<take {
                        last = last &+ minimum &+ Int64(bitPattern: unpack(block, index: index, width: width))
                        values.append(last)
                    }
                    offset += size
                    remaining -= take
                }
            }
            return .success((values, offset))
        } catch {
            return .failure(error)
        }
    }

    /// Value `index` of `width` bits (0...64) packed least significant bit first.
    private static func unpack(_ bytes: UnsafeRawBufferPointer, index: Int, width: Int) -> UInt64 {
        guard width > 0 else { return 0 }
        let bit = index * width
        var result: UInt64 = 0
        var gathered = 0
        var byte = bit >> 3
        var shift = bit & 7
        while gathered < width {
            let take = min(8 - shift, width - gathered)
            let part = (UInt64(bytes[byte]) >> UInt64(shift)) & ((1 << UInt64(take)) - 1)
            result |= part << UInt64(gathered)
            gathered += take
            byte += 1
            shift = 0
        }
        return result
    }

    /// `count` byte arrays: their lengths DELTA_BINARY_PACKED, then their bytes.
    static func lengthByteArray(_ bytes: UnsafeRawBufferPointer, count: Int) -> Result<(values: ByteArrays, used: Int), DeltaError> {
        let lengths: [Int64], start: Int
        switch binaryPacked(bytes, count: count) {
        case .success(let decoded): (lengths, start) = decoded
        case .failure(let error): return .failure(error)
        }
        var values = ByteArrays()
        var offset = start
        for length in lengths {
            guard length >= 0, length <= Int64(bytes.count - offset) else {
                return .failure(DeltaError(reason: "a DELTA_LENGTH_BYTE_ARRAY value of \(length) bytes runs past the page"))
            }
            values.append(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + Int(length)]))
            offset += Int(length)
        }
        return .success((values, offset))
    }

    /// `count` byte arrays, each the first `prefix` bytes of the one before and a suffix.
    static func byteArray(_ bytes: UnsafeRawBufferPointer, count: Int) -> Result<ByteArrays, DeltaError> {
        let prefixes: [Int64], start: Int
        switch binaryPacked(bytes, count: count) {
        case .success(let decoded): (prefixes, start) = decoded
        case .failure(let error): return .failure(error)
        }
        let suffixes: ByteArrays
        switch lengthByteArray(UnsafeRawBufferPointer(rebasing: bytes[start...]), count: count) {
        case .success(let decoded): suffixes = decoded.values
        case .failure(let error): return .failure(error)
        }
        var values = ByteArrays()
        var previous: [UInt8] = []
        for index in 0..<count {
            let prefix = prefixes[index]
            guard prefix >= 0, prefix <= Int64(previous.count) else {
                return .failure(DeltaError(reason: "a DELTA_BYTE_ARRAY prefix of \(prefix) bytes is longer than the value before"))
            }
            var value = Array(previous[..<Int(prefix)])
            value.append(contentsOf: suffixes[index])
            value.withUnsafeBytes { values.append($0) }
            previous = value
        }
        return .success(values)
    }
}

struct DeltaError: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}

/// BYTE_STREAM_SPLIT: the values' first bytes, then their second bytes, and so on.
enum ByteStreamSplit {
    /// Reassembles `count` values of `width` bytes into their plain layout.
    static func join(_ bytes: UnsafeRawBufferPointer, width: Int, count: Int) -> [UInt8]? {
        guard width > 0, count <= bytes.count / width else { return nil }
        var plain = [UInt8](repeating: 0, count: count * width)
        for stream in 0..<width {
            for index in 0..<count { plain[index * width + stream] = bytes[stream * count + index] }
        }
        return plain
    }
}
