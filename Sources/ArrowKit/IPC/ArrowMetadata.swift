/// The FlatBuffers tables of Arrow's IPC format this writer emits (Schema.fbs, Message.fbs and
/// File.fbs of apache/arrow's format/ directory), with their field ids and enum values.
enum ArrowMetadata {
    /// MetadataVersion.V5, what every current reader expects.
    static let version: Int16 = 4

    enum MessageHeader: UInt8 {
        case schema = 1, recordBatch = 3
    }

    static func message(_ header: MessageHeader, _ table: FlatTable, bodyLength: Int) -> FlatTable {
        FlatTable([(0, .int16(version)), (1, .uint8(header.rawValue)), (2, .table(table)), (3, .int64(Int64(bodyLength)))])
    }

    static func schema(_ fields: [ArrowField]) -> FlatTable {
        FlatTable([(0, .int16(0)), (1, .tables(fields.map(field)))])  // endianness: little
    }

    /// A nullable field; a list's element field is named "item", as pyarrow names it.
    static func field(_ field: ArrowField) -> FlatTable {
        let (typeID, type) = typeTable(field.type)
        var children: [FlatTable] = []
        if case .list(let element) = field.type { children = [self.field(ArrowField("item", element))] }
        // Readers require the children vector even when it is empty.
        return FlatTable([(0, .string(field.name)), (1, .bool(true)), (2, .uint8(typeID)), (3, .table(type)), (5, .tables(children))])
    }

    /// The `Type` union's member id and table.
    private static func typeTable(_ type: ArrowType) -> (UInt8, FlatTable) {
        switch type {
        case .int32: (2, FlatTable([(0, .int32(32)), (1, .bool(true))]))
        case .int64: (2, FlatTable([(0, .int32(64)), (1, .bool(true))]))
        case .float32: (3, FlatTable([(0, .int16(1))]))  // Precision.SINGLE
        case .float64: (3, FlatTable([(0, .int16(2))]))  // Precision.DOUBLE
        case .binary: (4, FlatTable([]))
        case .string: (5, FlatTable([]))
        case .bool: (6, FlatTable([]))
        case .timestampMicrosecondsUTC: (10, FlatTable([(0, .int16(2)), (1, .string("UTC"))]))  // TimeUnit.MICROSECOND
        case .list: (12, FlatTable([]))
        }
    }

    /// FieldNode and Buffer are structs of two int64s each.
    static func pairs(_ values: [(Int, Int)]) -> FlatTable.Value {
        var bytes: [UInt8] = []
        for (first, second) in values {
            withUnsafeBytes(of: Int64(first).littleEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: Int64(second).littleEndian) { bytes.append(contentsOf: $0) }
        }
        return .structs(bytes, count: values.count, alignment: 8)
    }

    static func recordBatch(rows: Int, nodes: [(length: Int, nullCount: Int)], buffers: [(offset: Int, length: Int)]) -> FlatTable {
        FlatTable([(0, .int64(Int64(rows))), (1, pairs(nodes.map { ($0.length, $0.nullCount) })), (2, pairs(buffers.map { ($0.offset, $0.length) }))])
    }

    /// A Block: where a message starts in the file, its metadata's length with its prefix, and
    /// its body's length (int64, int32 and 4 bytes of padding, int64).
    struct Block {
        var offset: Int
        var metadataLength: Int
        var bodyLength: Int
    }

    static func footer(_ fields: [ArrowField], recordBatches: [Block]) -> FlatTable {
        var bytes: [UInt8] = []
        for block in recordBatches {
            withUnsafeBytes(of: Int64(block.offset).littleEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: Int32(block.metadataLength).littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: [0, 0, 0, 0])
            withUnsafeBytes(of: Int64(block.bodyLength).littleEndian) { bytes.append(contentsOf: $0) }
        }
        return FlatTable([
            (0, .int16(version)), (1, .table(schema(fields))), (2, .structs([], count: 0, alignment: 8)),
            (3, .structs(bytes, count: recordBatches.count, alignment: 8)),
        ])
    }
}
