// Decoding of the footer's structs from the Thrift compact protocol: one initializer per
// struct, a switch over field ids, unknown fields skipped, required fields checked at the end
// (the helpers are in Thrift/StructDecoding.swift).

extension FileMetaData {
    /// Decodes a footer's `FileMetaData`.
    public init(thrift bytes: UnsafeRawBufferPointer) throws(ThriftError) {
        var reader = CompactReader(bytes)
        try self.init(from: &reader)
    }

    init(from reader: inout CompactReader) throws(ThriftError) {
        let name = "FileMetaData"
        var version: Int32?, schema: [SchemaElement]?, numRows: Int64?, rowGroups: [RowGroup]?
        var keyValues: [KeyValue] = [], createdBy: String?
        try readStruct(&reader, name) { (reader, header) throws(ThriftError) in
            switch header.id {
            case 1: try expect(header, .i32, name, reader); version = try reader.readI32()
            case 2: try expect(header, .list, name, reader); schema = try reader.readList(of: .struct) { (r) throws(ThriftError) in try SchemaElement(from: &r) }
            case 3: try expect(header, .i64, name, reader); numRows = try reader.readI64()
            case 4: try expect(header, .list, name, reader); rowGroups = try reader.readList(of: .struct) { (r) throws(ThriftError) in try RowGroup(from: &r) }
            case 5: try expect(header, .list, name, reader); keyValues = try reader.readList(of: .struct) { (r) throws(ThriftError) in try KeyValue(from: &r) }
            case 6: try expect(header, .binary, name, reader); createdBy = try reader.readString()
            default: return false
            }
            return true
        }
        guard let version else { throw missing("version", of: name, reader) }
        guard let schema else { throw missing("schema", of: name, reader) }
        guard let numRows else { throw missing("num_rows", of: name, reader) }
        guard let rowGroups else { throw missing("row_groups", of: name, reader) }
        self.init(version: version, schema: schema, numRows: numRows, rowGroups: rowGroups, keyValueMetadata: keyValues, createdBy: createdBy)
    }
}

extension KeyValue {
    init(from reader: inout CompactReader) throws(ThriftError) {
        let name = "KeyValue"
        var key: String?, value: String?
        try readStruct(&reader, name) { (reader, header) throws(ThriftError) in
            switch header.id {
            case 1: try expect(header, .binary, name, reader); key = try reader.readString()
            case 2: try expect(header, .binary, name, reader); value = try reader.readString()
            default: return false
            }
            return true
        }
        guard let key else { throw missing("key", of: name, reader) }
        self.init(key: key, value: value)
    }
}

extension SchemaElement {
    init(from reader: inout CompactReader) throws(ThriftError) {
        let name = "SchemaElement"
        var element = SchemaElement(name: "")
        var hasName = false
        try readStruct(&reader, name) { (reader, header) throws(ThriftError) in
            switch header.id {
            case 1: try expect(header, .i32, name, reader); element.type = PhysicalType(rawValue: try reader.readI32())
            case 2: try expect(header, .i32, name, reader); element.typeLength = try reader.readI32()
            case 3:
                try expect(header, .i32, name, reader)
                let raw = try reader.readI32()
                guard let repetition = Repetition(rawValue: raw) else {
                    throw ThriftError(offset: reader.offset, reason: "repetition \(raw) is not REQUIRED, OPTIONAL or REPEATED")
                }
                element.repetition = repetition
            case 4: try expect(header, .binary, name, reader); element.name = try reader.readString(); hasName = true
            case 5: try expect(header, .i32, name, reader); element.numChildren = try reader.readI32()
            case 6: try expect(header, .i32, name, reader); element.convertedType = ConvertedType(rawValue: try reader.readI32())
            case 7: try expect(header, .i32, name, reader); element.scale = try reader.readI32()
            case 8: try expect(header, .i32, name, reader); element.precision = try reader.readI32()
            case 10: try expect(header, .struct, name, reader); element.logicalType = try LogicalType(from: &reader)
            default: return false
            }
            return true
        }
        guard hasName else { throw missing("name", of: name, reader) }
        self = element
    }

    init(name: String) {
        self.init(type: nil, typeLength: nil, repetition: nil, name: name, numChildren: nil, convertedType: nil,
                  scale: nil, precision: nil, logicalType: nil)
    }
}

extension LogicalType {
    init(from reader: inout CompactReader) throws(ThriftError) {
        var kind: LogicalType?
        try readStruct(&reader, "LogicalType") { (reader, header) throws(ThriftError) in
            guard kind == nil else { throw ThriftError(offset: reader.offset, reason: "LogicalType sets two kinds") }
            try expect(header, .struct, "LogicalType", reader)
            switch header.id {
            case 5: kind = try Self.decimal(&reader)
            case 7: kind = try Self.time(&reader, timestamp: false)
            case 8: kind = try Self.time(&reader, timestamp: true)
            case 10: kind = try Self.integer(&reader)
            default:
                let simple: [Int16: LogicalType] = [1: .string, 2: .map, 3: .list, 4: .enum, 6: .date, 11: .null, 12: .json,
                                                    13: .bson, 14: .uuid, 15: .float16]
                kind = simple[header.id] ?? .other(header.id)
                return false  // an empty struct, or one this reader does not look into: skipped
            }
            return true
        }
        guard let kind else { throw missing("kind", of: "LogicalType", reader) }
        self = kind
    }

    private static func decimal(_ reader: inout CompactReader) throws(ThriftError) -> LogicalType {
        var scale: Int32?, precision: Int32?
        try readStruct(&reader, "DecimalType") { (reader, header) throws(ThriftError) in
            switch header.id {
            case 1: try expect(header, .i32, "DecimalType", reader); scale = try reader.readI32()
            case 2: try expect(header, .i32, "DecimalType", reader); precision = try reader.readI32()
            default: return false
            }
            return true
        }
        guard let scale, let precision else { throw missing("scale and precision", of: "DecimalType", reader) }
        return .decimal(scale: scale, precision: precision)
    }

    private static func time(_ reader: inout CompactReader, timestamp: Bool) throws(ThriftError) -> LogicalType {
        let name = timestamp ? "TimestampType" : "TimeType"
        var utc: Bool?, unit: TimeUnit?
        try readStruct(&reader, name) { (reader, header) throws(ThriftError) in
            switch header.id {
            case 1: try expect(header, .boolTrue, name, reader); utc = try reader.readBool()
            case 2: try expect(header, .struct, name, reader); unit = try timeUnit(&reader)
            default: return false
            }
            return true
        }
        guard let utc, let unit else { throw missing("isAdjustedToUTC and unit", of: name, reader) }
        return timestamp ? .timestamp(isAdjustedToUTC: utc, unit: unit) : .time(isAdjustedToUTC: utc, unit: unit)
    }

    private static func timeUnit(_ reader: inout CompactReader) throws(ThriftError) -> TimeUnit {
        var unit: TimeUnit?
        try readStruct(&reader, "TimeUnit") { (reader, header) throws(ThriftError) in
            switch header.id {
            case 1: unit = .millis
            case 2: unit = .micros
            case 3: unit = .nanos
            default: throw ThriftError(offset: reader.offset, reason: "TimeUnit \(header.id) is not MILLIS, MICROS or NANOS")
            }
            return false  // the unit's struct is empty: skipped
        }
        guard let unit else { throw missing("unit", of: "TimeUnit", reader) }
        return unit
    }

    private static func integer(_ reader: inout CompactReader) throws(ThriftError) -> LogicalType {
        var width: Int8?, signed: Bool?
        try readStruct(&reader, "IntType") { (reader, header) throws(ThriftError) in
            switch header.id {
            case 1:
                try expect(header, .byte, "IntType", reader)
                width = Int8(bitPattern: try reader.readByte())
            case 2: try expect(header, .boolTrue, "IntType", reader); signed = try reader.readBool()
            default: return false
            }
            return true
        }
        guard let width, let signed else { throw missing("bitWidth and isSigned", of: "IntType", reader) }
        return .integer(bitWidth: width, isSigned: signed)
    }
}

extension RowGroup {
    init(from reader: inout CompactReader) throws(ThriftError) {
        let name = "RowGroup"
        var columns: [ColumnChunk]?, totalByteSize: Int64?, numRows: Int64?
        try readStruct(&reader, name) { (reader, header) throws(ThriftError) in
            switch header.id {
            case 1: try expect(header, .list, name, reader); columns = try reader.readList(of: .struct) { (r) throws(ThriftError) in try ColumnChunk(from: &r) }
            case 2: try expect(header, .i64, name, reader); totalByteSize = try reader.readI64()
            case 3: try expect(header, .i64, name, reader); numRows = try reader.readI64()
            default: return false
            }
            return true
        }
        guard let columns else { throw missing("columns", of: name, reader) }
        guard let numRows else { throw missing("num_rows", of: name, reader) }
        self.init(columns: columns, totalByteSize: totalByteSize ?? 0, numRows: numRows)
    }
}

extension ColumnChunk {
    init(from reader: inout CompactReader) throws(ThriftError) {
        let name = "ColumnChunk"
        var filePath: String?, fileOffset: Int64 = 0, metaData: ColumnMetaData?
        try readStruct(&reader, name) { (reader, header) throws(ThriftError) in
            switch header.id {
            case 1: try expect(header, .binary, name, reader); filePath = try reader.readString()
            case 2: try expect(header, .i64, name, reader); fileOffset = try reader.readI64()
            case 3: try expect(header, .struct, name, reader); metaData = try ColumnMetaData(from: &reader)
            default: return false
            }
            return true
        }
        self.init(filePath: filePath, fileOffset: fileOffset, metaData: metaData)
    }
}

extension ColumnMetaData {
    init(from reader: inout CompactReader) throws(ThriftError) {
        let name = "ColumnMetaData"
        var type: PhysicalType?, encodings: [Encoding] = [], path: [String]?, codec: CompressionCodec?
        var numValues: Int64?, uncompressed: Int64 = 0, compressed: Int64 = 0, dataPageOffset: Int64?
        var indexPageOffset: Int64?, dictionaryPageOffset: Int64?, statistics: Statistics?
        try readStruct(&reader, name) { (reader, header) throws(ThriftError) in
            switch header.id {
            case 1: try expect(header, .i32, name, reader); type = PhysicalType(rawValue: try reader.readI32())
            case 2: try expect(header, .list, name, reader); encodings = try reader.readList(of: .i32) { (r) throws(ThriftError) in Encoding(rawValue: try r.readI32()) }
            case 3: try expect(header, .list, name, reader); path = try reader.readList(of: .binary) { (r) throws(ThriftError) in try r.readString() }
            case 4: try expect(header, .i32, name, reader); codec = CompressionCodec(rawValue: try reader.readI32())
            case 5: try expect(header, .i64, name, reader); numValues = try reader.readI64()
            case 6: try expect(header, .i64, name, reader); uncompressed = try reader.readI64()
            case 7: try expect(header, .i64, name, reader); compressed = try reader.readI64()
            case 9: try expect(header, .i64, name, reader); dataPageOffset = try reader.readI64()
            case 10: try expect(header, .i64, name, reader); indexPageOffset = try reader.readI64()
            case 11: try expect(header, .i64, name, reader); dictionaryPageOffset = try reader.readI64()
            case 12: try expect(header, .struct, name, reader); statistics = try Statistics(from: &reader)
            default: return false
            }
            return true
        }
        guard let type else { throw missing("type", of: name, reader) }
        guard let path else { throw missing("path_in_schema", of: name, reader) }
        guard let codec else { throw missing("codec", of: name, reader) }
        guard let numValues else { throw missing("num_values", of: name, reader) }
        guard let dataPageOffset else { throw missing("data_page_offset", of: name, reader) }
        self.init(type: type, encodings: encodings, pathInSchema: path, codec: codec, numValues: numValues,
                  totalUncompressedSize: uncompressed, totalCompressedSize: compressed, dataPageOffset: dataPageOffset,
                  indexPageOffset: indexPageOffset, dictionaryPageOffset: dictionaryPageOffset, statistics: statistics)
    }
}

extension Statistics {
    init(from reader: inout CompactReader) throws(ThriftError) {
        let name = "Statistics"
        var statistics = Statistics()
        try readStruct(&reader, name) { (reader, header) throws(ThriftError) in
            switch header.id {
            case 1: try expect(header, .binary, name, reader); statistics.max = Array(try reader.readBinary())
            case 2: try expect(header, .binary, name, reader); statistics.min = Array(try reader.readBinary())
            case 3: try expect(header, .i64, name, reader); statistics.nullCount = try reader.readI64()
            case 4: try expect(header, .i64, name, reader); statistics.distinctCount = try reader.readI64()
            case 5: try expect(header, .binary, name, reader); statistics.maxValue = Array(try reader.readBinary())
            case 6: try expect(header, .binary, name, reader); statistics.minValue = Array(try reader.readBinary())
            default: return false
            }
            return true
        }
        self = statistics
    }
}
