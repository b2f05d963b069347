import Foundation
import LMDBKit
import TestSupport
import Testing

/// `checkStructure` reads every page of every B-tree from the file and finds damage to LMDB's
/// own structures before anything follows a broken pointer through the memory map.
@Suite struct StructureCheckTests {
    /// An environment with two named databases (one with values large enough for overflow
    /// pages), and several commits so the free list has entries. With `compacted`, a copy
    /// without free pages, so every page of the file is reachable (and damage to it matters).
    private func makeEnvironment(_ path: String, compacted: Bool = false) throws {
        if compacted {
            try makeEnvironment(path + "/live")
            try Environment.open(path + "/live").copy(to: path + "/compact")
            return
        }
        let environment = try Environment.open(path)
        let small = try environment.createDatabase(named: "small")
        let large = try environment.createDatabase(named: "large")
        for round in 0..<3 {
            try environment.write { txn in
                for index in 0..<2_000 { try txn.put([UInt8](repeating: UInt8(round), count: 40), for: key("k\(index)"), in: small) }
                for index in 0..<20 { try txn.put([UInt8](repeating: 9, count: 10_000), for: key("big\(index)"), in: large) }
            }
        }
    }

    /// The number of the first page after the meta pages whose flags say `flags`.
    private func firstPage(flagged flags: UInt16, in file: String) throws -> Int {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        for number in 2..<(data.count / 4096) {
            let flagsAt = number * 4096 + 10
            if UInt16(data[flagsAt]) | UInt16(data[flagsAt + 1]) << 8 == flags { return number }
        }
        throw CocoaError(.fileReadCorruptFile)
    }

    private func damage(_ file: String, at offset: Int, with bytes: [UInt8]) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: file))
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: Data(bytes))
        try handle.close()
    }

    @Test func aSoundEnvironmentHasNoProblems() throws {
        try withTemporaryDirectory { path in
            try makeEnvironment(path)
            let check = try Environment.open(path).checkStructure()
            #expect(check.isSound, "\(check.problems)")
            #expect(check.pages > 100)
        }
    }

    @Test(arguments: ["page number", "node offset", "key order", "child page", "overflow page"])
    func damageToAPageIsFoundAndNamed(kind: String) throws {
        try withTemporaryDirectory { root in
            try makeEnvironment(root, compacted: true)
            let path = root + "/compact"
            let file = path + "/data.mdb"
            let leaf = try firstPage(flagged: 0x02, in: file)
            let base = leaf * 4096
            let expected: String
            switch kind {
            case "page number":
                try damage(file, at: base, with: [0xEE, 0xEE])
                expected = "page \(leaf) says it is page"
            case "node offset":
                try damage(file, at: base + 16, with: [0xF0, 0x0F])  // the first node pointer, past the page
                expected = "page \(leaf): node 0 runs outside the page"
            case "key order":
                // The second node pointer made equal to the first: two equal keys.
                let data = try Data(contentsOf: URL(fileURLWithPath: file))
                try damage(file, at: base + 18, with: [data[base + 16], data[base + 17]])
                expected = "page \(leaf): key 1 is not after key 0"
            case "child page":
                let branch = try firstPage(flagged: 0x01, in: file)
                let data = try Data(contentsOf: URL(fileURLWithPath: file))
                let node = Int(data[branch * 4096 + 16]) | Int(data[branch * 4096 + 17]) << 8
                try damage(file, at: branch * 4096 + node, with: [0xFF, 0xFF, 0xFF, 0x7F])
                expected = "points at page"
            default:
                let overflow = try firstPage(flagged: 0x04, in: file)
                try damage(file, at: overflow * 4096 + 10, with: [0x02, 0x00])  // no longer an overflow page
                expected = "overflow page \(overflow) of a 10000-byte value is damaged"
            }
            let check = try Environment.open(path, options: .defaults { $0.readOnly = true }).checkStructure()
            #expect(!check.isSound)
            #expect(check.problems.contains { $0.contains(expected) }, "\(kind): \(check.problems)")
            #expect(!check.damagedDatabases.isEmpty)
        }
    }
}
