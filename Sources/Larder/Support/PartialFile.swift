import Foundation

/// An output file written as `<path>.partial` and moved to `path` only by `finish()`, so a run
/// that fails never leaves behind a file that looks complete.
final class PartialFile {
    let path: String
    private let handle: FileHandle

    init(path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path + ".partial", contents: nil),
              let handle = FileHandle(forWritingAtPath: path + ".partial") else {
            throw SourceError(file: path, line: 0, column: nil, reason: "cannot create the file")
        }
        self.handle = handle
    }

    func write(_ bytes: [UInt8]) throws {
        try handle.write(contentsOf: bytes)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        try handle.write(contentsOf: bytes)
    }

    /// Moves the finished file into place, replacing any older one.
    func finish() throws {
        try handle.close()
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: path + ".partial", toPath: path)
    }

    /// Removes the unfinished file.
    func discard() {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: path + ".partial")
    }
}
