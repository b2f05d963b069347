/// The footer's and page headers' structs written in the Thrift compact protocol, with
/// parquet.thrift's field ids: the inverse of `MetadataDecoding`, for the fields a writer sets.
extension FileMetaData {
    /// The footer; every column is declared to sort by its type's own order
    /// (`column_orders`), which tells readers to trust `min_value` and `max_value`.
    func encoded() -> [UInt8] {
        var writer = CompactWriter()
        writer.structValue { writer in
            writer.i32(1, version)
            writer.list(2, of: .struct, count: schema.count) { writer in
                for element in schema { writer.structValue(element.encode) }
            }
            writer.i64(3, numRows)
            writer.list(4, of: .struct, count: rowGroups.count) { writer in
                for group in rowGroups { writer.structValue(group.encode) }
            }
            if !keyValueMetadata.isEmpty {
                writer.list(5, of: .struct, count: keyValueMetadata.count) { writer in
                    for pair in keyValueMetadata {
                        writer.structValue { writer in
                            writer.string(1, pair.key)
                            if let value = pair.value { writer.string(2, value) }
                        }
                    }
                }
            }
            if let createdBy { writer.string(6, createdBy) }
            let leaves = schema.filter { $0.numChildren == nil }.count
            writer.list(7, of: .struct, count: leaves) { writer in
                for _ in 0..<leaves { writer.structValue { $0.struct(1) { _ in } } }  // TYPE_ORDER
            }
        }
        return writer.bytes
    }
}

extension SchemaElement {
    func encode(_ writer: inout CompactWriter) {
        if let type { writer.i32(1, type.rawValue) }
        if let typeLength { writer.i32(2, typeLength) }
        if let repetition { writer.i32(3, repetition.rawValue) }
        writer.string(4, name)
        if let numChildren { writer.i32(5, numChildren) }
        if let convertedType { writer.i32(6, convertedType.rawValue) }
        if let scale { writer.i32(7, scale) }
        if let precision { writer.i32(8, precision) }
        if let logicalType { writer.struct(10, logicalType.encode) }
    }
}

extension LogicalType {
    /// The union: one field, whose id names the member.
    func encode(_ writer: inout CompactWriter) {
        switch self {
        case .string: writer.struct(1) { _ in }
        case .list: writer.struct(3) { _ in }
        case .date: writer.struct(6) { _ in }
        case .timestamp(let isAdjustedToUTC, let unit):
            writer.struct(8) { writer in
                writer.bool(1, isAdjustedToUTC)
                writer.struct(2) { writer in
                    switch unit {
                    case .millis: writer.struct(1) { _ in }
                    case .micros: writer.struct(2) { _ in }
                    case .nanos: writer.struct(3) { _ in }
                    }
                }
            }
        case .integer(let bitWidth, let isSigned):
            writer.struct(10) { writer in
                writer.byte(1, bitWidth)
                writer.bool(2, isSigned)
            }
        default:
            preconditionFailure("the writer does not annotate columns as \(self)")
        }
    }
}

extension RowGroup {
    func encode(_ writer: inout CompactWriter) {
        writer.list(1, of: .struct, count: columns.count) { writer in
            for column in columns { writer.structValue(column.encode) }
        }
        writer.i64(2, totalByteSize)
        writer.i64(3, numRows)
    }
}

extension ColumnChunk {
    func encode(_ writer: inout CompactWriter) {
        writer.i64(2, fileOffset)
        if let metaData { writer.struct(3, metaData.encode) }
    }
}

extension ColumnMetaData {
    func encode(_ writer: inout CompactWriter) {
        writer.i32(1, type.rawValue)
        writer.list(2, of: .i32, count: encodings.count) { writer in
            for encoding in encodings { writer.i32Value(encoding.rawValue) }
        }
        writer.list(3, of: .binary, count: pathInSchema.count) { writer in
            for name in pathInSchema { writer.stringValue(name) }
        }
        writer.i32(4, codec.rawValue)
        writer.i64(5, numValues)
        writer.i64(6, totalUncompressedSize)
        writer.i64(7, totalCompressedSize)
        writer.i64(9, dataPageOffset)
        if let dictionaryPageOffset { writer.i64(11, dictionaryPageOffset) }
        if let statistics { writer.struct(12, statistics.encode) }
    }
}

extension Statistics {
    func encode(_ writer: inout CompactWriter) {
        if let nullCount { writer.i64(3, nullCount) }
        if let maxValue { writer.binary(5, maxValue) }
        if let minValue { writer.binary(6, minValue) }
    }
}

extension PageHeader {
    func encoded() -> [UInt8] {
        var writer = CompactWriter()
        writer.structValue { writer in
            writer.i32(1, kind.rawValue)
            writer.i32(2, uncompressedSize)
            writer.i32(3, compressedSize)
            if let dataPage {
                writer.struct(5) { writer in
                    writer.i32(1, dataPage.numValues)
                    writer.i32(2, dataPage.encoding.rawValue)
                    writer.i32(3, dataPage.definitionLevelEncoding.rawValue)
                    writer.i32(4, dataPage.repetitionLevelEncoding.rawValue)
                }
            }
            if let dictionaryPage {
                writer.struct(7) { writer in
                    writer.i32(1, dictionaryPage.numValues)
                    writer.i32(2, dictionaryPage.encoding.rawValue)
                }
            }
        }
        return writer.bytes
    }
}
