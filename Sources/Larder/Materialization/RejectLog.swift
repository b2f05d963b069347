/// Rejected rows of a skip-invalid run (CSV: file, line, column, reason). The file appears
/// only when the run commits.
final class RejectLog {
    private let file: OutputFile
    private(set) var count = 0

    var path: String { file.path }

    init(path: String, access: FileAccess) throws {
        file = try OutputFile(path: path, access: access)
        try file.write(Array("file,line,column,reason\n".utf8))
    }

    func record(_ error: SourceError) throws {
        // Escaped: a rejects file is read in terminals and spreadsheets.
        let fields = [error.file, String(error.line), error.column ?? "", error.reason].map(printable)
        try file.write(Array((fields.map(csvQuoted).joined(separator: ",") + "\n").utf8))
        count += 1
    }

    /// Moves the log into place after the run committed.
    func finish() throws { try file.finish() }

    /// Removes the partial log of a run that did not commit.
    func discard() { file.discard() }
}
