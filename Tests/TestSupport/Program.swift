import Foundation

/// A program the tests run that exited non-zero, with its standard error.
public struct ProgramFailed: Error, CustomStringConvertible {
    public let description: String
}

/// A virtualenv the tests need that is not there, and the command that makes it.
public struct VirtualenvMissing: Error, CustomStringConvertible {
    public let description: String
}

/// Runs `executable` with `arguments` (in `directory`, if given); returns its standard output,
/// or throws with its standard error when it exits non-zero.
public func runProgram(_ executable: String, _ arguments: [String], in directory: String? = nil) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let output = Pipe()
    // Standard error goes to a file, so that neither pipe can fill while the other is read.
    let errorPath = NSTemporaryDirectory() + "larder-program-\(UUID().uuidString).err"
    _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: errorPath) }
    process.standardOutput = output
    process.standardError = FileHandle(forWritingAtPath: errorPath)
    try process.run()
    let standardOutput = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        let standardError = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        throw ProgramFailed(description: "\((executable as NSString).lastPathComponent) \(arguments.first ?? "") exited \(process.terminationStatus): " + standardError)
    }
    return String(decoding: standardOutput, as: UTF8.self)
}

/// The repository's top directory.
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// The python of a virtualenv at the top of the repository, or the path in `variable`.
func virtualenvPython(_ venv: String, variable: String, script: String) throws -> String {
    if let path = ProcessInfo.processInfo.environment[variable] { return path }
    let path = "\(repositoryRoot)/\(venv)/bin/python"
    guard FileManager.default.isExecutableFile(atPath: path) else {
        throw VirtualenvMissing(description: "\(path) is missing: run `bash scripts/\(script)` (scripts/test.sh does), or set \(variable)")
    }
    return path
}
