/// Strict checks of stored bytes, for `verify`: where the readers decode leniently (a damaged
/// value reads as null rather than past its end), these say exactly what is wrong. Each check
/// sits beside the layout it checks, so a layout change and its check change together.

extension RowView {
    /// Why `bytes` are not a row of one of the view's schemas, or nil.
    ///
    /// Beyond what reading needs, the bytes must be exactly what the encoder writes: unused
    /// bitmap bits, null slots and the unused bytes of narrow values are zero; variable-length
    /// values tile the bytes after the slots without gaps or overlaps; strings are UTF-8 and
    /// lists whole. Random damage breaks one of these with high probability.
    static func problem(_ bytes: UnsafeRawBufferPointer, schemas: [SchemaVersion]) -> String? {
        guard bytes.count >= RowFormat.headerLength else { return "row of \(bytes.count) bytes is shorter than its header" }
        guard bytes[0] == RowFormat.version else { return "row format \(bytes[0]) is unknown (this version writes \(RowFormat.version))" }
        guard let row = RowView(bytes) else { return "row of \(bytes.count) bytes is shorter than its slots" }
        guard let schema = schemas.first(where: { $0.version == row.schemaVersion }) else {
            return "row schema version \(row.schemaVersion) is not one of the view's (\(schemas.map { String($0.version) }.joined(separator: ", ")))"
        }
        let types = schema.types
        guard row.fieldCount == types.count else { return "row has \(row.fieldCount) fields; schema \(schema.version) has \(types.count)" }
        let bitmapLength = RowFormat.bitmapLength(fieldCount: types.count)
        if types.count % 8 != 0, bytes[RowFormat.headerLength + bitmapLength - 1] >> UInt8(types.count % 8) != 0 {
            return "row null bitmap has bits set past its \(types.count) fields"
        }
        var regions: [(start: Int, end: Int, field: Int)] = []
        for (field, type) in types.enumerated() {
            let slot = RowFormat.slotOffset(field, fieldCount: types.count)
            let bits = bytes.loadUnaligned(fromByteOffset: slot, as: UInt64.self).littleEndian
            if row.isNull(field) {
                guard bits == 0 else { return "field \(field + 1) is null but its slot is not zero" }
                continue
            }
            switch type {
            case .bool:
                guard bits <= 1 else { return "field \(field + 1) (bool) holds \(bits)" }
            case .int32, .float32:
                guard bits >> 32 == 0 else { return "field \(field + 1) (\(type)) has bits past its 4 bytes" }
            case .int64, .float64, .timestamp:
                break
            case .string, .bytes, .int64List, .float64List, .float32List, .stringList:
                let start = Int(bits & 0xFFFF_FFFF), length = Int(bits >> 32)
                guard start >= RowFormat.dataOffset(fieldCount: types.count), start + length <= bytes.count else {
                    return "field \(field + 1) (\(type)) points at bytes \(start)..<\(start + length) outside the row's \(bytes.count)"
                }
                if let problem = variableProblem(UnsafeRawBufferPointer(rebasing: bytes[start..<start + length]), type: type) {
                    return "field \(field + 1) (\(type)): \(problem)"
                }
                if length > 0 { regions.append((start, start + length, field)) }
            }
        }
        var end = RowFormat.dataOffset(fieldCount: types.count)
        for region in regions.sorted(by: { $0.start < $1.start }) {
            guard region.start == end else {
                return region.start < end ? "field \(region.field + 1) overlaps another value" : "row has unused bytes at \(end)..<\(region.start)"
            }
            end = region.end
        }
        guard end == bytes.count else { return "row has \(bytes.count - end) bytes past its last value" }
        return nil
    }

    private static func variableProblem(_ data: UnsafeRawBufferPointer, type: ValueType) -> String? {
        switch type {
        case .string: return data.isValidUTF8 ? nil : "not valid UTF-8"
        case .bytes: return nil
        case .int64List, .float64List: return data.count % 8 == 0 ? nil : "\(data.count) bytes is no whole number of 8-byte elements"
        case .float32List: return data.count % 4 == 0 ? nil : "\(data.count) bytes is no whole number of 4-byte elements"
        case .stringList:
            guard data.count >= 4 else { return "list of \(data.count) bytes has no count" }
            var offset = 4
            for index in 0..<Int(data.loadUnaligned(as: UInt32.self).littleEndian) {
                guard offset + 4 <= data.count else { return "element \(index) is cut short" }
                let length = Int(data.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
                offset += 4
                guard length <= data.count - offset else { return "element \(index) is cut short" }
                guard UnsafeRawBufferPointer(rebasing: data[offset..<offset + length]).isValidUTF8 else {
                    return "element \(index) is not valid UTF-8"
                }
                offset += length
            }
            return offset == data.count ? nil : "\(data.count - offset) bytes past the last element"
        default: return nil
        }
    }
}

extension OnlineRecord {
    /// Why `bytes` are not an online record (with an optional previous one), or nil; `row`
    /// checks each record's row.
    static func problem(_ bytes: UnsafeRawBufferPointer, row: (UnsafeRawBufferPointer) -> String?) -> String? {
        guard bytes.count >= headerLength else { return "online record of \(bytes.count) bytes is shorter than its \(headerLength)-byte header" }
        let rowEnd = headerLength + rowLength(bytes)
        guard rowEnd <= bytes.count else { return "online record's row length \(rowLength(bytes)) runs past its \(bytes.count) bytes" }
        if let problem = row(Self.row(bytes)) { return problem }
        guard rowEnd < bytes.count else { return nil }
        let previous = UnsafeRawBufferPointer(rebasing: bytes[rowEnd...])
        guard previous.count >= headerLength, headerLength + rowLength(previous) == previous.count else {
            return "online record's previous record (\(previous.count) bytes) is damaged"
        }
        guard snapshot(previous) < snapshot(bytes) else { return "online record's previous record is of a later snapshot" }
        return row(Self.row(previous)).map { "previous record: \($0)" }
    }
}

extension KeyEncoding {
    /// Why `key` is not a history key (entity key ‖ event time ‖ created time ‖ snapshot) of a
    /// view keyed by `types`, or nil.
    static func historyKeyProblem(_ key: UnsafeRawBufferPointer, types: [Entity.KeyType]) -> String? {
        guard let length = entityKeyLength(key, types: types), HistoryKey.length(entityLength: length) == key.count else {
            return "history key of \(key.count) bytes is not an entity key of (\(types.map(\.rawValue).joined(separator: ", "))) and 24 bytes of times and snapshot"
        }
        return entityKeyProblem(UnsafeRawBufferPointer(rebasing: key[..<length]), types: types)
    }

    /// Why `key` is not exactly an entity key of `types`, or nil.
    static func entityKeyProblem(_ key: UnsafeRawBufferPointer, types: [Entity.KeyType]) -> String? {
        guard entityKeyLength(key, types: types) == key.count else {
            return "key of \(key.count) bytes is not an entity key of (\(types.map(\.rawValue).joined(separator: ", ")))"
        }
        // String parts must be UTF-8: every writer encodes them from Swift strings.
        var offset = 0
        for type in types {
            guard type == .string else {
                offset += 8
                continue
            }
            let length = Int(UInt16(bigEndian: key.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
            guard UnsafeRawBufferPointer(rebasing: key[offset + 2..<offset + 2 + length]).isValidUTF8 else {
                return "string key part is not valid UTF-8"
            }
            offset += 2 + length
        }
        return nil
    }
}
