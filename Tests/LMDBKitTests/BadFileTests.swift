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
            #expect(line.contains("Permission denied"))
            #expect(line.contains(store))
        }
    }
}
