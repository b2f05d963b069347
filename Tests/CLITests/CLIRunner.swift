import Foundation
import TestSupport

/// What one run of the `larder` executable printed and returned.
struct CLIResult: CustomStringConvertible {
    let status: Int32
    let stdout: String
    let stderr: String

    var stderrLines: [Substring] { stderr.split(separator: "\n") }

    var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }

    /// Standard output parsed as JSON.
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(stdout.utf8))
    }
}

/// Runs the built `larder` with `arguments` in `directory`.
func larder(_ arguments: String..., in directory: String) throws -> CLIResult {
    try larder(arguments, in: directory)
}

func larder(_ arguments: [String], in directory: String) throws -> CLIResult {
    let process = Process()
    process.executableURL = try productURL(named: "larder")
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    // Drain standard error on another thread so neither pipe can fill up and block the child.
    let errorData = LockedData()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errorData.set(errors.fileHandleForReading.readDataToEndOfFile())
        group.leave()
    }
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return CLIResult(status: process.terminationStatus,
                     stdout: String(decoding: outputData, as: UTF8.self),
                     stderr: String(decoding: errorData.get(), as: UTF8.self))
}

private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}

/// A small sample repository in `directory`/repo, applied and (optionally) materialized.
@discardableResult
func makeRepository(in directory: String, materialize: Bool = true) throws -> String {
    let repo = directory + "/repo"
    let created = try larder("init", repo, "--drivers", "20", "--customers", "10", "--days", "2", "--entity-rows", "50", in: directory)
    guard created.status == 0 else { throw CLIFailure(result: created) }
    let applied = try larder("apply", in: repo)
    guard applied.status == 0 else { throw CLIFailure(result: applied) }
    if materialize {
        let loaded = try larder("materialize", "2024-05-01", "2024-05-03", in: repo)
        guard loaded.status == 0 else { throw CLIFailure(result: loaded) }
    }
    return repo
}

struct CLIFailure: Error, CustomStringConvertible {
    let result: CLIResult
    var description: String { result.description }
}

extension String {
    /// The contents of the file at this path.
    func read() throws -> String { try String(contentsOfFile: self, encoding: .utf8) }
}
