import Foundation
import LMDBKit
import TestSupport
import Testing

@Suite struct BadFileTests {
    @Test func aForeignFileIsRefusedClearly() throws {
        try withTemporaryDirectory { path in
            try Data(repeating: 0x41, count: 64 * 1024).write(to: URL(fileURLWithPath: path + "/data.mdb"))
            let error = #expect(throws: LMDBError.self) { try Environment.open(path) }
            #expect(error?.code == .invalidFile)
            #expect(error?.description.contains("not an LMDB environment") == true)
            #expect(error?.description.contains(path) == true)
        }
    }

    @Test func aCorruptHeaderIsRefusedClearly() throws {
        try withTemporaryDirectory { path in
            do {
                let environment = try Environment.open(path)
                let database = try environment.createDatabase(named: "d")
                try environment.write { try $0.put(key("v"), for: key("k"), in: database) }
            }
            // Overwrite both meta pages (the first two pages) with garbage.
            let file = try FileHandle(forUpdating: URL(fileURLWithPath: path + "/data.mdb"))
            try file.write(contentsOf: Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31) }))
            try file.close()
            let error = #expect(throws: LMDBError.self) { try Environment.open(path) }
            #expect(error?.code == .invalidFile)
        }
    }

    @Test func aTruncatedFileIsRefusedClearly() throws {
        try withTemporaryDirectory { path in
            try Data([0xDE, 0xC0, 0xEF, 0xBE, 1, 2, 3]).write(to: URL(fileURLWithPath: path + "/data.mdb"))
            let error = #expect(throws: LMDBError.self) { try Environment.open(path) }
            #expect(error?.code == .invalidFile)
        }
    }

    /// A data file cut short after its meta pages would map, then crash with SIGBUS at the first
    /// read of a missing page: it is refused before it is mapped, read-only or not.
    @Test(arguments: [8_192, 12_288, -2, 4_100])
    func aFileCutShortOfItsPagesIsRefusedBeforeMapping(size: Int) throws {
        try withTemporaryDirectory { path in
            do {
                let environment = try Environment.open(path)
                let database = try environment.createDatabase(named: "d")
                try environment.write { txn in
                    for index in 0..<2_000 { try txn.put([UInt8](repeating: 7, count: 500), for: key("k\(index)"), in: database) }
                }
            }
            let file = path + "/data.mdb"
            let full = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
            let length = size == -2 ? full / 2 : size
            #expect(truncate(file, off_t(length)) == 0)
            for readOnly in [true, false] {
                let error = #expect(throws: LMDBError.self) { try Environment.open(path, options: .defaults { $0.readOnly = readOnly }) }
                #expect(error?.code == .truncated(fileSize: length, expectedSize: full), "\(String(describing: error))")
                #expect(error?.description.contains("data.mdb is truncated: it has \(length) bytes") == true)
            }
            // Nothing was written to the damaged file.
            #expect(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int == length)
        }
    }

    /// Found by fuzzing: a meta page claiming 2^39 pages made the check of a short file allocate
    /// a bitset for all of them (4.8 GB) before finding the first one missing.
    @Test func aMetaPageClaimingAHugeFileIsRefusedWithoutAllocatingForIt() throws {
        try withTemporaryDirectory { path in
            do {
                let environment = try Environment.open(path)
                let database = try environment.createDatabase(named: "d")
                try environment.write { try $0.put(key("v"), for: key("k"), in: database) }
            }
            let file = path + "/data.mdb"
            let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: file))
            for meta in [0, 4_096] {
                try handle.seek(toOffset: UInt64(meta + 136))  // mm_last_pg
                try handle.write(contentsOf: withUnsafeBytes(of: (UInt64(1) << 39).littleEndian) { Data($0) })
            }
            try handle.close()
            let error = #expect(throws: LMDBError.self) { try Environment.open(path) }
            #expect(error?.code == .truncated(fileSize: size, expectedSize: ((1 << 39) + 1) * 4_096))
        }
    }

    @Test func aFileWhereADirectoryBelongsIsRefused() throws {
        try withTemporaryDirectory { path in
            let file = path + "/plain-file"
            try Data("hello".utf8).write(to: URL(fileURLWithPath: file))
            let error = #expect(throws: LMDBError.self) { try Environment.open(file) }
            #expect(error?.code == .system(ENOTDIR) || error?.code == .system(EEXIST))
        }
    }

    @Test func aMissingStoreOpenedReadOnlyIsRefused() throws {
        try withTemporaryDirectory { path in
            let error = #expect(throws: LMDBError.self) {
                try Environment.open(path + "/nowhere", options: .defaults { $0.readOnly = true })
            }
            #expect(error?.code == .system(ENOENT))
        }
    }

    /// Tests run as root here, and root ignores file modes, so a child process drops to `nobody`.
    @Test func aStoreWithoutPermissionIsRefused() throws {
        try withTemporaryDirectory { path in
            let store = path + "/store"
            do { _ = try Environment.open(store) }
            chmod(path, 0o755)
            chmod(store, 0o700)
            let child = try ChildProcess(["open-unprivileged", store])
            let line = child.readLine() ?? ""
            #expect(child.wait() == 2)
            #expect(line.contains("system(13)"))
            #expect(line.contains("permission denied: every user of a store, readers too, must be able to write its lock.mdb"))
            #expect(line.contains(store))
        }
    }
}
