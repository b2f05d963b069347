/// Rows handed over in Swift (`push`), as a `RowSource`.
struct PushRowSource: RowSource {
    let name = "push"
    let columns: [String]
    let rows: [[String: FeatureValue]]

    /// `columns` are always present (a feature no row mentions is null, not an error).
    init(rows: [[String: FeatureValue]], columns: [String] = []) {
        self.rows = rows
        self.columns = Array(Set(rows.flatMap(\.keys) + columns)).sorted()
    }

    /// Pushed rows are values already: none is malformed as a whole.
    func forEachRow(malformed: ((SourceError) throws -> Void)?, _ body: (CellRow) throws -> Void) throws {
        for (index, row) in rows.enumerated() {
            try body(CellRow(line: index + 1, cells: columns.map { row[$0] ?? .null }))
        }
    }
}

/// A row of typed cells: pushed rows, and entity rows from JSON Lines or Swift tables.
struct CellRow: ValueSourceRow {
    let line: Int
    let cells: [FeatureValue]
    var fieldCount: Int { cells.count }

    func isEmpty(_ column: Int) -> Bool { cells[column] == .null }

    func cell(_ column: Int) -> FeatureValue { cells[column] }

    func value(_ column: Int, as type: ValueType, format: TimestampFormat) -> Result<FeatureValue, ValueParseError> {
        Self.convert(cells[column], to: type, format: format)
    }

    /// A typed cell as a value of `type`: itself, or widened the way a caller naturally writes
    /// it (Int for int64, Double for float32), a whole float as an integer, text parsed.
    static func convert(_ value: FeatureValue, to type: ValueType, format: TimestampFormat) -> Result<FeatureValue, ValueParseError> {
        if value == .null || value.type == type { return .success(value) }
        // Widen what a Swift caller naturally writes: Int for int64, Double for float32.
        switch (value, type) {
        case (.int64(let number), .int32) where Int32(exactly: number) != nil: return .success(.int32(Int32(number)))
        case (.int32(let number), .int64): return .success(.int64(Int64(number)))
        case (.float64(let number), .float32): return .success(.float32(Float(number)))
        case (.float32(let number), .float64): return .success(.float64(Double(number)))
        case (.int64(let number), .float64): return .success(.float64(Double(number)))
        // A whole number in a float column: pandas writes integer columns that have nulls as
        // float64. A fraction is still an error.
        case (.float64(let number), .int64) where Int64(exactly: number) != nil: return .success(.int64(Int64(exactly: number)!))
        case (.string(let text), _): return ValueParser.parse(text, as: type, timestampFormat: format)
        default: return .failure(ValueParseError(message: "\(value.type.map(String.init(describing:)) ?? "null") value where \(type) is expected"))
        }
    }
}
