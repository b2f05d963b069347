/// PLAIN encoding: values back to back, little-endian; booleans one bit each, least significant
/// first; BYTE_ARRAY as a 4-byte length and the bytes; FIXED_LEN_BYTE_ARRAY as the bytes alone.
enum PlainDecoding {
    /// Appends `count` values of `type` from `bytes` to `values`; returns why it could not.
    static func decode(_ bytes: UnsafeRawBufferPointer, type: PhysicalType, typeLength: Int, count: Int,
                       into values: inout ColumnValues) -> String? {
        func fixed(_ width: Int) -> String? {
            count <= bytes.count / width ? nil : "its \(count) PLAIN values need \(count * width) bytes, the page has \(bytes.count)"
        }
        switch values {
        case .boolean(var array):
            values = .boolean([])  // the enum lets go of the array: appends then do not copy it
            guard count <= bytes.count * 8 else { return "its \(count) booleans need more than its \(bytes.count) bytes" }
            array.reserveCapacity(array.count + count)
            for index in 0..<count { array.append(bytes[index >> 3] >> (index & 7) & 1 == 1) }
            values = .boolean(array)
        case .int32(var array):
            values = .int32([])  // the enum lets go of the array: appends then do not copy it
            if let problem = fixed(4) { return problem }
            appendCopy(of: bytes, count: count, to: &array)
            values = .int32(array)
        case .int64(var array):
            values = .int64([])  // the enum lets go of the array: appends then do not copy it
            if let problem = fixed(8) { return problem }
            appendCopy(of: bytes, count: count, to: &array)
            values = .int64(array)
        case .int96(var array):
            values = .int96([])  // the enum lets go of the array: appends then do not copy it
            if let problem = fixed(12) { return problem }
            for index in 0..<count {
                array.append(Int96(nanosecondsOfDay: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 12 * index, as: UInt64.self)),
                                   julianDay: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 12 * index + 8, as: UInt32.self))))
            }
            values = .int96(array)
        case .float(var array):
            values = .float([])  // the enum lets go of the array: appends then do not copy it
            if let problem = fixed(4) { return problem }
            appendCopy(of: bytes, count: count, to: &array)
            values = .float(array)
        case .double(var array):
            values = .double([])  // the enum lets go of the array: appends then do not copy it
            if let problem = fixed(8) { return problem }
            appendCopy(of: bytes, count: count, to: &array)
            values = .double(array)
        case .bytes(var arrays):
            values = .bytes(ByteArrays())
            if type == .fixedLenByteArray {
                guard typeLength > 0 else { return "its FIXED_LEN_BYTE_ARRAY has no length" }
                if let problem = fixed(typeLength) { return problem }
                for index in 0..<count { arrays.append(UnsafeRawBufferPointer(rebasing: bytes[index * typeLength..<(index + 1) * typeLength])) }
            } else {
                var offset = 0
                for _ in 0..<count {
                    guard bytes.count - offset >= 4 else { return "its BYTE_ARRAY values end inside a length" }
                    let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                    offset += 4
                    guard length <= bytes.count - offset else { return "a BYTE_ARRAY value of \(length) bytes runs past the page" }
                    arrays.append(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length]))
                    offset += length
                }
            }
            values = .bytes(arrays)
        }
        return nil
    }

    /// Appends the first `count` little-endian values of `bytes` with one copy (this reader
    /// runs on little-endian machines, whose values are laid out as PLAIN stores them). The
    /// room is zero-filled first: still faster than a load and an append per value.
    private static func appendCopy<T: Numeric>(of bytes: UnsafeRawBufferPointer, count: Int, to array: inout [T]) {
        guard count > 0 else { return }
        let start = array.count
        array.append(contentsOf: repeatElement(0, count: count))
        array.withUnsafeMutableBytes { target in
            (target.baseAddress! + start * MemoryLayout<T>.stride).copyMemory(from: bytes.baseAddress!, byteCount: count * MemoryLayout<T>.stride)
        }
    }
}

#if !_endian(little)
#error("ParquetKit reads PLAIN values with the machine's byte order: little-endian machines only")
#endif
