import Foundation
import ParquetKit

/// A decoded Parquet column made ready for reading rows: typed arrays for the common types,
/// and for the rest (lists, decimals, INT96, unsigned integers) cells — values mapped to the
/// `FeatureValue` their physical and logical types mean, lists spread over the rows by their
/// levels. The mapping is the table in Docs/Definitions.md.
enum ParquetCells {
    /// The column of a row group as `ParquetRowGroup` reads it: typed arrays for the common
    /// types, cells for the rest.
    static func column(_ data: ColumnData, _ descriptor: ColumnDescriptor) throws -> ParquetRowGroup.Column {
        guard descriptor.maxRepetitionLevel == 0 else {
            return ParquetRowGroup.Column(storage: .cells(try lists(data, descriptor)), levels: [], maxLevel: 0)
        }
        let storage: ParquetRowGroup.Storage
        // What the values become (the one classification, shared with the schema check); the
        // kinds without a typed buffer go through cells.
        switch (ParquetTypeCheck.kind(of: descriptor), data.values) {
        case (.refused(let reason), _): throw ValueParseError(reason)
        case (.timestamp, .int64(let values)):
            let unit: TimeUnit = switch descriptor.element.logicalType {
            case .timestamp(_, let unit)?: unit
            default: descriptor.element.convertedType == .timestampMillis ? .millis : .micros
            }
            storage = .timestamp(unit == .micros ? values : values.map { microseconds($0, unit) })
        case (.int64, .int64(let values)): storage = .int64(values)
        case (.int32, .int32(let values)): storage = .int32(values)
        case (.float32, .float(let values)): storage = .float(values)
        case (.float64, .double(let values)): storage = .double(values)
        case (.boolean, .boolean(let values)): storage = .boolean(values)
        case (.string, .bytes(let values)): storage = .text(values)
        case (.bytes, .bytes(let values)): storage = .bytes(values)
        default: storage = .cells(try present(data.values, descriptor.element))  // dates, decimals, INT96, unsigned INT32
        }
        return ParquetRowGroup.Column(storage: storage, levels: descriptor.maxDefinitionLevel > 0 ? data.definitionLevels : [],
                                      maxLevel: UInt32(descriptor.maxDefinitionLevel))
    }

    /// A list column (three-level, or the legacy two-level form): a list per row, empty or null
    /// as the levels say. A null element inside a list is refused: a list feature cannot hold it.
    static func lists(_ data: ColumnData, _ column: ColumnDescriptor) throws -> [FeatureValue] {
        let values = try present(data.values, column.element)
        // The level at which a row's list exists (empty): its group's, when that is optional.
        let listLevel = column.field.repetition == .required ? 0 : 1
        var rows: [[FeatureValue]?] = []
        var next = 0
        for (level, repetition) in zip(data.definitionLevels, data.repetitionLevels) {
            if repetition == 0 { rows.append(level < listLevel ? nil : []) }
            guard !rows.isEmpty else { throw ValueParseError("a list column's first value continues a list") }
            guard level > listLevel else { continue }
            guard level == column.maxDefinitionLevel else { throw ValueParseError("a list holds a null element, which a list feature cannot") }
            rows[rows.count - 1]?.append(values[next])
            next += 1
        }
        return try rows.map { elements in
            guard let elements else { return .null }
            return try list(elements, column)
        }
    }

    private static func list(_ elements: [FeatureValue], _ column: ColumnDescriptor) throws -> FeatureValue {
        switch column.type {
        case .int32, .int64:
            return .int64List(elements.map { if case .int64(let v) = $0 { v } else if case .int32(let v) = $0 { Int64(v) } else { 0 } })
        case .float: return .float32List(elements.map { if case .float32(let v) = $0 { v } else { 0 } })
        case .double: return .float64List(elements.map { if case .float64(let v) = $0 { v } else { 0 } })
        case .byteArray where elements.allSatisfy({ if case .string = $0 { true } else { false } }):
            return .stringList(elements.map { if case .string(let v) = $0 { v } else { "" } })
        default: throw ValueParseError("a list of \(column.type) is not a list feature type (int64, float32, float64, string)")
        }
    }

    /// The present values as cells.
    static func present(_ values: ColumnValues, _ element: SchemaElement) throws -> [FeatureValue] {
        let logical = element.logicalType
        let converted = element.convertedType
        let scale = Int(element.scale ?? 0)
        switch values {
        case .boolean(let flags): return flags.map(FeatureValue.bool)
        case .int32(let numbers):
            if logical == .date || converted == .date { return numbers.map { .timestamp(Timestamp(seconds: Int64($0) * 86_400)) } }
            if case .decimal(let decimalScale, _) = logical { return numbers.map { .float64(Double($0) / pow(10, Double(decimalScale))) } }
            if converted == .decimal { return numbers.map { .float64(Double($0) / pow(10, Double(scale))) } }
            if case .integer(_, false) = logical { return numbers.map { .int64(Int64(UInt32(bitPattern: $0))) } }
            if case .time = logical { throw ValueParseError("a TIME column is a time of day, not a feature type") }
            return numbers.map(FeatureValue.int32)
        case .int64(let numbers):
            switch logical {
            case .timestamp(let utc, let unit):
                guard utc else {
                    throw ValueParseError("a timestamp without a time zone (isAdjustedToUTC = false); Larder reads timestamps as instants, so write it UTC-adjusted")
                }
                return numbers.map { .timestamp(Timestamp(microseconds: microseconds($0, unit))) }
            case .decimal(let decimalScale, _): return numbers.map { .float64(Double($0) / pow(10, Double(decimalScale))) }
            case .integer(_, false): throw ValueParseError("an unsigned 64-bit integer column, which int64 cannot hold in full")
            case .time: throw ValueParseError("a TIME column is a time of day, not a feature type")
            default: break
            }
            if converted == .timestampMillis { return numbers.map { .timestamp(Timestamp(microseconds: $0 &* 1_000)) } }
            if converted == .timestampMicros { return numbers.map { .timestamp(Timestamp(microseconds: $0)) } }
            if converted == .decimal { return numbers.map { .float64(Double($0) / pow(10, Double(scale))) } }
            return numbers.map(FeatureValue.int64)
        case .int96(let times):
            // Spark's legacy timestamps: Julian day 2440588 is 1970-01-01.
            return times.map { time in
                let days = Int64(time.julianDay) - 2_440_588
                return .timestamp(Timestamp(microseconds: days &* 86_400_000_000 &+ Int64(time.nanosecondsOfDay / 1_000)))
            }
        case .float(let numbers): return numbers.map(FeatureValue.float32)
        case .double(let numbers): return numbers.map(FeatureValue.float64)
        case .bytes(let arrays):
            let decimalScale: Int? = if case .decimal(let s, _) = logical { Int(s) } else if converted == .decimal { scale } else { nil }
            if let decimalScale {
                return (0..<arrays.count).map { .float64(bigEndianDecimal(arrays[$0], scale: decimalScale)) }
            }
            let isText = logical == .string || logical == .enum || logical == .json
                || converted == .utf8 || converted == .enum || converted == .json
            guard isText else { return (0..<arrays.count).map { .bytes(Array(arrays[$0])) } }
            return try (0..<arrays.count).map { index in
                guard let text = arrays[index].withUnsafeBytes({ String(validating: $0, as: UTF8.self) }) else {
                    throw ValueParseError("a string that is not UTF-8")
                }
                return .string(text)
            }
        }
    }

    static func microseconds(_ value: Int64, _ unit: TimeUnit) -> Int64 {
        switch unit {
        case .millis: value.multipliedReportingOverflow(by: 1_000).overflow ? (value < 0 ? .min : .max) : value * 1_000
        case .micros: value
        case .nanos: value / 1_000 - (value % 1_000 < 0 ? 1 : 0)  // toward the earlier microsecond
        }
    }

    /// A DECIMAL stored as big-endian two's complement bytes, as a double.
    private static func bigEndianDecimal(_ bytes: ArraySlice<UInt8>, scale: Int) -> Double {
        var value = 0.0
        for byte in bytes { value = value * 256 + Double(byte) }
        if let first = bytes.first, first & 0x80 != 0 { value -= pow(256, Double(bytes.count)) }
        return value / pow(10, Double(scale))
    }
}
