/// Writes a training set as it is produced, into a `PartialFile`: a failed run never leaves a
/// file that looks finished.
final class HistoricalFileWriter {
    private let format: HistoricalOutputFormat
    private let columns: [String]
    private let file: PartialFile
    private var buffer: [UInt8] = []
    private(set) var rows = 0

    init(path: String, format: HistoricalOutputFormat, columns: [String]) throws {
        self.format = format
        self.columns = columns
        self.file = try PartialFile(path: path)
        buffer.reserveCapacity(1 << 21)
        if format == .csv { buffer += (columns.map(csvQuoted).joined(separator: ",") + "\n").utf8 }
        keyPrefixes = columns.enumerated().map { index, column in Array(((index == 0 ? "{" : ",") + jsonQuoted(column) + ":").utf8) }
    }

    /// `{"column":` and `,"column":` for JSON Lines, built once.
    private var keyPrefixes: [[UInt8]] = []

    func write(_ cells: [FeatureValue], _ features: [FeatureValue]) throws {
        append(cells, from: 0)
        append(features, from: cells.count)
        if format == .jsonLines { buffer.append(UInt8(ascii: "}")) }
        buffer.append(UInt8(ascii: "\n"))
        rows += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func append(_ values: [FeatureValue], from firstColumn: Int) {
        for (offset, value) in values.enumerated() {
            let column = firstColumn + offset
            switch format {
            case .csv:
                if column > 0 { buffer.append(UInt8(ascii: ",")) }
                appendCSV(value)
            case .jsonLines:
                buffer += keyPrefixes[column]
                buffer += jsonText(value).utf8
            }
        }
    }

    /// A CSV cell, quoted only when it holds a delimiter, a quote or a line break.
    private func appendCSV(_ value: FeatureValue) {
        var text: String
        switch value {
        case .null: return
        case .string(let string): text = string
        default: text = value.description
        }
        text.withUTF8 { bytes in
            let needsQuotes = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
            guard needsQuotes else { buffer += bytes; return }
            buffer.append(UInt8(ascii: "\""))
            for byte in bytes {
                if byte == UInt8(ascii: "\"") { buffer.append(byte) }
                buffer.append(byte)
            }
            buffer.append(UInt8(ascii: "\""))
        }
    }

    private func flush() throws {
        try file.write(buffer)
        buffer.removeAll(keepingCapacity: true)
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
