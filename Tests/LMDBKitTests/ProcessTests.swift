import Foundation
import LMDBKit
import TestSupport
import Testing

@Suite struct ProcessTests {
    @Test func anotherProcessReadsWholeCommitsWhileThisOneWrites() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment.open(path, options: .defaults { $0.syncOnCommit = false })
            let database = try environment.createDatabase(named: "pairs")
            func commit(_ value: Int) throws {
                try environment.write { (txn) throws in
                    try txn.put(bytes(value), for: key("a"), in: database)
                    try txn.put(bytes(value), for: key("b"), in: database)
                }
            }
            try commit(0)
            let child = try ChildProcess(["read-pairs", path, "2"])
            #expect(child.readLine() == "started")
            var value = 1
            while child.process.isRunning {
                try commit(value)
                value += 1
                usleep(500)
            }
            let report = child.readLine() ?? ""
            #expect(child.wait() == 0)
            #expect(report.hasSuffix("torn 0"))
            let seen = Int(report.split(separator: " ")[1]) ?? 0
            #expect(seen > 10)  // the child saw this process's commits arrive
        }
    }

    @Test func aWriterKilledMidTransactionLeavesTheLastCommitIntact() throws {
        try withTemporaryDirectory { path in
            let child = try ChildProcess(["kill-me-mid-write", path])
            #expect(child.readLine() == "writing")
            child.kill()
            let environment = try Environment.open(path)
            let database = try #require(try environment.database(named: "data"))
            try environment.read { (txn) throws in
                #expect(text(try txn.value(for: key("marker"), in: database)) == "committed")
                #expect(try txn.statistics(of: database).entries == 1)  // no trace of the killed write
            }
            // The writer lock died with the child; this process can write.
            try environment.write { try $0.put(key("after"), for: key("marker"), in: database) }
        }
    }

    @Test func staleReadersOfDeadProcessesAreCleared() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment.open(path)
            let child = try ChildProcess(["hold-read-and-wait", path])
            #expect(child.readLine() == "reading")
            child.kill()
            #expect(try environment.clearStaleReaders() == 1)
            #expect(try environment.clearStaleReaders() == 0)
        }
    }

    @Test func openingClearsStaleReaders() throws {
        try withTemporaryDirectory { path in
            do { _ = try Environment.open(path) }
            let child = try ChildProcess(["hold-read-and-wait", path])
            #expect(child.readLine() == "reading")
            child.kill()
            let environment = try Environment.open(path)
            #expect(try environment.clearStaleReaders() == 0)  // open already did it
        }
    }
}
