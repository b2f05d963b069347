import ParquetKit

/// What a view expects of a source column: a join key, an event or created time, or a feature.
enum ExpectedColumn {
    case key(Entity.KeyType)
    case time
    case value(ValueType)
}

/// Whether a Parquet column's type can become what the view expects, decided from the file's
/// schema before any row is read (the table in Docs/Definitions.md, "Parquet sources").
enum ParquetTypeCheck {
    indirect enum Kind: CustomStringConvertible {
        case boolean, int32, int64, timestamp, float32, float64, decimal, string, bytes
        case list(Kind)
        /// A type no feature can hold, and why.
        case refused(String)

        var description: String {
            switch self {
            case .boolean: "BOOLEAN"
            case .int32: "INT32"
            case .int64: "INT64"
            case .timestamp: "timestamp"
            case .float32: "FLOAT"
            case .float64: "DOUBLE"
            case .decimal: "DECIMAL"
            case .string: "string"
            case .bytes: "BYTE_ARRAY"
            case .list(let element): "list of \(element)"
            case .refused(let reason): reason
            }
        }
    }

    /// The reason the column cannot become `expected`, or nil when it can.
    static func problem(_ column: ColumnDescriptor, holding expected: ExpectedColumn) -> String? {
        let kind = kind(of: column)
        if case .refused(let reason) = kind { return reason }
        let fits: Bool
        switch (expected, kind) {
        case (_, .string): fits = true  // text, parsed as the column's type as a CSV field is
        case (.key(.int64), .int32), (.key(.int64), .int64), (.key(.int64), .float64): fits = true
        case (.key(.string), .int32), (.key(.string), .int64): fits = true
        case (.time, .timestamp), (.time, .int64), (.time, .int32), (.time, .float64): fits = true
        case (.value(let type), _): fits = holds(kind, type)
        default: fits = false
        }
        guard !fits else { return nil }
        let wanted: String
        switch expected {
        case .key(let type): wanted = "a \(type.rawValue) join key"
        case .time: wanted = "a timestamp"
        case .value(let type): wanted = "\(type) values"
        }
        return "a Parquet \(kind) column cannot hold \(wanted)"
    }

    private static func holds(_ kind: Kind, _ type: ValueType) -> Bool {
        switch kind {
        case .boolean: type == .bool
        case .int32: type == .int32 || type == .int64
        case .int64: type == .int64 || type == .float64 || type == .int32
        case .timestamp: type == .timestamp
        case .float32: type == .float32 || type == .float64
        case .float64: type == .float64 || type == .float32 || type == .int64
        case .decimal: type == .float64 || type == .float32
        case .string: true
        case .bytes: type == .bytes
        case .list(.int32), .list(.int64): type == .int64List
        case .list(.float32): type == .float32List
        case .list(.float64): type == .float64List
        case .list(.string): type == .stringList
        case .list, .refused: false
        }
    }

    /// What the column's values become (see `ParquetCells`).
    static func kind(of column: ColumnDescriptor) -> Kind {
        let scalar = scalarKind(of: column.element)
        return column.maxRepetitionLevel == 0 ? scalar : .list(scalar)
    }

    /// What one value of a column of this element becomes.
    static func scalarKind(of element: SchemaElement) -> Kind {
        let logical = element.logicalType, converted = element.convertedType
        if case .decimal = logical { return .decimal }
        if converted == .decimal { return .decimal }
        switch element.type ?? .boolean {
        case .boolean: return .boolean
        case .int32:
            if logical == .date || converted == .date { return .timestamp }
            if case .time = logical { return .refused("a TIME column (a time of day) cannot hold a feature") }
            if case .integer(_, false) = logical { return .int64 }
            return .int32
        case .int64:
            switch logical {
            case .timestamp(true, _): return .timestamp
            case .timestamp(false, _):
                return .refused("a timestamp without a time zone (isAdjustedToUTC = false); Larder reads timestamps as instants, so write it UTC-adjusted")
            case .integer(_, false): return .refused("an unsigned 64-bit integer column, which int64 cannot hold in full")
            case .time: return .refused("a TIME column (a time of day) cannot hold a feature")
            default: return converted == .timestampMillis || converted == .timestampMicros ? .timestamp : .int64
            }
        case .int96: return .timestamp
        case .float: return .float32
        case .double: return .float64
        default:
            let isText = logical == .string || logical == .enum || logical == .json || converted == .utf8 || converted == .enum || converted == .json
            return isText ? .string : .bytes
        }
    }

    /// The unit of an INT64 timestamp column (its logical type's, or its converted type's).
    static func timeUnit(of element: SchemaElement) -> TimeUnit {
        if case .timestamp(_, let unit)? = element.logicalType { return unit }
        return element.convertedType == .timestampMillis ? .millis : .micros
    }

    /// The scale of a DECIMAL column.
    static func decimalScale(of element: SchemaElement) -> Int {
        if case .decimal(let scale, _)? = element.logicalType { return Int(scale) }
        return Int(element.scale ?? 0)
    }
}
