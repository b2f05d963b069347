/// Typed, zero-copy access to one stored row's bytes.
///
/// Reads by slot index of the schema the row was written with (see `ViewLayout` for the
/// mapping from the current features). Bounds are checked against the row's length, so a
/// damaged row reads as null instead of reading past its end.
@usableFromInline
struct RowView {
    @usableFromInline let bytes: UnsafeRawBufferPointer
    @usableFromInline let fieldCount: Int

    @inlinable init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= RowFormat.headerLength, bytes[0] == RowFormat.version else { return nil }
        let count = Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 3, as: UInt16.self)))
        guard bytes.count >= RowFormat.dataOffset(fieldCount: count) else { return nil }
        self.bytes = bytes
        self.fieldCount = count
    }

    /// The schema version the row was written with.
    @inlinable var schemaVersion: UInt16 {
        UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 1, as: UInt16.self))
    }

    @inlinable @inline(__always) func isNull(_ slot: Int) -> Bool {
        guard slot < fieldCount else { return true }
        return bytes[RowFormat.headerLength + slot / 8] & (1 << UInt8(slot % 8)) != 0
    }

    /// Whether no slot is null: every bit of the null bitmap clear, read a word at a time.
    @inline(__always) var hasNoNulls: Bool {
        var offset = RowFormat.headerLength
        let end = offset + RowFormat.bitmapLength(fieldCount: fieldCount)
        while offset + 8 <= end {
            guard bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self) == 0 else { return false }
            offset += 8
        }
        while offset < end {
            guard bytes[offset] == 0 else { return false }
            offset += 1
        }
        return true
    }

    @inlinable func fixed<T: FixedWidthInteger>(_ slot: Int, as type: T.Type) -> T {
        T(littleEndian: bytes.loadUnaligned(fromByteOffset: RowFormat.slotOffset(slot, fieldCount: fieldCount), as: T.self))
    }

    /// The bytes of a variable-length value, or an empty buffer if its offsets are out of range.
    @inlinable func variable(_ slot: Int) -> UnsafeRawBufferPointer {
        let offset = RowFormat.slotOffset(slot, fieldCount: fieldCount)
        let start = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)))
        guard start + length <= bytes.count else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<start + length])
    }

    /// The value in `slot`, decoded as `type` (copies variable-length data).
    @usableFromInline func value(_ slot: Int, as type: ValueType) -> FeatureValue {
        guard !isNull(slot) else { return .null }
        switch type {
        case .bool: return .bool(fixed(slot, as: UInt8.self) != 0)
        case .int32: return .int32(fixed(slot, as: Int32.self))
        case .int64: return .int64(fixed(slot, as: Int64.self))
        case .float32: return .float32(Float(bitPattern: fixed(slot, as: UInt32.self)))
        case .float64: return .float64(Double(bitPattern: fixed(slot, as: UInt64.self)))
        case .timestamp: return .timestamp(Timestamp(microseconds: fixed(slot, as: Int64.self)))
        case .string: return .string(String(decoding: variable(slot), as: UTF8.self))
        case .bytes: return .bytes(Array(variable(slot)))
        case .int64List: return .int64List(elements(variable(slot), width: 8) { Int64(littleEndian: $0.loadUnaligned(fromByteOffset: $1, as: Int64.self)) })
        case .float64List: return .float64List(elements(variable(slot), width: 8) { Double(bitPattern: UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: $1, as: UInt64.self))) })
        case .float32List: return .float32List(elements(variable(slot), width: 4) { Float(bitPattern: UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: $1, as: UInt32.self))) })
        case .stringList: return .stringList(strings(variable(slot)))
        }
    }

    private func elements<T>(_ data: UnsafeRawBufferPointer, width: Int, _ load: (UnsafeRawBufferPointer, Int) -> T) -> [T] {
        (0..<data.count / width).map { load(data, $0 * width) }
    }

    private func strings(_ data: UnsafeRawBufferPointer) -> [String] {
        guard data.count >= 4 else { return [] }
        let count = Int(UInt32(littleEndian: data.loadUnaligned(as: UInt32.self)))
        var offset = 4
        var result: [String] = []
        for _ in 0..<count {
            guard offset + 4 <= data.count else { break }
            let length = Int(UInt32(littleEndian: data.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            offset += 4
            guard offset + length <= data.count else { break }
            result.append(String(decoding: data[offset..<offset + length], as: UTF8.self))
            offset += length
        }
        return result
    }
}
