/// The binary layout of one stored row (see Docs/StorageFormat.md):
///
/// ```
/// u8  format (1) | u16 schema version | u16 field count | null bitmap | 8-byte slot per field | variable data
/// ```
/// Integers are little-endian. A fixed-width value (bool, int32, int64, float32, float64,
/// timestamp) sits in its slot; a variable-length one (string, bytes, lists) stores a u32
/// offset from the row's start and a u32 byte length in its slot. So one feature decodes in
/// O(1): its slot is at a fixed place, whatever the other features hold.
@usableFromInline
enum RowFormat {
    @usableFromInline static let version: UInt8 = 1
    @usableFromInline static let headerLength = 5
    @usableFromInline static let slotWidth = 8

    @inlinable static func bitmapLength(fieldCount: Int) -> Int { (fieldCount + 7) / 8 }

    @inlinable static func slotOffset(_ index: Int, fieldCount: Int) -> Int {
        headerLength + bitmapLength(fieldCount: fieldCount) + index * slotWidth
    }

    @inlinable static func dataOffset(fieldCount: Int) -> Int {
        slotOffset(fieldCount, fieldCount: fieldCount)
    }
}

/// A row's values do not fit its schema.
struct RowEncodingError: Error, Sendable, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Encodes rows of one schema, reusing its buffer between rows.
struct RowEncoder {
    let schemaVersion: UInt16
    let types: [ValueType]
    private(set) var bytes: [UInt8] = []

    init(schemaVersion: UInt16, types: [ValueType]) {
        self.schemaVersion = schemaVersion
        self.types = types
        bytes.reserveCapacity(256)
    }

    /// Encodes `values` (one per field, `.null` allowed) into `bytes`.
    mutating func encode(_ values: [FeatureValue]) throws(RowEncodingError) {
        let count = types.count
        precondition(values.count == count, "one value per field")
        bytes.removeAll(keepingCapacity: true)
        bytes.append(RowFormat.version)
        append(schemaVersion)
        append(UInt16(count))
        bytes.append(contentsOf: repeatElement(0, count: RowFormat.bitmapLength(fieldCount: count) + count * RowFormat.slotWidth))
        for (index, value) in values.enumerated() {
            if case .null = value {
                bytes[RowFormat.headerLength + index / 8] |= 1 << UInt8(index % 8)
                continue
            }
            guard value.type == types[index] else {
                throw RowEncodingError(message: "field \(index) expects \(types[index]), got \(value.type.map(String.init(describing:)) ?? "null")")
            }
            try write(value, slot: RowFormat.slotOffset(index, fieldCount: count))
        }
    }

    private mutating func write(_ value: FeatureValue, slot: Int) throws(RowEncodingError) {
        switch value {
        case .null: break
        case .bool(let flag): bytes[slot] = flag ? 1 : 0
        case .int32(let number): store(number, at: slot)
        case .int64(let number): store(number, at: slot)
        case .float32(let number): store(number.bitPattern, at: slot)
        case .float64(let number): store(number.bitPattern, at: slot)
        case .timestamp(let time): store(time.microseconds, at: slot)
        case .string(let text): try appendVariable(Array(text.utf8), slot: slot)
        case .bytes(let data): try appendVariable(data, slot: slot)
        case .int64List(let list): try appendVariable(list.flatMap { littleEndianBytes($0) }, slot: slot)
        case .float64List(let list): try appendVariable(list.flatMap { littleEndianBytes($0.bitPattern) }, slot: slot)
        case .float32List(let list): try appendVariable(list.flatMap { littleEndianBytes($0.bitPattern) }, slot: slot)
        case .stringList(let list):
            var data = littleEndianBytes(UInt32(list.count))
            for text in list {
                data += littleEndianBytes(UInt32(text.utf8.count))
                data += text.utf8
            }
            try appendVariable(data, slot: slot)
        }
    }

    private mutating func appendVariable(_ data: [UInt8], slot: Int) throws(RowEncodingError) {
        guard bytes.count + data.count <= Int(UInt32.max) else {
            throw RowEncodingError(message: "row larger than 4 GiB")
        }
        store(UInt32(bytes.count), at: slot)
        store(UInt32(data.count), at: slot + 4)
        bytes += data
    }

    private mutating func store<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self) }
    }

    private mutating func append(_ value: UInt16) {
        bytes += littleEndianBytes(value)
    }
}

@inline(__always)
func littleEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
}
