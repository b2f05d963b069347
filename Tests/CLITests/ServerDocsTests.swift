import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport
import Testing

/// Docs/Server.md cannot drift from the server: every `curl` line of the page runs against
/// `larder serve` on the repository the page describes, and must answer 2xx — and exactly the
/// JSON the page shows after it, where it shows one.
@Suite struct ServerDocsTests {
    struct Example {
        var command: String
        var expected: String?
    }

    /// The curl commands of the page's shell blocks (a quoted body may span lines), each with the
    /// JSON block that follows its shell block, if any, for the block's last command.
    static func examples(_ page: String) -> [Example] {
        var examples: [Example] = []
        let blocks = page.components(separatedBy: "```")
        for (index, block) in blocks.enumerated() where index % 2 == 1 {
            if block.hasPrefix("json\n"), let last = examples.indices.last, examples[last].expected == nil {
                examples[last].expected = String(block.dropFirst(5))
            }
            guard block.hasPrefix("sh\n") else { continue }
            var command = ""
            for line in block.dropFirst(3).split(separator: "\n", omittingEmptySubsequences: false) {
                if command.isEmpty {
                    guard line.hasPrefix("curl ") else { continue }
                    command = String(line)
                } else {
                    command += "\n" + line
                }
                if command.filter({ $0 == "'" }).count % 2 == 0 {
                    examples.append(Example(command: command))
                    command = ""
                }
            }
        }
        return examples
    }

    /// The page's YAML block merged into `larder init`'s features.yaml: its sources and views
    /// appended to the file's lists.
    static func addDefinitions(_ yaml: String, to file: String) throws {
        var text = try String(contentsOfFile: file, encoding: .utf8)
        let parts = yaml.components(separatedBy: "views:\n")
        let sources = parts[0].replacingOccurrences(of: "sources:\n", with: "")
        text = text.replacingOccurrences(of: "sources:\n", with: "sources:\n" + sources)
        text = text.replacingOccurrences(of: "\nviews:\n", with: "\nviews:\n" + parts[1])
        try text.write(toFile: file, atomically: true, encoding: .utf8)
    }

    @Test func everyCurlExampleRunsAsDocumented() async throws {
        let page = try String(contentsOfFile: repositoryRoot + "/Docs/Server.md", encoding: .utf8)
        let examples = Self.examples(page)
        #expect(examples.count >= 5)
        #expect(examples.contains { $0.expected != nil })
        let yaml = try #require(page.components(separatedBy: "```yaml\n").dropFirst().first?.components(separatedBy: "```").first)
        try await withTemporaryDirectory { directory in
            _ = try larder("init", "repo", in: directory)
            let repository = directory + "/repo"
            try Self.addDefinitions(yaml, to: repository + "/features.yaml")
            let applied = try larder("apply", in: repository)
            #expect(applied.status == 0, "\(applied)")
            _ = try larder("materialize", "2024-05-01", "2024-05-03", in: repository)
            let server = try ChildProcess(["serve", "--port", "0", "--no-access-log"], in: repository, product: "larder", errorFile: directory + "/serve.log")
            defer { server.signal(SIGTERM); _ = server.wait() }
            let line = try #require(server.readLine())
            let address = try #require(line.split(separator: "/").last.map(String.init))
            for example in examples {
                let command = example.command.replacingOccurrences(of: "localhost:6566", with: address) + " -w '\\n%{http_code}'"
                let output = try runProgram("/bin/sh", ["-c", command])
                let status = output.split(separator: "\n").last.flatMap { Int($0) } ?? 0
                #expect((200..<300).contains(status), "\(example.command)\n\(output)")
                if let expected = example.expected {
                    let body = Data(output.split(separator: "\n").dropLast().joined(separator: "\n").utf8)
                    let answer = try JSONSerialization.jsonObject(with: body) as? NSDictionary
                    let shown = try JSONSerialization.jsonObject(with: Data(expected.utf8)) as? NSDictionary
                    #expect(answer != nil && answer == shown, "\(example.command)\nanswered \(output)\nthe page shows \(expected)")
                }
            }
            // The page's last example runs in the background: it must finish too. Every example
            // but the read makes a snapshot, after the one of `larder materialize`.
            let expected = 1 + examples.filter { !$0.command.contains("get-online-features") }.count
            let snapshots = URL(string: "http://\(address)/snapshots")!
            // A debug build materializing beside the whole test suite can take a while.
            let deadline = ContinuousClock.now + .seconds(90)
            var count = 0
            while ContinuousClock.now < deadline {
                let (data, _) = try await URLSession.shared.data(from: snapshots)
                count = ((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["snapshots"] as? [Any])?.count ?? 0
                if count == expected { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            if count != expected {
                let (metrics, _) = try await URLSession.shared.data(from: URL(string: "http://\(address)/metrics")!)
                let log = (try? String(contentsOfFile: directory + "/serve.log", encoding: .utf8)) ?? ""
                Issue.record("\(count) snapshots, not \(expected)\n\(String(decoding: metrics, as: UTF8.self).split(separator: "\n").filter { $0.contains("materialization") }.joined(separator: "\n"))\n\(log)")
            }
        }
    }
}
