/// Parses a source field straight into a row under construction: what the CSV source does for
/// every field, so scalars go from bytes to their slot without a `FeatureValue` in between, and
/// strings are copied once, from the read buffer into the row.
extension ValueParser {
    /// Sets field `field` of `encoder` from `bytes` read as `type` (empty is null); the error
    /// says why the bytes are not a `type`.
    static func encode(
        _ bytes: UnsafeRawBufferPointer, as type: ValueType, timestampFormat: TimestampFormat,
        into encoder: inout RowEncoder, field: Int
    ) -> ValueParseError? {
        if bytes.isEmpty { return nil }
        switch type {
        case .float64:
            switch parseFloat64(bytes) {
            case .success(let value): encoder.set(field, bits: value.bitPattern)
            case .failure(let error): return error
            }
        case .float32:
            switch parseFloat32(bytes) {
            case .success(let value): encoder.set(field, bits: value.bitPattern)
            case .failure(let error): return error
            }
        case .int64:
            switch parseInteger(bytes, as: Int64.self, typeName: "int64") {
            case .success(let value): encoder.set(field, bits: value)
            case .failure(let error): return error
            }
        case .int32:
            switch parseInteger(bytes, as: Int32.self, typeName: "int32") {
            case .success(let value): encoder.set(field, bits: value)
            case .failure(let error): return error
            }
        case .bool:
            switch parseBool(bytes) {
            case .success(let value): encoder.set(field, bits: UInt8(value ? 1 : 0))
            case .failure(let error): return error
            }
        case .timestamp:
            switch TimestampParser.parse(bytes, format: timestampFormat) {
            case .success(let time): encoder.set(field, bits: time.microseconds)
            case .failure(let error): return error
            }
        case .string:
            guard bytes.isValidUTF8 else { return ValueParseError("\(ValueParseError.quote(bytes)) is not valid UTF-8") }
            return encodeVariable(bytes, into: &encoder, field: field)
        case .bytes:
            return encodeHex(bytes, into: &encoder, field: field)
        case .int64List, .float32List, .float64List, .stringList:
            // Lists are rare and short: parsed into a value, then encoded.
            switch parse(bytes, as: type, timestampFormat: timestampFormat) {
            case .success(let value):
                do { try encoder.set(field, value) } catch { return ValueParseError(error.message) }
            case .failure(let error): return error
            }
        }
        return nil
    }

    private static func encodeVariable(_ bytes: UnsafeRawBufferPointer, into encoder: inout RowEncoder, field: Int) -> ValueParseError? {
        do { try encoder.set(field, variable: bytes) } catch { return ValueParseError(error.message) }
        return nil
    }

    /// `0x` and pairs of hex digits, decoded into the row's variable part.
    private static func encodeHex(_ bytes: UnsafeRawBufferPointer, into encoder: inout RowEncoder, field: Int) -> ValueParseError? {
        let invalid = { ValueParseError("\(ValueParseError.quote(bytes)) is not bytes (expected 0x followed by pairs of hex digits)") }
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "0"), bytes[1] | 0x20 == UInt8(ascii: "x"), bytes.count % 2 == 0 else {
            return invalid()
        }
        let start: Int
        do { start = try encoder.reserveVariable(field, length: bytes.count / 2 - 1) } catch { return ValueParseError(error.message) }
        return encoder.withMutableBytes { row in
            var index = 2
            var output = start
            while index < bytes.count {
                guard let high = hexValue(bytes[index]), let low = hexValue(bytes[index + 1]) else { return invalid() }
                row[output] = high << 4 | low
                output += 1
                index += 2
            }
            return nil
        }
    }
}
