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
