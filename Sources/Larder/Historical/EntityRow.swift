/// One entity row, lent to a pass of the join: a CSV record, read straight from its bytes (no
/// string or `FeatureValue` per cell on the hot path), or the cells of a JSON Lines object or a
/// Swift table. Valid only inside the closure it is lent to.
enum EntityRow {
    case csv(CSVRecord)
    case cells([FeatureValue])

    /// The cell as a value: a CSV field is a string, or null when empty.
    func cell(_ column: Int) -> FeatureValue {
        switch self {
        case .csv(let record): record.field(column).isEmpty ? .null : .string(record.string(column))
        case .cells(let cells): cells[column]
        }
    }

    /// Every cell, as values.
    var cells: [FeatureValue] {
        switch self {
        case .csv(let record): (0..<record.count).map(cell)
        case .cells(let cells): cells
        }
    }

    /// The row's time in microseconds, or why the cell holds none.
    func time(_ column: Int, format: TimestampFormat) -> Result<Int64, EntityCellError> {
        switch self {
        case .csv(let record):
            let bytes = record.field(column)
            if bytes.isEmpty { return .failure(EntityCellError("missing timestamp")) }
            switch TimestampParser.parse(bytes, format: format) {
            case .success(let time): return .success(time.microseconds)
            // As text, so the message quotes the cell as the cells path does (invalid UTF-8 replaced).
            case .failure: return Self.time(.string(record.string(column)), format: format)
            }
        case .cells(let cells):
            return Self.time(cells[column], format: format)
        }
    }

    private static func time(_ cell: FeatureValue, format: TimestampFormat) -> Result<Int64, EntityCellError> {
        let parsed: Result<Timestamp, ValueParseError>
        switch cell {
        case .timestamp(let time): return .success(time.microseconds)
        case .string(let text): parsed = TimestampParser.parse(text, format: format)
        case .int64(let number): parsed = TimestampParser.parse(String(number), format: format)
        case .null: return .failure(EntityCellError("missing timestamp"))
        default: return .failure(EntityCellError("\(cell) is not a timestamp"))
        }
        return parsed.map(\.microseconds).mapError { EntityCellError($0.message) }
    }

    /// Writes the cell's join-key value in `KeyEncoding` into `key` at `offset`: `.unstorable`
    /// when it does not fit, so `key` must end where the longest storable entity key does
    /// (`KeyEncoding.maxEntityKeyLength` bytes).
    func writeKey(_ column: Int, as type: Entity.KeyType, into key: UnsafeMutableRawBufferPointer, at offset: Int) -> Result<KeyCell, EntityCellError> {
        switch self {
        case .csv(let record):
            let bytes = record.field(column)
            if bytes.isEmpty { return .success(.null) }
            switch type {
            case .int64:
                guard case .success(let number) = ValueParser.parseInteger(bytes, as: Int64.self, typeName: "int64") else {
                    return .failure(EntityCellError("'\(record.string(column))' is not an int64 join key"))
                }
                return .success(writeInt64(number, into: key, at: offset))
            case .string:
                if bytes.isValidUTF8 { return .success(writeString(bytes, into: key, at: offset)) }
                var text = record.string(column)  // Invalid UTF-8 is replaced, as the cells path does.
                return .success(text.withUTF8 { writeString(UnsafeRawBufferPointer($0), into: key, at: offset) })
            }
        case .cells(let cells):
            let cell = cells[column]
            switch (type, cell) {
            case (_, .null): return .success(.null)
            case (.int64, .int64(let number)):
                return .success(writeInt64(number, into: key, at: offset))
            case (.int64, .string(let text)):
                guard let number = Int64(text) else { return .failure(EntityCellError("'\(text)' is not an int64 join key")) }
                return .success(writeInt64(number, into: key, at: offset))
            case (.string, .string(var text)):
                return .success(text.withUTF8 { writeString(UnsafeRawBufferPointer($0), into: key, at: offset) })
            case (.string, .int64(let number)):
                var text = String(number)
                return .success(text.withUTF8 { writeString(UnsafeRawBufferPointer($0), into: key, at: offset) })
            default:
                return .failure(EntityCellError("\(cell) is not a valid join key"))
            }
        }
    }
}

/// What a join-key cell added to a key.
enum KeyCell {
    /// This many bytes.
    case written(Int)
    /// An empty cell: the row has no key for that view.
    case null
    /// A value too long for any stored key (LMDB's key size): no stored row has it.
    case unstorable
}

/// Why an entity row's cell cannot be used; the join adds the file, line and column.
struct EntityCellError: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// An int64 key part, or `.unstorable` when the key has no room left for it.
private func writeInt64(_ number: Int64, into key: UnsafeMutableRawBufferPointer, at offset: Int) -> KeyCell {
    guard offset + 8 <= key.count else { return .unstorable }
    KeyEncoding.storeInt64(number, at: offset, in: key)
    return .written(8)
}

/// A string key part (its 2-byte length, then its bytes), or `.unstorable` when the key has no
/// room left for it.
private func writeString(_ bytes: UnsafeRawBufferPointer, into key: UnsafeMutableRawBufferPointer, at offset: Int) -> KeyCell {
    KeyEncoding.store(string: bytes, at: offset, in: key).map { .written($0) } ?? .unstorable
}
