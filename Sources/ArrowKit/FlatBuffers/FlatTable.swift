/// A FlatBuffers table to be written: Arrow's IPC metadata (schemas, record batch headers, the
/// file footer) is FlatBuffers, and this writer needs only a handful of tables, so they are
/// described as values and laid out by `serialized()` rather than through generated code.
///
/// The layout (https://flatbuffers.dev/internals/): a buffer starts with the offset of its root
/// table; a table starts with the signed distance back to its vtable, then its inline fields;
/// the vtable lists its size, the table's size and each field's offset in the table (0 when
/// absent). Strings, vectors and sub-tables are referenced by unsigned offsets forward from the
/// referring field, so this writer lays each table out before everything it refers to.
struct FlatTable {
    enum Value {
        case bool(Bool)
        case uint8(UInt8)
        case int16(Int16)
        case int32(Int32)
        case int64(Int64)
        case string(String)
        case table(FlatTable)
        case tables([FlatTable])
        /// A vector of structs, already laid out (`stride` bytes each, aligned to `alignment`).
        case structs([UInt8], count: Int, alignment: Int)
    }

    var fields: [(id: Int, value: Value)]

    init(_ fields: [(id: Int, value: Value)]) {
        self.fields = fields
    }

    /// The table as a whole FlatBuffers buffer, its length a multiple of 8.
    func serialized() -> [UInt8] {
        var writer = FlatWriter()
        writer.bytes = [0, 0, 0, 0]
        let root = writer.write(self)
        writer.patch(at: 0, to: root)
        writer.align(8)
        return writer.bytes
    }
}

private struct FlatWriter {
    var bytes: [UInt8] = []

    mutating func align(_ alignment: Int) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }

    mutating func put<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Sets the offset field at `position` to point at `target`.
    mutating func patch(at position: Int, to target: Int) {
        let offset = UInt32(target - position).littleEndian
        withUnsafeBytes(of: offset) { bytes.replaceSubrange(position..<position + 4, with: $0) }
    }

    /// Writes a table and what it refers to; returns the table's position.
    mutating func write(_ table: FlatTable) -> Int {
        // Inline fields, largest first so that none needs padding after the first.
        let inline = table.fields.map { field in (field.id, field.value, Self.inlineSize(field.value)) }
            .sorted { $0.2 > $1.2 }
        var fieldOffsets = [UInt16](repeating: 0, count: (table.fields.map(\.id).max() ?? -1) + 1)
        var size = 4  // the vtable distance
        for (id, _, width) in inline {
            size = (size + width - 1) / width * width
            fieldOffsets[id] = UInt16(size)
            size += width
        }
        // The vtable, then the table at the next multiple of 8.
        align(2)
        let vtable = bytes.count
        put(UInt16(4 + 2 * fieldOffsets.count))
        put(UInt16(size))
        for offset in fieldOffsets { put(offset) }
        align(8)
        let start = bytes.count
        put(Int32(start - vtable))
        var references: [(position: Int, value: FlatTable.Value)] = []
        for (id, value, width) in inline {
            while bytes.count < start + Int(fieldOffsets[id]) { bytes.append(0) }
            switch value {
            case .bool(let flag): put(UInt8(flag ? 1 : 0))
            case .uint8(let number): put(number)
            case .int16(let number): put(number)
            case .int32(let number): put(number)
            case .int64(let number): put(number)
            case .string, .table, .tables, .structs:
                references.append((bytes.count, value))
                put(UInt32(0))
            }
            assert(bytes.count == start + Int(fieldOffsets[id]) + width)
        }
        while bytes.count < start + size { bytes.append(0) }
        for (position, value) in references { patch(at: position, to: writeReferenced(value)) }
        return start
    }

    private static func inlineSize(_ value: FlatTable.Value) -> Int {
        switch value {
        case .bool, .uint8: 1
        case .int16: 2
        case .int32, .string, .table, .tables, .structs: 4
        case .int64: 8
        }
    }

    /// Writes a string, vector or table; returns its position.
    private mutating func writeReferenced(_ value: FlatTable.Value) -> Int {
        switch value {
        case .string(let text):
            align(4)
            let position = bytes.count
            let utf8 = Array(text.utf8)
            put(UInt32(utf8.count))
            bytes.append(contentsOf: utf8)
            bytes.append(0)
            return position
        case .table(let table):
            return write(table)
        case .tables(let tables):
            align(4)
            let position = bytes.count
            put(UInt32(tables.count))
            let slots = bytes.count
            for _ in tables { put(UInt32(0)) }
            for (index, table) in tables.enumerated() { patch(at: slots + 4 * index, to: write(table)) }
            return position
        case .structs(let data, let count, let alignment):
            // The elements, after the 4-byte count, start aligned.
            while (bytes.count + 4) % max(alignment, 4) != 0 { bytes.append(0) }
            let position = bytes.count
            put(UInt32(count))
            bytes.append(contentsOf: data)
            return position
        case .bool, .uint8, .int16, .int32, .int64:
            preconditionFailure("a scalar is stored inline")
        }
    }
}
