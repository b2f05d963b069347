import Foundation

/// The Python of `.venv-readers` (pyarrow and pandas), which `scripts/test.sh` makes through
/// `scripts/ensure-python-readers.sh`: the real readers Larder's Parquet and Arrow files are
/// checked with. `LARDER_PYTHON` overrides the path.
public enum PythonReaders {
    public struct Missing: Error, CustomStringConvertible {
        public let description: String
    }

    public struct Failed: Error, CustomStringConvertible {
        public let description: String
    }

    public static func python() throws -> String {
        if let path = ProcessInfo.processInfo.environment["LARDER_PYTHON"] { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent(".venv-readers/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Missing(description: "\(path) is missing: run `bash scripts/ensure-python-readers.sh` (scripts/test.sh does)")
        }
        return path
    }

    /// Runs `script` (Python source) with `arguments`; returns its standard output, or throws
    /// with its standard error when it exits non-zero.
    public static func run(_ script: String, _ arguments: [String] = []) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try python())
        process.arguments = ["-c", script] + arguments
        let output = Pipe()
        // Standard error goes to a file, so that neither pipe can fill while the other is read.
        let errorPath = NSTemporaryDirectory() + "larder-python-\(UUID().uuidString).err"
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errorPath) }
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: errorPath)
        try process.run()
        let standardOutput = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let standardError = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            throw Failed(description: "python exited \(process.terminationStatus): " + standardError)
        }
        return String(decoding: standardOutput, as: UTF8.self)
    }
}
