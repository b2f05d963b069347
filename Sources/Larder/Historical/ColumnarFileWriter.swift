import ArrowKit
import Foundation
import ParquetKit

/// Writes a training set as Parquet or as an Arrow IPC file: rows are gathered into Arrow
/// columns and written a row group (Parquet) or record batch (Arrow) at a time, so memory holds
/// two groups (one filling, one being written on a worker thread), whatever the output's size. Like the text writers, into an `OutputFile`.
///
/// Column types: a feature column has its feature's type (`ValueType.arrowType`). The entity
/// rows' timestamp column is a timestamp, and a requested view's join-key column has its
/// entity's key type (`int64` or `string`, as the join reads it), whatever the input. The
/// entity rows' other columns keep the types they arrive with: from CSV, text; from Parquet,
/// JSON Lines or Swift rows, the type of the first row group's values — all integers `int64`,
/// numbers mixing integers and decimals `float64`, text, booleans, timestamps, lists as they
/// are, values of several kinds text.
final class ColumnarFileWriter {
    enum Format {
        case parquet(ParquetWriteOptions)
        case arrow
    }

    private let format: Format
    private let file: OutputFile
    private let inputNames: [String]
    private let featureNames: [String]
    private let source: String
    private let timestampColumn: Int?
    private let timestampFormat: TimestampFormat
    private let inputIsText: Bool
    /// Per input column: the key type of a requested view's entity when it is its join key.
    private let inputKeyTypes: [Entity.KeyType?]
    /// The input columns' types, once known (at the first row group unless the input is CSV).
    private var inputTypes: [ArrowType]?
    /// Until then: the first group's input cells, with each row's line.
    private var pendingInput: [(line: Int, cells: [FeatureValue])] = []
    // Appended to for every cell: the runtime's exclusivity checks on class properties would
    // cost more than the appends (no access to them escapes this class).
    @exclusivity(unchecked) private var inputColumns: [ArrowColumn] = []
    @exclusivity(unchecked) private var featureColumns: [ArrowColumn]
    /// int32 features, which `plainCell` reads as Int64s.
    private let featureIsInt32: [Bool]
    private var encoder: Encoder?
    private var groupRows = 0
    private(set) var rows = 0

    /// Rows per row group or batch, and the bytes past which a group is written sooner (lists).
    static let groupRows = 1 << 17
    static let groupBytes = 64 << 20

    init(path: String, format: Format, input: EntityRows, inputColumns: [String], inputKeyTypes: [Entity.KeyType?], featureNames: [String], featureTypes: [ValueType],
         timestampColumn: String, timestampFormat: TimestampFormat, access: FileAccess) throws {
        self.format = format
        self.inputNames = inputColumns
        self.featureNames = featureNames
        self.source = input.name
        self.timestampColumn = inputColumns.firstIndex(of: timestampColumn)
        self.timestampFormat = timestampFormat
        if case .csv = input { inputIsText = true } else { inputIsText = false }
        self.inputKeyTypes = inputKeyTypes
        featureColumns = featureTypes.map { ArrowColumn($0.arrowType, capacity: Self.groupRows) }
        featureIsInt32 = featureTypes.map { $0 == .int32 }
        self.file = try OutputFile(path: path, access: access)
        if inputIsText {
            startInput(inputColumns.indices.map { $0 == self.timestampColumn ? .timestampMicrosecondsUTC : Self.columnType(ofKey: inputKeyTypes[$0]) ?? .string })
        }
    }

    private func startInput(_ types: [ArrowType]) {
        inputTypes = types
        inputColumns = types.map { ArrowColumn($0, capacity: Self.groupRows) }
    }

    func write(_ row: EntityRow, _ features: JoinedFeatures) throws {
        switch row {
        case .csv(let record):
            let (timestampColumn, format, keyTypes, source, names) = (self.timestampColumn, timestampFormat, inputKeyTypes, self.source, inputNames)
            try inputColumns.withUnsafeMutableBufferPointer { columns in
                for column in columns.indices {
                    if column == timestampColumn {
                        Self.appendTime(row, column, format: format, to: &columns[column])
                        continue
                    }
                    let field = record.field(column)
                    if field.isEmpty {
                        columns[column].appendNull()
                    } else if keyTypes[column] == .int64 {
                        try columns[column].append(Self.int64Key(field, in: source, line: record.line, column: names[column]))
                    } else {
                        try Self.appendText(field, to: &columns[column])
                    }
                }
            }
        case .cells(let cells):
            if inputTypes == nil {
                pendingInput.append((cells.line, cells.cells))
            } else {
                try appendCells(cells.cells, line: cells.line, row: row)
            }
        }
        // The columns lent once per row, not once per cell: each access through the array
        // would check that it is not shared.
        try featureColumns.withUnsafeMutableBufferPointer { columns in
            for feature in columns.indices { try Self.append(features, feature, to: &columns[feature], int32: featureIsInt32[feature]) }
        }
        rows += 1
        groupRows += 1
        if groupRows >= Self.groupRows || (groupRows & 1023 == 0 && bufferedBytes > Self.groupBytes) { try flush() }
    }

    private var bufferedBytes: Int {
        featureColumns.reduce(0) { $0 + $1.byteCount } + inputColumns.reduce(0) { $0 + $1.byteCount }
    }

    // MARK: Input columns

    private static func appendTime(_ row: EntityRow, _ column: Int, format: TimestampFormat, to output: inout ArrowColumn) {
        switch row.time(column, format: format) {
        case .success(let micros): output.append(micros)
        case .failure: output.appendNull()
        }
    }

    /// The column type of a join key of an entity keyed by `type` (nil for a column that is no key).
    private static func columnType(ofKey type: Entity.KeyType?) -> ArrowType? {
        type.map { $0 == .int64 ? .int64 : .string }
    }

    /// A join key of an `int64` entity, as the join read it (which refused the rows it could not).
    private static func int64Key(_ field: UnsafeRawBufferPointer, in source: String, line: Int, column: String) throws -> Int64 {
        switch ValueParser.parseInteger(field, as: Int64.self, typeName: "int64") {
        case .success(let key): return key
        case .failure(let error): throw SourceError(file: source, line: line, column: column, reason: error.message)
        }
    }

    private static func appendText(_ bytes: UnsafeRawBufferPointer, to output: inout ArrowColumn) throws {
        if bytes.isValidUTF8 { return try output.append(utf8: bytes) }
        // Invalid UTF-8 is replaced, as the text writers replace it.
        try output.append(String(decoding: bytes, as: UTF8.self))
    }

    private func appendCells(_ cells: [FeatureValue], line: Int, row: EntityRow) throws {
        for (column, cell) in cells.enumerated() {
            if column == timestampColumn {
                Self.appendTime(row, column, format: timestampFormat, to: &inputColumns[column])
            } else {
                do {
                    try inputColumns[column].append(cell)
                } catch let mismatch as CellTypeMismatch {
                    throw SourceError(file: source, line: line, column: inputNames[column], reason:
                        "holds \(mismatch.value.type.map { "a \($0) value" } ?? "a value") where the first rows made the column \(mismatch.column); "
                        + "give the column one type, or write CSV or JSON Lines")
                }
            }
        }
    }

    /// The first group's input columns' types, from their values (see the type's comment).
    private func inferInputTypes() -> [ArrowType] {
        inputNames.indices.map { column in
            if column == timestampColumn { return .timestampMicrosecondsUTC }
            if let keyType = Self.columnType(ofKey: inputKeyTypes[column]) { return keyType }
            let kinds = Set(pendingInput.compactMap { $0.cells[column].type })
            if kinds.count == 1, let kind = kinds.first { return kind.arrowType }
            if !kinds.isEmpty, kinds.isSubset(of: [.int32, .int64]) { return .int64 }
            if !kinds.isEmpty, kinds.isSubset(of: [.int32, .int64, .float32, .float64]) { return .float64 }
            return .string
        }
    }

    // MARK: Feature columns

    @inline(__always)
    private static func append(_ features: JoinedFeatures, _ feature: Int, to column: inout ArrowColumn, int32: Bool) throws {
        switch features.plainCell(feature) {
        case .null: column.appendNull()
        case .float64(let number): column.append(number)
        case .int64(let number):
            if int32 { column.append(Int32(truncatingIfNeeded: number)) } else { column.append(number) }
        case .other: try column.append(features.value(feature))
        }
    }

    // MARK: Writing groups

    private func flush() throws {
        if inputTypes == nil {
            startInput(inferInputTypes())
            let pending = pendingInput
            pendingInput = []
            for (line, cells) in pending { try appendCells(cells, line: line, row: .cells(CellRow(line: line, cells: cells))) }
        }
        let encoder = try self.encoder ?? startEncoder()
        // The group is encoded and written on a worker thread while the next one fills: the
        // previous group's job is waited for first, and its emptied columns filled next.
        let recycled = try job?.finish()
        let filled = GroupJob(encoder: encoder, input: inputColumns, features: featureColumns)
        job = filled
        filled.start()
        if let recycled {
            (inputColumns, featureColumns) = (recycled.input, recycled.features)
        } else {
            inputColumns = inputColumns.map { ArrowColumn($0.type, capacity: Self.groupRows) }
            featureColumns = featureColumns.map { ArrowColumn($0.type, capacity: Self.groupRows) }
        }
        groupRows = 0
    }

    /// The group being encoded and written.
    private var job: GroupJob?

    /// One group's columns on their way to the file, on a worker thread; `finish()` hands
    /// them back emptied, or throws what stopped the writing.
    private final class GroupJob: @unchecked Sendable {
        private let encoder: Encoder
        private var input: [ArrowColumn]
        private var features: [ArrowColumn]
        private var failure: (any Error)?
        private let done = DispatchSemaphore(value: 0)

        init(encoder: Encoder, input: [ArrowColumn], features: [ArrowColumn]) {
            (self.encoder, self.input, self.features) = (encoder, input, features)
        }

        func start() {
            DispatchQueue.global(qos: .userInitiated).async {
                defer { self.done.signal() }
                do {
                    let columns = self.input + self.features
                    switch self.encoder {
                    case .parquet(let writer): try writer.write(rowGroup: columns)
                    case .arrow(let writer): try writer.write(columns)
                    }
                } catch {
                    self.failure = error
                }
            }
        }

        func finish() throws -> (input: [ArrowColumn], features: [ArrowColumn]) {
            done.wait()
            done.signal()  // A second call returns at once.
            if let failure { throw failure }
            for index in input.indices { input[index].removeAll() }
            for index in features.indices { features[index].removeAll() }
            return (input, features)
        }
    }

    private enum Encoder {
        case parquet(ParquetWriter)
        case arrow(ArrowFileWriter)
    }

    private func startEncoder() throws -> Encoder {
        let names = inputNames + featureNames
        let fields = zip(names, (inputTypes ?? []) + featureColumns.map(\.type)).map { ArrowField($0, $1) }
        let file = self.file
        let sink: (UnsafeRawBufferPointer) throws -> Void = { try file.write($0) }
        let encoder: Encoder = switch format {
        case .parquet(let options): .parquet(try ParquetWriter(fields: fields, options: options, sink: sink))
        case .arrow: .arrow(try ArrowFileWriter(fields: fields, sink: sink))
        }
        self.encoder = encoder
        return encoder
    }

    func finish() throws {
        if groupRows > 0 || encoder == nil { try flush() }
        _ = try job?.finish()
        switch encoder! {
        case .parquet(let writer): try writer.finish()
        case .arrow(let writer): try writer.finish()
        }
        try file.finish()
    }

    /// Waits for a group being written, then removes the partial file.
    func discard() {
        _ = try? job?.finish()
        file.discard()
    }
}

/// A value of another type than its column's.
private struct CellTypeMismatch: Error {
    let value: FeatureValue
    let column: ArrowType
}

extension ValueType {
    /// The Arrow (and Parquet) type of a feature of this type in a training set.
    var arrowType: ArrowType {
        switch self {
        case .bool: .bool
        case .int32: .int32
        case .int64: .int64
        case .float32: .float32
        case .float64: .float64
        case .string: .string
        case .bytes: .binary
        case .timestamp: .timestampMicrosecondsUTC
        case .int64List: .list(.int64)
        case .float32List: .list(.float32)
        case .float64List: .list(.float64)
        case .stringList: .list(.string)
        }
    }
}

private extension ArrowColumn {
    /// Appends a value of the column's type — or an integer to a float64 column, and any value
    /// as its text to a string column; throws `CellTypeMismatch` for the rest.
    mutating func append(_ value: FeatureValue) throws {
        switch (type, value) {
        case (_, .null): appendNull()
        case (.bool, .bool(let flag)): append(flag)
        case (.int32, .int32(let number)): append(number)
        case (.int64, .int64(let number)): append(number)
        case (.int64, .int32(let number)): append(Int64(number))
        case (.float32, .float32(let number)): append(number)
        case (.float64, .float64(let number)): append(number)
        case (.float64, .int64(let number)): append(Double(number))
        case (.float64, .int32(let number)): append(Double(number))
        case (.float64, .float32(let number)): append(Double(number))
        case (.string, .string(let text)): try append(text)
        case (.string, _): try append(value.description)
        case (.binary, .bytes(let bytes)): try bytes.withUnsafeBytes { try append(utf8: $0) }
        case (.timestampMicrosecondsUTC, .timestamp(let time)): append(time.microseconds)
        case (.list(.int64), .int64List(let list)): try appendList { for element in list { $0.append(element) } }
        case (.list(.float32), .float32List(let list)): try appendList { for element in list { $0.append(element) } }
        case (.list(.float64), .float64List(let list)): try appendList { for element in list { $0.append(element) } }
        case (.list(.string), .stringList(let list)): try appendList { for element in list { try $0.append(element) } }
        default: throw CellTypeMismatch(value: value, column: type)
        }
    }
}
