import Foundation

/// A JSON Lines file (one object per line) as a `RowSource`, read in chunks.
struct JSONLinesRowSource: RowSource {
    struct Row: ValueSourceRow {
        let line: Int
        let values: [Any?]
        var fieldCount: Int { values.count }

        func isEmpty(_ column: Int) -> Bool { values[column] == nil || values[column] is NSNull }

        func value(_ column: Int, as type: ValueType, format: TimestampFormat) -> Result<FeatureValue, ValueParseError> {
            JSONValue.convert(values[column], to: type, format: format)
        }

        func cell(_ column: Int) -> FeatureValue { JSONCell.value(values[column]) }
    }

    let name: String
    /// The keys read from each object: the ones the view needs, as the caller resolved them.
    let columns: [String]

    func forEachRow(malformed: ((SourceError) throws -> Void)?, _ body: (Row) throws -> Void) throws {
        try forEachObject(malformed: malformed) { line, object in try body(Row(line: line, values: columns.map { object[$0] })) }
    }

    /// Calls `body` with each non-blank line's number and object. Each line stands alone: with
    /// `malformed`, a line that is no JSON object goes there and the next line is read.
    func forEachObject(malformed: ((SourceError) throws -> Void)? = nil, _ body: (Int, [String: Any]) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: name) else {
            throw SourceError(file: name, line: 0, column: nil, reason: "cannot open the file")
        }
        defer { try? handle.close() }
        var pending = Data()
        var lineNumber = 0
        func process(_ line: Data) throws {
            lineNumber += 1
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
            switch JSONLine.object(line) {
            case .success(let dictionary):
                try body(lineNumber, dictionary)
            case .failure(let problem):
                let error = SourceError(file: name, line: lineNumber, column: nil, reason: problem.message)
                guard let malformed else { throw error }
                try malformed(error)
            }
        }
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            pending.append(chunk)
            while let newline = pending.firstIndex(of: 0x0A) {
                try process(pending[pending.startIndex..<newline])
                pending.removeSubrange(pending.startIndex...newline)
            }
        }
        if !pending.isEmpty { try process(pending) }
    }
}

/// Converts JSON values (from `JSONSerialization`) to typed feature values.
enum JSONValue {
    static func convert(_ value: Any?, to type: ValueType, format: TimestampFormat) -> Result<FeatureValue, ValueParseError> {
        guard let value, !(value is NSNull) else { return .success(.null) }
        if let text = value as? String {
            if type == .string { return .success(.string(text)) }
            return ValueParser.parse(text, as: type, timestampFormat: format)
        }
        if let number = value as? NSNumber {
            let isBool = String(cString: number.objCType) == "c"  // how Foundation marks JSON true/false
            switch type {
            case .bool where isBool: return .success(.bool(number.boolValue))
            case .int32 where !isBool && Int32(exactly: number.doubleValue) != nil: return .success(.int32(number.int32Value))
            case .int64 where !isBool && Double(number.int64Value) == number.doubleValue: return .success(.int64(number.int64Value))
            case .float32 where !isBool: return .success(.float32(number.floatValue))
            case .float64 where !isBool: return .success(.float64(number.doubleValue))
            case .timestamp where !isBool: return ValueParser.parse(number.stringValue, as: .timestamp, timestampFormat: format)
            default: return .failure(ValueParseError(message: "\(number) is not a valid \(type)"))
            }
        }
        if let array = value as? [Any], let element = type.element {
            var converted: [FeatureValue] = []
            for (index, item) in array.enumerated() {
                switch convert(item, to: element, format: format) {
                case .success(.null): return .failure(ValueParseError(message: "element \(index) of the list is null"))
                case .success(let value): converted.append(value)
                case .failure(let error): return .failure(ValueParseError(message: "element \(index): \(error.message)"))
                }
            }
            switch type {
            case .int64List: return .success(.int64List(converted.compactMap { if case .int64(let v) = $0 { v } else { nil } }))
            case .float32List: return .success(.float32List(converted.compactMap { if case .float32(let v) = $0 { v } else { nil } }))
            case .float64List: return .success(.float64List(converted.compactMap { if case .float64(let v) = $0 { v } else { nil } }))
            case .stringList: return .success(.stringList(converted.compactMap { if case .string(let v) = $0 { v } else { nil } }))
            default: break
            }
        }
        return .failure(ValueParseError(message: "a JSON \(Swift.type(of: value)) is not a valid \(type)"))
    }
}

/// JSON values as cells as they came: integers, other numbers, booleans, text; anything else as its text.
enum JSONCell {
    static func value(_ json: Any?) -> FeatureValue {
        switch json {
        case nil, is NSNull: return .null
        case let text as String: return .string(text)
        case let number as NSNumber:
            if String(cString: number.objCType) == "c" { return .bool(number.boolValue) }
            if Double(number.int64Value) == number.doubleValue, !"\(number)".contains(".") { return .int64(number.int64Value) }
            return .float64(number.doubleValue)
        default: return .string("\(json!)")
        }
    }
}
