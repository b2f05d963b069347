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

/// Builds rows of one schema in a reused buffer, one field at a time: `begin()`, then each field
/// set once (a field never set stays null). Sources parse straight into it, so no value is
/// boxed on the way from a CSV field to the stored bytes.
struct RowEncoder {
    let schemaVersion: UInt16
    let types: [ValueType]
    private(set) var bytes: [UInt8] = []

    init(schemaVersion: UInt16, types: [ValueType]) {
        self.schemaVersion = schemaVersion
        self.types = types
        bytes.reserveCapacity(256)
    }

    /// Starts a row: the header, then every field null with a zero slot.
    mutating func begin() {
        let count = types.count
        let fixedLength = RowFormat.dataOffset(fieldCount: count)
        if bytes.count != fixedLength {
            bytes.removeAll(keepingCapacity: true)
            bytes.append(contentsOf: repeatElement(0, count: fixedLength))
        }
        bytes.withUnsafeMutableBytes { buffer in
            buffer.storeBytes(of: RowFormat.version, toByteOffset: 0, as: UInt8.self)
            buffer.storeBytes(of: schemaVersion.littleEndian, toByteOffset: 1, as: UInt16.self)
            buffer.storeBytes(of: UInt16(count).littleEndian, toByteOffset: 3, as: UInt16.self)
            let bitmap = UnsafeMutableRawBufferPointer(rebasing: buffer[RowFormat.headerLength...])
            // All null to begin with; setting a value clears its bit. The slots start zeroed.
            for index in 0..<RowFormat.bitmapLength(fieldCount: count) {
                let fieldsInByte = min(8, count - index * 8)
                bitmap[index] = UInt8(truncatingIfNeeded: (1 << fieldsInByte) - 1)
            }
            let slots = UnsafeMutableRawBufferPointer(rebasing: buffer[RowFormat.slotOffset(0, fieldCount: count)...])
            slots.initializeMemory(as: UInt8.self, repeating: 0)
        }
    }

    /// Stores a fixed-width value's bits (a bool as 0 or 1, floats by bit pattern, a timestamp
    /// in microseconds) in the field's slot.
    @inline(__always)
    mutating func set<Bits: FixedWidthInteger>(_ field: Int, bits: Bits) {
        let slot = RowFormat.slotOffset(field, fieldCount: types.count)
        bytes.withUnsafeMutableBytes { buffer in
            buffer[RowFormat.headerLength + field / 8] &= ~(1 << UInt8(field % 8))
            buffer.storeBytes(of: bits.littleEndian, toByteOffset: slot, as: Bits.self)
        }
    }

    /// Appends a variable-length value's bytes after the slots and points the field's slot at them.
    mutating func set(_ field: Int, variable data: UnsafeRawBufferPointer) throws(RowEncodingError) {
        let offset = try reserveVariable(field, length: data.count)
        copy(data, to: offset)
    }

    private mutating func copy(_ data: UnsafeRawBufferPointer, to offset: Int) {
        guard !data.isEmpty else { return }
        bytes.withUnsafeMutableBytes { $0.baseAddress!.advanced(by: offset).copyMemory(from: data.baseAddress!, byteCount: data.count) }
    }

    /// Makes room for `length` variable-length bytes for the field, and returns where they start.
    mutating func reserveVariable(_ field: Int, length: Int) throws(RowEncodingError) -> Int {
        let offset = bytes.count
        guard offset + length <= Int(UInt32.max) else {
            throw RowEncodingError(message: "row larger than 4 GiB")
        }
        set(field, bits: UInt64(UInt32(offset)) | UInt64(UInt32(length)) << 32)
        bytes.append(contentsOf: repeatElement(0, count: length))
        return offset
    }

    /// Lends the buffer for filling bytes reserved with `reserveVariable`.
    mutating func withMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeMutableBytes(body)
    }

    /// Sets a field from a value of its type (`.null` leaves it null).
    mutating func set(_ field: Int, _ value: FeatureValue) throws(RowEncodingError) {
        if case .null = value { return }
        guard value.type == types[field] else {
            throw RowEncodingError(message: "field \(field) expects \(types[field]), got \(value.type.map(String.init(describing:)) ?? "null")")
        }
        switch value {
        case .null: break
        case .bool(let flag): set(field, bits: UInt8(flag ? 1 : 0))
        case .int32(let number): set(field, bits: number)
        case .int64(let number): set(field, bits: number)
        case .float32(let number): set(field, bits: number.bitPattern)
        case .float64(let number): set(field, bits: number.bitPattern)
        case .timestamp(let time): set(field, bits: time.microseconds)
        case .string(var text):
            let offset = try reserveVariable(field, length: text.utf8.count)
            text.withUTF8 { copy(UnsafeRawBufferPointer($0), to: offset) }
        case .bytes(let data): try setVariable(field, data)
        case .int64List(let list): try setVariable(field, list.flatMap { littleEndianBytes($0) })
        case .float64List(let list): try setVariable(field, list.flatMap { littleEndianBytes($0.bitPattern) })
        case .float32List(let list): try setVariable(field, list.flatMap { littleEndianBytes($0.bitPattern) })
        case .stringList(let list):
            var data = littleEndianBytes(UInt32(list.count))
            for text in list {
                data += littleEndianBytes(UInt32(text.utf8.count))
                data += text.utf8
            }
            try setVariable(field, data)
        }
    }

    /// Encodes a whole row from values, one per field (`.null` allowed).
    mutating func encode(_ values: [FeatureValue]) throws(RowEncodingError) {
        precondition(values.count == types.count, "one value per field")
        begin()
        for (field, value) in values.enumerated() { try set(field, value) }
    }

    private mutating func setVariable(_ field: Int, _ data: [UInt8]) throws(RowEncodingError) {
        let offset = try reserveVariable(field, length: data.count)
        data.withUnsafeBytes { copy($0, to: offset) }
    }
}

@inline(__always)
func littleEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
}
