import Foundation

/// Writes a training set as it is produced, to `<path>.partial`, moved to `path` only when
/// complete: a failed run never leaves a file that looks finished.
final class HistoricalFileWriter {
    let path: String
    private let format: HistoricalOutputFormat
    private let columns: [String]
    private let handle: FileHandle
    private var buffer = ""
    private(set) var rows = 0

    init(path: String, format: HistoricalOutputFormat, columns: [String]) throws {
        self.path = path
        self.format = format
        self.columns = columns
        let partial = path + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: nil), let handle = FileHandle(forWritingAtPath: partial) else {
            throw SourceError(file: path, line: 0, column: nil, reason: "cannot create the output file")
        }
        self.handle = handle
        if format == .csv { buffer = columns.map(csvQuoted).joined(separator: ",") + "\n" }
    }

    func write(_ cells: [FeatureValue], _ features: [FeatureValue]) throws {
        let values = cells + features
        switch format {
        case .csv:
            buffer += values.map { csvQuoted($0.description) }.joined(separator: ",") + "\n"
        case .jsonLines:
            buffer += "{" + zip(columns, values).map { "\(jsonQuoted($0)):\(jsonText($1))" }.joined(separator: ",") + "}\n"
        }
        rows += 1
        if buffer.utf8.count >= 1 << 20 { try flush() }
    }

    private func flush() throws {
        try handle.write(contentsOf: Data(buffer.utf8))
        buffer.removeAll(keepingCapacity: true)
    }

    func finish() throws {
        try flush()
        try handle.close()
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: path + ".partial", toPath: path)
    }

    func discard() {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: path + ".partial")
    }
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
