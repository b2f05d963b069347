/// A Parquet file's footer: its schema, row count and row groups (parquet.thrift's
/// `FileMetaData`, with the fields a reader of the data needs; others are skipped).
public struct FileMetaData: Sendable {
    public var version: Int32
    /// The schema tree flattened depth first: the root, then each node followed by its children.
    public var schema: [SchemaElement]
    public var numRows: Int64
    public var rowGroups: [RowGroup]
    public var keyValueMetadata: [KeyValue]
    /// The writer, e.g. "parquet-cpp-arrow version 18.1.0".
    public var createdBy: String?
}

public struct KeyValue: Sendable, Equatable {
    public var key: String
    public var value: String?
}

/// A node of the schema: a group (with `numChildren`) or a column (with a physical type).
public struct SchemaElement: Sendable {
    public var type: PhysicalType?
    /// For FIXED_LEN_BYTE_ARRAY: the length of each value.
    public var typeLength: Int32?
    public var repetition: Repetition?
    public var name: String
    public var numChildren: Int32?
    public var convertedType: ConvertedType?
    public var scale: Int32?
    public var precision: Int32?
    public var logicalType: LogicalType?
}

public struct RowGroup: Sendable {
    public var columns: [ColumnChunk]
    public var totalByteSize: Int64
    public var numRows: Int64
}

public struct ColumnChunk: Sendable {
    /// Set when the chunk lives in another file (rare; readers may refuse it).
    public var filePath: String?
    public var fileOffset: Int64
    public var metaData: ColumnMetaData?
}

public struct ColumnMetaData: Sendable {
    public var type: PhysicalType
    public var encodings: [Encoding]
    /// The column's path from the root, e.g. ["embedding", "list", "element"].
    public var pathInSchema: [String]
    public var codec: CompressionCodec
    public var numValues: Int64
    public var totalUncompressedSize: Int64
    public var totalCompressedSize: Int64
    public var dataPageOffset: Int64
    public var indexPageOffset: Int64?
    public var dictionaryPageOffset: Int64?
    public var statistics: Statistics?
}

/// A column chunk's statistics, in the column's plain encoding. `minValue`/`maxValue` are the
/// current fields; `min`/`max` the deprecated ones older writers set (signed order only).
public struct Statistics: Sendable {
    public var max: [UInt8]?
    public var min: [UInt8]?
    public var nullCount: Int64?
    public var distinctCount: Int64?
    public var maxValue: [UInt8]?
    public var minValue: [UInt8]?

    public init() {}
}

/// How a column's values are stored.
public struct PhysicalType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let boolean = Self(rawValue: 0)
    public static let int32 = Self(rawValue: 1)
    public static let int64 = Self(rawValue: 2)
    public static let int96 = Self(rawValue: 3)
    public static let float = Self(rawValue: 4)
    public static let double = Self(rawValue: 5)
    public static let byteArray = Self(rawValue: 6)
    public static let fixedLenByteArray = Self(rawValue: 7)

    public var description: String {
        let names = ["BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"]
        return names.indices.contains(Int(rawValue)) ? names[Int(rawValue)] : "physical type \(rawValue)"
    }
}

public enum Repetition: Int32, Sendable {
    case required = 0, optional = 1, repeated = 2
}

public struct CompressionCodec: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let uncompressed = Self(rawValue: 0)
    public static let snappy = Self(rawValue: 1)
    public static let gzip = Self(rawValue: 2)
    public static let lzo = Self(rawValue: 3)
    public static let brotli = Self(rawValue: 4)
    public static let lz4 = Self(rawValue: 5)
    public static let zstd = Self(rawValue: 6)
    public static let lz4Raw = Self(rawValue: 7)

    public var description: String {
        let names = ["UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW"]
        return names.indices.contains(Int(rawValue)) ? names[Int(rawValue)] : "codec \(rawValue)"
    }
}

public struct Encoding: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let plain = Self(rawValue: 0)
    public static let plainDictionary = Self(rawValue: 2)
    public static let rle = Self(rawValue: 3)
    public static let bitPacked = Self(rawValue: 4)
    public static let deltaBinaryPacked = Self(rawValue: 5)
    public static let deltaLengthByteArray = Self(rawValue: 6)
    public static let deltaByteArray = Self(rawValue: 7)
    public static let rleDictionary = Self(rawValue: 8)
    public static let byteStreamSplit = Self(rawValue: 9)

    public var description: String {
        let names: [Int32: String] = [0: "PLAIN", 2: "PLAIN_DICTIONARY", 3: "RLE", 4: "BIT_PACKED", 5: "DELTA_BINARY_PACKED",
                     6: "DELTA_LENGTH_BYTE_ARRAY", 7: "DELTA_BYTE_ARRAY", 8: "RLE_DICTIONARY", 9: "BYTE_STREAM_SPLIT"]
        return names[rawValue] ?? "encoding \(rawValue)"
    }
}

/// The legacy annotation (parquet.thrift's `ConvertedType`), still the only one some writers set.
public struct ConvertedType: RawRepresentable, Hashable, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let utf8 = Self(rawValue: 0)
    public static let map = Self(rawValue: 1)
    public static let mapKeyValue = Self(rawValue: 2)
    public static let list = Self(rawValue: 3)
    public static let `enum` = Self(rawValue: 4)
    public static let decimal = Self(rawValue: 5)
    public static let date = Self(rawValue: 6)
    public static let timestampMillis = Self(rawValue: 9)
    public static let timestampMicros = Self(rawValue: 10)
    public static let int8 = Self(rawValue: 15)
    public static let int16 = Self(rawValue: 16)
    public static let int32 = Self(rawValue: 17)
    public static let int64 = Self(rawValue: 18)
    public static let json = Self(rawValue: 19)
}

public enum TimeUnit: Sendable, Equatable {
    case millis, micros, nanos
}

/// What a column's values mean (parquet.thrift's `LogicalType` union).
public enum LogicalType: Sendable, Equatable {
    case string
    case map
    case list
    case `enum`
    case decimal(scale: Int32, precision: Int32)
    case date
    case time(isAdjustedToUTC: Bool, unit: TimeUnit)
    case timestamp(isAdjustedToUTC: Bool, unit: TimeUnit)
    case integer(bitWidth: Int8, isSigned: Bool)
    case null
    case json
    case bson
    case uuid
    case float16
    /// A kind this reader does not know, by its field id in the union.
    case other(Int16)
}
