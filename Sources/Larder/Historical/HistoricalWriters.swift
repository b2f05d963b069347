/// Writes a training set as text as it is produced, into an `OutputFile`: a failed run never
/// leaves a file that looks finished.
final class HistoricalFileWriter {
    enum Format {
        case csv, jsonLines
    }

    private let format: Format
    private let columns: [String]
    private let file: OutputFile
    // Appended to several times per cell: the runtime's exclusivity checks on a class
    // property would cost more than the appends (no access to it escapes this class).
    @exclusivity(unchecked) private var buffer = GrowableBytes(capacity: 1 << 21)
    private(set) var rows = 0

    init(path: String, format: Format, columns: [String], access: FileAccess) throws {
        self.format = format
        self.columns = columns
        self.file = try OutputFile(path: path, access: access)
        if format == .csv { append(columns.map(csvQuoted).joined(separator: ",") + "\n") }
        keyPrefixes = columns.enumerated().map { index, column in Array(((index == 0 ? "{" : ",") + jsonQuoted(column) + ":").utf8) }
    }

    /// `{"column":` and `,"column":` for JSON Lines, built once.
    private var keyPrefixes: [[UInt8]] = []

    func write(_ row: EntityRow, _ features: JoinedFeatures) throws {
        let inputColumns = columns.count - features.count
        switch format {
        case .csv:
            if case .csv(let record) = row, let text = record.commaSeparatedText, text.isValidUTF8 {
                buffer.append(text)  // The input's own text already is the CSV of its cells.
            } else {
                for column in 0..<inputColumns {
                    if column > 0 { buffer.append(UInt8(ascii: ",")) }
                    switch row {
                    case .csv(let record): appendCSV(record.field(column))
                    case .cells(let row): appendCSV(row.cells[column])
                    }
                }
            }
            for feature in 0..<features.count {
                if inputColumns + feature > 0 { buffer.append(UInt8(ascii: ",")) }
                switch features.plainCell(feature) {
                case .null: break
                case .float64(let number): appendCSV(.float64(number))
                case .int64(let number): buffer.appendDecimal(number)
                case .other: appendCSV(features.value(feature))
                }
            }
        case .jsonLines:
            for column in 0..<inputColumns {
                append(keyPrefixes[column])
                switch row {
                case .csv(let record): appendJSONString(record, column)
                case .cells(let row): append(jsonText(row.cells[column]))
                }
            }
            for feature in 0..<features.count {
                append(keyPrefixes[inputColumns + feature])
                switch features.plainCell(feature) {
                case .null: append(Self.null)
                case .float64(let number): if !buffer.appendPlainDecimal(number) { append(jsonText(.float64(number))) }
                case .int64(let number): buffer.appendDecimal(number)
                case .other: append(jsonText(features.value(feature)))
                }
            }
            buffer.append(UInt8(ascii: "}"))
        }
        buffer.append(UInt8(ascii: "\n"))
        rows += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    private static let null = Array("null".utf8)

    /// A CSV field as a JSON string (null when empty), copied from its bytes when nothing in
    /// them needs escaping: the text `jsonText` writes for the cell, without a string per cell.
    private func appendJSONString(_ record: CSVRecord, _ column: Int) {
        let bytes = record.field(column)
        guard !bytes.isEmpty else { return append(Self.null) }
        let plain = bytes.isValidUTF8 && !bytes.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
        guard plain else { return append(jsonText(.string(record.string(column)))) }
        buffer.append(UInt8(ascii: "\""))
        buffer.append(bytes)
        buffer.append(UInt8(ascii: "\""))
    }

    private func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer.append($0) }
    }

    private func append(_ text: String) {
        var text = text
        text.withUTF8 { buffer.append(UnsafeRawBufferPointer($0)) }
    }

    /// A CSV cell, quoted only when it holds a delimiter, a quote or a line break.
    private func appendCSV(_ value: FeatureValue) {
        var text: String
        switch value {
        case .null: return
        case .string(let string): text = string
        case .float64(let number):
            if buffer.appendPlainDecimal(number) { return }  // Digits, sign, point: never quoted.
            text = value.description
        // Numbers and times need no quotes, and are written without a string each.
        case .int64(let number): return buffer.appendDecimal(number)
        case .int32(let number): return buffer.appendDecimal(Int64(number))
        case .timestamp(let time): return ISO8601.withText(time) { buffer.append($0) }
        default: text = value.description
        }
        text.withUTF8 { appendCSV(UnsafeRawBufferPointer($0)) }
    }

    /// A CSV cell from UTF-8 bytes (an input field, copied as is: no string per cell).
    private func appendCSV(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.isValidUTF8 else {
            // Invalid UTF-8 is replaced, as when the field goes through a string.
            var text = String(decoding: bytes, as: UTF8.self)
            return text.withUTF8 { appendCSV(UnsafeRawBufferPointer($0)) }
        }
        let needsQuotes = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else { buffer.append(bytes); return }
        buffer.append(UInt8(ascii: "\""))
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { buffer.append(byte) }
            buffer.append(byte)
        }
        buffer.append(UInt8(ascii: "\""))
    }

    private func flush() throws {
        try buffer.withBytes { try file.write($0) }
        buffer.removeAll()
    }

    func finish() throws {
        try flush()
        try file.finish()
    }

    func discard() { file.discard() }
}

/// A value as JSON text.
func jsonText(_ value: FeatureValue) -> String {
    switch value {
    case .null: "null"
    case .bool(let flag): String(flag)
    case .int32(let number): String(number)
    case .int64(let number): String(number)
    case .float32(let number): number.isFinite ? String(number) : "null"
    case .float64(let number): number.isFinite ? String(number) : "null"
    case .string(let text): jsonQuoted(text)
    case .bytes: jsonQuoted(value.description)
    case .timestamp(let time): jsonQuoted(time.description)
    case .int64List(let list): "[" + list.map(String.init).joined(separator: ",") + "]"
    case .float32List(let list): "[" + list.map { $0.isFinite ? String($0) : "null" }.joined(separator: ",") + "]"
    case .float64List(let list): "[" + list.map { $0.isFinite ? String($0) : "null" }.joined(separator: ",") + "]"
    case .stringList(let list): "[" + list.map(jsonQuoted).joined(separator: ",") + "]"
    }
}
