import Foundation

/// A running `larder-test-child`, with its standard output readable line by line.
public final class ChildProcess: @unchecked Sendable {
    public let process = Process()
    private let output = Pipe()
    private var buffer = Data()

    /// Starts `larder-test-child ARGUMENTS…` (or another product of the build) from the
    /// build's products directory, in `directory` when given (where relative source paths are
    /// read).
    /// Standard error goes to `errorFile` when given.
    public init(_ arguments: [String], in directory: String? = nil, product: String = "larder-test-child", errorFile: String? = nil) throws {
        process.executableURL = try productURL(named: product)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardOutput = output
        if let errorFile {
            _ = FileManager.default.createFile(atPath: errorFile, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: errorFile)
        }
        try process.run()
    }

    /// Starts `larder-test-child ARGUMENTS…` as the fifth process of a new PID namespace
    /// (`unshare --pid --fork`; needs root): its PID there means nothing, or another process,
    /// outside it. Three short-lived processes go first so writers in two such namespaces
    /// get different PIDs (5 here, 2 with `firstOfNamespace`).
    public init(inNewPIDNamespace arguments: [String], firstOfNamespace: Bool = false) throws {
        let child = try productURL(named: "larder-test-child").path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        let prefix = firstOfNamespace ? "" : "/bin/true; /bin/true; /bin/true; "
        // `; :` keeps the shell from exec'ing the child, so the child is a process of its own.
        process.arguments = ["--pid", "--fork", "/bin/sh", "-c", prefix + "\"$0\" \"$@\"; :", child] + arguments
        process.standardOutput = output
        try process.run()
    }

    /// Blocks until the child prints a line, and returns it (nil at end of output).
    public func readLine() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                return line
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty {
                guard !buffer.isEmpty else { return nil }
                defer { buffer.removeAll() }
                return String(decoding: buffer, as: UTF8.self)
            }
            buffer.append(chunk)
        }
    }

    /// Sends `signal` (SIGTERM by default) without waiting.
    public func signal(_ signal: Int32 = SIGTERM) {
        Foundation.kill(process.processIdentifier, signal)
    }

    /// Sends SIGKILL and waits for the child to be gone.
    public func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Waits for the child to exit and returns its status.
    @discardableResult
    public func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// An executable built next to the test bundle (SwiftPM puts every product in one directory).
public func productURL(named name: String) throws -> URL {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        directory.deleteLastPathComponent()
    }
    throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name])
}
