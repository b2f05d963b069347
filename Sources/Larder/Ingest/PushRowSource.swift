/// Rows handed over in Swift (`push`), as a `RowSource`.
struct PushRowSource: RowSource {
    struct Row: ValueSourceRow {
        let line: Int
        let values: [FeatureValue?]
        var fieldCount: Int { values.count }

        func isEmpty(_ column: Int) -> Bool { values[column] == nil || values[column] == .null }

        func value(_ column: Int, as type: ValueType, format: TimestampFormat) -> Result<FeatureValue, ValueParseError> {
            guard let value = values[column], value != .null else { return .success(.null) }
            if value.type == type { return .success(value) }
            // Widen what a Swift caller naturally writes: Int for int64, Double for float32.
            switch (value, type) {
            case (.int64(let number), .int32) where Int32(exactly: number) != nil: return .success(.int32(Int32(number)))
            case (.int32(let number), .int64): return .success(.int64(Int64(number)))
            case (.float64(let number), .float32): return .success(.float32(Float(number)))
            case (.float32(let number), .float64): return .success(.float64(Double(number)))
            case (.int64(let number), .float64): return .success(.float64(Double(number)))
            case (.string(let text), _): return ValueParser.parse(text, as: type, timestampFormat: format)
            default: return .failure(ValueParseError(message: "\(value.type.map(String.init(describing:)) ?? "null") value where \(type) is expected"))
            }
        }

        func timestamp(_ column: Int, format: TimestampFormat) -> Result<Timestamp, ValueParseError> {
            switch values[column] {
            case .timestamp(let time): .success(time)
            case .string(let text):
                Array(text.utf8).withUnsafeBytes { TimestampParser.parse($0, format: format) }
            default: .failure(ValueParseError(message: "expected a timestamp"))
            }
        }
    }

    let name = "push"
    let columns: [String]
    let rows: [[String: FeatureValue]]

    /// `columns` are always present (a feature no row mentions is null, not an error).
    init(rows: [[String: FeatureValue]], columns: [String] = []) {
        self.rows = rows
        self.columns = Array(Set(rows.flatMap(\.keys) + columns)).sorted()
    }

    /// Pushed rows are values already: none is malformed as a whole.
    func forEachRow(malformed: ((SourceError) throws -> Void)?, _ body: (Row) throws -> Void) throws {
        for (index, row) in rows.enumerated() {
            try body(Row(line: index + 1, values: columns.map { row[$0] }))
        }
    }
}
