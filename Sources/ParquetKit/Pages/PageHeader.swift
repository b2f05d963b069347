/// The header before each page of a column chunk (parquet.thrift's `PageHeader`).
public struct PageHeader: Sendable {
    public enum Kind: Int32, Sendable {
        case dataPage = 0, indexPage = 1, dictionaryPage = 2, dataPageV2 = 3
    }

    public var kind: Kind
    public var uncompressedSize: Int32
    public var compressedSize: Int32
    public var dataPage: DataPageHeader?
    public var dictionaryPage: DictionaryPageHeader?
    public var dataPageV2: DataPageHeaderV2?

    /// Values in the page: data pages count nulls too, a dictionary page its entries.
    public var valueCount: Int32 {
        dataPage?.numValues ?? dataPageV2?.numValues ?? dictionaryPage?.numValues ?? 0
    }
}

public struct DataPageHeader: Sendable {
    public var numValues: Int32
    public var encoding: Encoding
    public var definitionLevelEncoding: Encoding
    public var repetitionLevelEncoding: Encoding
}

public struct DictionaryPageHeader: Sendable {
    public var numValues: Int32
    public var encoding: Encoding
}

/// A v2 data page: its levels come first, uncompressed, then its values (compressed unless
/// `isCompressed` is false).
public struct DataPageHeaderV2: Sendable {
    public var numValues: Int32
    public var numNulls: Int32
    public var numRows: Int32
    public var encoding: Encoding
    public var definitionLevelsByteLength: Int32
    public var repetitionLevelsByteLength: Int32
    public var isCompressed: Bool
}

extension PageHeader {
    init(from reader: inout CompactReader) throws(ThriftError) {
        let name = "PageHeader"
        var kind: Kind?, uncompressed: Int32?, compressed: Int32?
        var dataPage: DataPageHeader?, dictionaryPage: DictionaryPageHeader?, dataPageV2: DataPageHeaderV2?
        try readStruct(&reader, name) { (reader, header) throws(ThriftError) in
            switch header.id {
            case 1:
                try expect(header, .i32, name, reader)
                let raw = try reader.readI32()
                guard let known = Kind(rawValue: raw) else { throw ThriftError(offset: reader.offset, reason: "page type \(raw) is unknown") }
                kind = known
            case 2: try expect(header, .i32, name, reader); uncompressed = try reader.readI32()
            case 3: try expect(header, .i32, name, reader); compressed = try reader.readI32()
            case 5: try expect(header, .struct, name, reader); dataPage = try DataPageHeader(from: &reader)
            case 7: try expect(header, .struct, name, reader); dictionaryPage = try DictionaryPageHeader(from: &reader)
            case 8: try expect(header, .struct, name, reader); dataPageV2 = try DataPageHeaderV2(from: &reader)
            default: return false
            }
            return true
        }
        guard let kind else { throw missing("type", of: name, reader) }
        guard let uncompressed, uncompressed >= 0 else { throw missing("uncompressed_page_size", of: name, reader) }
        guard let compressed, compressed >= 0 else { throw missing("compressed_page_size", of: name, reader) }
        switch kind {
        case .dataPage where dataPage == nil: throw missing("data_page_header", of: name, reader)
        case .dictionaryPage where dictionaryPage == nil: throw missing("dictionary_page_header", of: name, reader)
        case .dataPageV2 where dataPageV2 == nil: throw missing("data_page_header_v2", of: name, reader)
        default: break
        }
        self.init(kind: kind, uncompressedSize: uncompressed, compressedSize: compressed, dataPage: dataPage,
                  dictionaryPage: dictionaryPage, dataPageV2: dataPageV2)
    }
}

extension DataPageHeader {
    init(from reader: inout CompactReader) throws(ThriftError) {
        let name = "DataPageHeader"
        var values: Int32?, encoding: Int32?, definition: Int32?, repetition: Int32?
        try readStruct(&reader, name) { (reader, header) throws(ThriftError) in
            switch header.id {
            case 1: try expect(header, .i32, name, reader); values = try reader.readI32()
            case 2: try expect(header, .i32, name, reader); encoding = try reader.readI32()
            case 3: try expect(header, .i32, name, reader); definition = try reader.readI32()
            case 4: try expect(header, .i32, name, reader); repetition = try reader.readI32()
            default: return false
            }
            return true
        }
        guard let values, values >= 0 else { throw missing("num_values", of: name, reader) }
        guard let encoding, let definition, let repetition else { throw missing("encodings", of: name, reader) }
        self.init(numValues: values, encoding: Encoding(rawValue: encoding), definitionLevelEncoding: Encoding(rawValue: definition),
                  repetitionLevelEncoding: Encoding(rawValue: repetition))
    }
}

extension DictionaryPageHeader {
    init(from reader: inout CompactReader) throws(ThriftError) {
        let name = "DictionaryPageHeader"
        var values: Int32?, encoding: Int32?
        try readStruct(&reader, name) { (reader, header) throws(ThriftError) in
            switch header.id {
            case 1: try expect(header, .i32, name, reader); values = try reader.readI32()
            case 2: try expect(header, .i32, name, reader); encoding = try reader.readI32()
            default: return false
            }
            return true
        }
        guard let values, values >= 0 else { throw missing("num_values", of: name, reader) }
        guard let encoding else { throw missing("encoding", of: name, reader) }
        self.init(numValues: values, encoding: Encoding(rawValue: encoding))
    }
}

extension DataPageHeaderV2 {
    init(from reader: inout CompactReader) throws(ThriftError) {
        let name = "DataPageHeaderV2"
        var values: Int32?, nulls: Int32?, rows: Int32?, encoding: Int32?, definition: Int32?, repetition: Int32?
        var compressed = true
        try readStruct(&reader, name) { (reader, header) throws(ThriftError) in
            switch header.id {
            case 1: try expect(header, .i32, name, reader); values = try reader.readI32()
            case 2: try expect(header, .i32, name, reader); nulls = try reader.readI32()
            case 3: try expect(header, .i32, name, reader); rows = try reader.readI32()
            case 4: try expect(header, .i32, name, reader); encoding = try reader.readI32()
            case 5: try expect(header, .i32, name, reader); definition = try reader.readI32()
            case 6: try expect(header, .i32, name, reader); repetition = try reader.readI32()
            case 7: try expect(header, .boolTrue, name, reader); compressed = try reader.readBool()
            default: return false
            }
            return true
        }
        guard let values, let nulls, let rows, values >= 0, nulls >= 0, rows >= 0 else {
            throw missing("num_values, num_nulls and num_rows", of: name, reader)
        }
        guard let encoding else { throw missing("encoding", of: name, reader) }
        guard let definition, let repetition, definition >= 0, repetition >= 0 else { throw missing("level lengths", of: name, reader) }
        self.init(numValues: values, numNulls: nulls, numRows: rows, encoding: Encoding(rawValue: encoding),
                  definitionLevelsByteLength: definition, repetitionLevelsByteLength: repetition, isCompressed: compressed)
    }
}
