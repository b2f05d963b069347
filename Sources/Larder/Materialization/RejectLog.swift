import Foundation

/// Rejected rows of a skip-invalid run, written to `<path>.partial` and moved to `path` only
/// when the run commits, so a failed run leaves no rejects file that looks complete.
final class RejectLog {
    let path: String
    private let handle: FileHandle
    private(set) var count = 0

    init(path: String) throws {
        self.path = path
        let partial = path + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: Data("file,line,column,reason\n".utf8)) else {
            throw SourceError(file: path, line: 0, column: nil, reason: "cannot create the rejects file")
        }
        guard let handle = FileHandle(forWritingAtPath: partial) else {
            throw SourceError(file: path, line: 0, column: nil, reason: "cannot open the rejects file")
        }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    func record(_ error: SourceError) throws {
        let fields = [error.file, String(error.line), error.column ?? "", error.reason]
        try handle.write(contentsOf: Data((fields.map(csvQuoted).joined(separator: ",") + "\n").utf8))
        count += 1
    }

    /// Moves the log into place after the run committed.
    func finish() throws {
        try handle.close()
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: path + ".partial", toPath: path)
    }

    /// Removes the partial log of a run that did not commit.
    func discard() {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: path + ".partial")
    }
}

/// A CSV field, quoted when it has to be.
func csvQuoted(_ text: String) -> String {
    guard text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
