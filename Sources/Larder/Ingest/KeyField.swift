/// What a join-key cell added to an entity key.
enum KeyCell: Equatable {
    /// This many bytes.
    case written(Int)
    /// An empty cell: the row has no key for that entity.
    case null
    /// A value too long for any stored key (LMDB's key size): no stored row can have it.
    case unstorable
}

/// Join-key cells to entity-key bytes (`KeyEncoding`): the one place where a cell of a source
/// row (materialization) or of an entity row (the join) becomes part of a key. Keys are written
/// in place, into a buffer that ends where the longest storable entity key does
/// (`KeyEncoding.maxEntityKeyLength` bytes), so a key too long to be stored is `.unstorable`.
enum KeyField {
    /// A cell as text (a CSV field): an int64 in decimal, or a string, which must be UTF-8.
    static func write(
        _ bytes: UnsafeRawBufferPointer, as type: Entity.KeyType, into key: UnsafeMutableRawBufferPointer, at offset: Int
    ) -> Result<KeyCell, ValueParseError> {
        if bytes.isEmpty { return .success(.null) }
        switch type {
        case .int64:
            return integer(bytes).map { write($0, into: key, at: offset) }
        case .string:
            return string(bytes, into: key, at: offset)
        }
    }

    /// A typed cell (JSON Lines, pushed rows, Swift tables): an integer for an int64 key, or its
    /// text; a string for a string key, or an integer's decimal text.
    static func write(
        _ value: FeatureValue, as type: Entity.KeyType, into key: UnsafeMutableRawBufferPointer, at offset: Int
    ) -> Result<KeyCell, ValueParseError> {
        switch (type, value) {
        case (_, .null):
            return .success(.null)
        case (.int64, .int64(let number)):
            return .success(write(number, into: key, at: offset))
        case (.int64, .int32(let number)):
            return .success(write(Int64(number), into: key, at: offset))
        case (.int64, .float64(let number)) where Int64(exactly: number) != nil:
            return .success(write(Int64(exactly: number)!, into: key, at: offset))  // a JSON 3.0
        case (.int64, .string(var text)):
            return text.withUTF8 { integer(UnsafeRawBufferPointer($0)) }.map { write($0, into: key, at: offset) }
        // A typed string is a key even when empty: only an empty CSV field means "no value".
        case (.string, .string(var text)):
            return text.withUTF8 { string(UnsafeRawBufferPointer($0), into: key, at: offset) }
        case (.string, .int64(let number)):
            var text = String(number)
            return text.withUTF8 { string(UnsafeRawBufferPointer($0), into: key, at: offset) }
        case (.string, .int32(let number)):
            var text = String(number)
            return text.withUTF8 { string(UnsafeRawBufferPointer($0), into: key, at: offset) }
        default:
            return .failure(ValueParseError("\(value) is not a valid \(type == .int64 ? "int64" : "string") join key"))
        }
    }

    /// Decimal text as an int64 key: the parser's reason when it is not one ("not an int64",
    /// "out of range for int64"), said of a join key.
    private static func integer(_ bytes: UnsafeRawBufferPointer) -> Result<Int64, ValueParseError> {
        ValueParser.parseInteger(bytes, as: Int64.self, typeName: "int64").mapError { ValueParseError($0.message + " join key") }
    }

    private static func string(_ bytes: UnsafeRawBufferPointer, into key: UnsafeMutableRawBufferPointer, at offset: Int) -> Result<KeyCell, ValueParseError> {
        guard bytes.isValidUTF8 else { return .failure(ValueParseError("\(ValueParseError.quote(bytes)) is not valid UTF-8")) }
        return .success(KeyEncoding.store(string: bytes, at: offset, in: key).map { .written($0) } ?? .unstorable)
    }

    private static func write(_ number: Int64, into key: UnsafeMutableRawBufferPointer, at offset: Int) -> KeyCell {
        guard offset + 8 <= key.count else { return .unstorable }
        KeyEncoding.storeInt64(number, at: offset, in: key)
        return .written(8)
    }
}
