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
            let unit = ParquetTypeCheck.timeUnit(of: descriptor.element)
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

    /// The present values as cells, as `ParquetTypeCheck.scalarKind` classifies them.
    static func present(_ values: ColumnValues, _ element: SchemaElement) throws -> [FeatureValue] {
        let kind = ParquetTypeCheck.scalarKind(of: element)
        switch (kind, values) {
        case (.refused(let reason), _): throw ValueParseError(reason)
        case (.boolean, .boolean(let flags)): return flags.map(FeatureValue.bool)
        case (.int32, .int32(let numbers)): return numbers.map(FeatureValue.int32)
        case (.int64, .int32(let numbers)): return numbers.map { .int64(Int64(UInt32(bitPattern: $0))) }  // unsigned
        case (.int64, .int64(let numbers)): return numbers.map(FeatureValue.int64)
        case (.float32, .float(let numbers)): return numbers.map(FeatureValue.float32)
        case (.float64, .double(let numbers)): return numbers.map(FeatureValue.float64)
        case (.timestamp, .int32(let days)): return days.map { .timestamp(Timestamp(seconds: Int64($0) * 86_400)) }  // DATE
        case (.timestamp, .int64(let numbers)):
            let unit = ParquetTypeCheck.timeUnit(of: element)
            return numbers.map { .timestamp(Timestamp(microseconds: microseconds($0, unit))) }
        case (.timestamp, .int96(let times)):
            // Spark's legacy timestamps: Julian day 2440588 is 1970-01-01.
            return times.map { time in
                let days = Int64(time.julianDay) - 2_440_588
                return .timestamp(Timestamp(microseconds: days &* 86_400_000_000 &+ Int64(time.nanosecondsOfDay / 1_000)))
            }
        case (.decimal, _):
            let divisor = pow(10, Double(ParquetTypeCheck.decimalScale(of: element)))
            switch values {
            case .int32(let numbers): return numbers.map { .float64(Double($0) / divisor) }
            case .int64(let numbers): return numbers.map { .float64(Double($0) / divisor) }
            case .bytes(let arrays): return (0..<arrays.count).map { .float64(bigEndianInteger(arrays[$0]) / divisor) }
            default: throw ValueParseError("a DECIMAL column of \(element.type ?? .boolean) values")
            }
        case (.string, .bytes(let arrays)):
            return try (0..<arrays.count).map { index in
                guard let text = arrays[index].withUnsafeBytes({ String(validating: $0, as: UTF8.self) }) else {
                    throw ValueParseError("a string that is not UTF-8")
                }
                return .string(text)
            }
        case (.bytes, .bytes(let arrays)): return (0..<arrays.count).map { .bytes(Array(arrays[$0])) }
        default: throw ValueParseError("a \(kind) column holds \(element.type ?? .boolean) values")
        }
    }

    static func microseconds(_ value: Int64, _ unit: TimeUnit) -> Int64 {
        switch unit {
        case .millis: value.multipliedReportingOverflow(by: 1_000).overflow ? (value < 0 ? .min : .max) : value * 1_000
        case .micros: value
        case .nanos: value / 1_000 - (value % 1_000 < 0 ? 1 : 0)  // toward the earlier microsecond
        }
    }

    /// A big-endian two's complement integer of any length (a DECIMAL's unscaled value), as a double.
    private static func bigEndianInteger(_ bytes: ArraySlice<UInt8>) -> Double {
        var value = 0.0
        for byte in bytes { value = value * 256 + Double(byte) }
        if let first = bytes.first, first & 0x80 != 0 { value -= pow(256, Double(bytes.count)) }
        return value
    }
}
