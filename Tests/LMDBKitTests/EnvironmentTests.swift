import Foundation
import LMDBKit
import TestSupport
import Testing

@Suite struct EnvironmentTests {
    @Test func openingTheSamePathTwiceSharesOneHandle() throws {
        try withTemporaryDirectory { path in
            let first = try Environment.open(path)
            let second = try Environment.open(path + "/./")
            #expect(first === second)
            let error = #expect(throws: LMDBError.self) {
                try Environment.open(path, options: .defaults { $0.readOnly = true })
            }
            #expect(error?.code == .alreadyOpen)
            #expect(error?.description.contains(path) == true)
        }
    }

    @Test func aClosedEnvironmentCanBeReopened() throws {
        try withTemporaryDirectory { path in
            do {
                let environment = try Environment.open(path)
                let database = try environment.createDatabase(named: "d")
                try environment.write { try $0.put(key("v"), for: key("k"), in: database) }
            }
            let reopened = try Environment.open(path, options: .defaults { $0.readOnly = true })
            let database = try #require(try reopened.database(named: "d"))
            #expect(text(try reopened.read { try $0.value(for: key("k"), in: database) }) == "v")
            let error = #expect(throws: LMDBError.self) {
                try reopened.write { try $0.put(key("x"), for: key("k"), in: database) }
            }
            #expect(error?.code == .readOnly)
        }
    }

    @Test func compactingCopyIsSmallerAndComplete() throws {
        try withTemporaryDirectory { path in
            let source = path + "/source"
            let copy = path + "/copy"
            let environment = try Environment.open(source)
            let database = try environment.createDatabase(named: "d")
            try environment.write { (txn) throws in
                for index in 0..<20_000 { try txn.put([UInt8](repeating: 1, count: 200), for: bytes(index), in: database) }
            }
            try environment.write { (txn) throws in
                for index in 0..<19_000 { try txn.delete(bytes(index), in: database) }
            }
            try environment.copy(to: copy)
            let sourceSize = try fileSize(source + "/data.mdb")
            let copySize = try fileSize(copy + "/data.mdb")
            #expect(copySize * 5 < sourceSize)
            let copied = try Environment.open(copy, options: .defaults { $0.readOnly = true })
            let copiedDatabase = try #require(try copied.database(named: "d"))
            #expect(try copied.read { try $0.statistics(of: copiedDatabase).entries } == 1_000)
            #expect(try copied.read { try $0.value(for: bytes(19_500), in: copiedDatabase) }?.count == 200)
        }
    }

    @Test func readTransactionsAreReusedWithoutNewReaderSlots() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment.open(path)
            let database = try environment.createDatabase(named: "d")
            for _ in 0..<1_000 {
                _ = try environment.read { try $0.value(for: key("k"), in: database) }
            }
            // One pooled transaction served all thousand reads (plus the database lookup's own).
            #expect(environment.info.readersInUse <= 2)
        }
    }

    func fileSize(_ path: String) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
    }
}
