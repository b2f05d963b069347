/// Writes the Thrift compact protocol — the encoding `CompactReader` reads — for the footer and
/// page headers of the Parquet files `ParquetWriter` writes. Structs are written through
/// closures, so a struct's fields are always closed by its stop byte.
struct CompactWriter {
    typealias FieldType = CompactReader.FieldType

    private(set) var bytes: [UInt8] = []

    fileprivate mutating func append(_ byte: UInt8) { bytes.append(byte) }
    /// The id of the previous field in each struct being written (ids are written as deltas).
    private var lastFieldIds: [Int16] = [0]

    // MARK: Fields of the current struct

    mutating func i32(_ id: Int16, _ value: Int32) {
        header(id, .i32)
        zigzag(Int64(value))
    }

    mutating func i64(_ id: Int16, _ value: Int64) {
        header(id, .i64)
        zigzag(value)
    }

    mutating func bool(_ id: Int16, _ value: Bool) {
        header(id, value ? .boolTrue : .boolFalse)
    }

    mutating func binary(_ id: Int16, _ value: [UInt8]) {
        header(id, .binary)
        binaryValue(value)
    }

    mutating func string(_ id: Int16, _ value: String) {
        binary(id, Array(value.utf8))
    }

    mutating func `struct`(_ id: Int16, _ fields: (inout CompactWriter) -> Void) {
        header(id, .struct)
        structValue(fields)
    }

    /// A list field; `elements` writes its `count` elements with the `…Value` methods.
    mutating func list(_ id: Int16, of type: FieldType, count: Int, _ elements: (inout CompactWriter) -> Void) {
        header(id, .list)
        if count < 15 {
            bytes.append(UInt8(count) << 4 | type.rawValue)
        } else {
            bytes.append(0xF0 | type.rawValue)
            varint(UInt64(count))
        }
        elements(&self)
    }

    // MARK: Values (list elements)

    mutating func i32Value(_ value: Int32) { zigzag(Int64(value)) }

    mutating func binaryValue(_ value: [UInt8]) {
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func stringValue(_ value: String) { binaryValue(Array(value.utf8)) }

    /// A struct: its fields, then the stop byte.
    mutating func structValue(_ fields: (inout CompactWriter) -> Void) {
        lastFieldIds.append(0)
        fields(&self)
        bytes.append(FieldType.stop.rawValue)
        lastFieldIds.removeLast()
    }

    // MARK: Encoding

    fileprivate mutating func header(_ id: Int16, _ type: FieldType) {
        let delta = Int(id) - Int(lastFieldIds[lastFieldIds.count - 1])
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            zigzag(Int64(id))
        }
        lastFieldIds[lastFieldIds.count - 1] = id
    }

    private mutating func zigzag(_ value: Int64) {
        varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    private mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }
}

extension CompactWriter {
    /// An i8 field: one byte, as is.
    mutating func byte(_ id: Int16, _ value: Int8) {
        header(id, .byte)
        append(UInt8(bitPattern: value))
    }
}
