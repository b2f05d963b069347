import Foundation
import TestSupport
import Testing

/// The docs cannot drift from the code: every example of Docs/CLI.md and Docs/Quickstart.md is
/// run again from its template with the built `larder`, and must run the same commands with the
/// same exit statuses as the committed page. (Output text is compared by `scripts/cli-docs.sh`,
/// which rewrites the pages; timings differ from run to run, so this test does not.)
@Suite(.serialized) struct DocsTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The `$ command` lines and the exit statuses shown after `$ echo $?`, in order.
    static func transcript(_ page: String) -> [String] {
        let lines = page.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var result: [String] = []
        for (index, line) in lines.enumerated() where line.hasPrefix("$ ") {
            result.append(line)
            if line == "$ echo $?", index + 1 < lines.count { result.append("status " + lines[index + 1]) }
        }
        return result
    }

    /// The README's command-line block, line by line: every `larder` command must succeed.
    @Test func theReadmeCommandsRun() throws {
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        guard let block = readme.components(separatedBy: "## On the command line").dropFirst().first?
            .components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "```").first else {
            Issue.record("the README has no command-line block")
            return
        }
        try withTemporaryDirectory { (directory) throws in
            var current = directory
            var ran = 0
            for line in block.split(separator: "\n").map({ String($0.split(separator: "#")[0]).trimmingCharacters(in: .whitespaces) }) {
                if line.hasPrefix("cd ") {
                    current += "/" + line.dropFirst(3)
                } else if line.hasPrefix("larder ") {
                    let result = try larder(line.dropFirst(7).split(separator: " ").map(String.init), in: current)
                    #expect(result.status == 0, "\(line)\n\(result)")
                    ran += 1
                }
            }
            #expect(ran >= 5)
        }
    }

    @Test(arguments: ["CLI", "Quickstart"])
    func everyExampleRunsAsDocumented(_ page: String) throws {
        let template = Self.repository.appendingPathComponent("scripts/cli-docs/\(page).template.md").path
        let committed = try String(contentsOf: Self.repository.appendingPathComponent("Docs/\(page).md"), encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.repository.appendingPathComponent("scripts/cli-docs/fill.py").path,
                             try productURL(named: "larder").path, template]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let generated = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(Self.transcript(generated).count > 5)
        #expect(Self.transcript(generated) == Self.transcript(committed))
    }
}
