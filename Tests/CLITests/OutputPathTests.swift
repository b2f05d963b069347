import Foundation
import Testing
import TestSupport

/// Output paths (`historical --out`, `materialize --rejects`) never delete or write through
/// anything but a regular file, and the files Larder creates are private by default.
@Suite struct OutputPathTests {
    private let join = ["historical", "--entities", "data/entity_rows.csv", "--service", "driver_activity"]

    @Test func aDirectoryAtTheOutputPathIsRefusedAndKept() throws {
        try withTemporaryDirectory { path in
            let repo = try makeRepository(in: path)
            try FileManager.default.createDirectory(atPath: repo + "/victim/sub", withIntermediateDirectories: true)
            let result = try larder(join + ["--out", "victim"], in: repo)
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr == "larder: victim: is a directory; give the path of a file to write\n")
            #expect(FileManager.default.fileExists(atPath: repo + "/victim/sub"))

            let rejects = try larder("materialize", "2024-05-01", "2024-05-03", "--skip-invalid", "--rejects", "victim", in: repo)
            #expect(rejects.status == 2, "\(rejects)")
            #expect(rejects.stderr.contains("victim: is a directory"), "\(rejects)")
            #expect(FileManager.default.fileExists(atPath: repo + "/victim/sub"))
            // Refused before any work: no snapshot was claimed.
            let snapshots = try #require(try larder("snapshots", "--json", in: repo).json() as? [Any])
            #expect(snapshots.count == 1)
        }
    }

    @Test func devicesLinksAndLeftoversAreRefusedAndKept() throws {
        try withTemporaryDirectory { path in
            let repo = try makeRepository(in: path)
            let device = try larder(join + ["--out", "/dev/null"], in: repo)
            #expect(device.stderr == "larder: /dev/null: is a device; write to standard output with '-', or give the path of a file\n", "\(device)")
            var info = stat()
            #expect(stat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)

            try FileManager.default.createSymbolicLink(atPath: repo + "/to-null", withDestinationPath: "/dev/null")
            let linked = try larder(join + ["--out", "to-null"], in: repo)
            #expect(linked.stderr == "larder: to-null: is a symbolic link to a device; write to standard output with '-', or give the path of a file\n", "\(linked)")

            try FileManager.default.createSymbolicLink(atPath: repo + "/dangling", withDestinationPath: "nowhere")
            let dangling = try larder(join + ["--out", "dangling"], in: repo)
            #expect(dangling.stderr == "larder: dangling: is a dangling symbolic link; remove it or give another path\n", "\(dangling)")
            #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: repo + "/dangling")) == "nowhere")

            try "keep me".write(toFile: repo + "/train.csv.partial", atomically: false, encoding: .utf8)
            let leftover = try larder(join + ["--out", "train.csv"], in: repo)
            #expect(leftover.status == 2)
            #expect(leftover.stderr.contains("train.csv.partial is there already"), "\(leftover)")
            #expect(try (repo + "/train.csv.partial").read() == "keep me")
            #expect(!FileManager.default.fileExists(atPath: repo + "/train.csv"))
            for result in [device, linked, dangling] { #expect(result.status == 2) }
        }
    }

    @Test func theCommandsOwnInputsAndTheStoreAreNeverReplaced() throws {
        try withTemporaryDirectory { path in
            let repo = try makeRepository(in: path)
            let input = try (repo + "/data/entity_rows.csv").read()
            let own = try larder(join + ["--out", "data/entity_rows.csv"], in: repo)
            #expect(own.status == 2, "\(own)")
            #expect(own.stderr == "larder: data/entity_rows.csv: is data/entity_rows.csv, which this command reads; write the output elsewhere\n")
            #expect(try (repo + "/data/entity_rows.csv").read() == input)

            let store = try larder(join + ["--out", ".larder/data.mdb"], in: repo)
            #expect(store.status == 2, "\(store)")
            #expect(store.stderr.contains("is inside the store .larder"), "\(store)")
            #expect(try larder("verify", in: repo).status == 0)

            let source = try (repo + "/data/driver_stats.csv").read()
            let rejects = try larder("materialize", "2024-05-01", "2024-05-03", "--skip-invalid", "--rejects", "data/driver_stats.csv", in: repo)
            #expect(rejects.status == 2, "\(rejects)")
            #expect(rejects.stderr.contains("which this command reads"), "\(rejects)")
            #expect(try (repo + "/data/driver_stats.csv").read() == source)
        }
    }

    @Test func aRegularFileIsReplacedAndDashStreamsToStandardOutput() throws {
        try withTemporaryDirectory { path in
            let repo = try makeRepository(in: path)
            try "old".write(toFile: repo + "/train.csv", atomically: false, encoding: .utf8)
            let written = try larder(join + ["--out", "train.csv"], in: repo)
            #expect(written.status == 0, "\(written)")
            let file = try (repo + "/train.csv").read()
            #expect(file.hasPrefix("driver_id,customer_id,event_timestamp"))
            #expect(!FileManager.default.fileExists(atPath: repo + "/train.csv.partial"))

            let streamed = try larder(join + ["--out", "-"], in: repo)
            #expect(streamed.status == 0, "\(streamed)")
            #expect(streamed.stdout == file)
            #expect(streamed.stderr.hasPrefix("Wrote 50 rows to standard output"), "\(streamed)")
            #expect(!FileManager.default.fileExists(atPath: repo + "/-"))
        }
    }

    @Test func filesArePrivateUnlessGroupAccessIsAsked() throws {
        try withTemporaryDirectory { path in
            let repo = try makeRepository(in: path)
            #expect(mode(repo + "/.larder") == 0o700)
            #expect(mode(repo + "/.larder/data.mdb") == 0o600)
            #expect(mode(repo + "/.larder/lock.mdb") == 0o600)

            #expect(try larder(join + ["--out", "private.csv"], in: repo).status == 0)
            #expect(mode(repo + "/private.csv") == 0o600)
            #expect(try larder(join + ["--out", "shared.csv", "--group-access"], in: repo).status == 0)
            #expect(mode(repo + "/shared.csv") == 0o640 & ~currentUmask())

            let rejects = try larder("materialize", "2024-05-01", "2024-05-03", "--skip-invalid", "--rejects", "rejects.csv", in: repo)
            #expect(rejects.status == 0, "\(rejects)")
            #expect(mode(repo + "/rejects.csv") == 0o600)

            #expect(try larder("export", "copy", in: repo).status == 0)
            #expect(mode(repo + "/copy") == 0o700)
            #expect(mode(repo + "/copy/data.mdb") == 0o600)

            let shared = try larder("apply", "--store", "shared-store", "--group-access", in: repo)
            #expect(shared.status == 0, "\(shared)")
            #expect(mode(repo + "/shared-store") == 0o750 & ~currentUmask())
            #expect(mode(repo + "/shared-store/lock.mdb") == 0o660 & ~currentUmask())
        }
    }

    @Test func onlyApplyCreatesAStore() throws {
        try withTemporaryDirectory { path in
            let repo = try makeRepository(in: path, materialize: false)
            try FileManager.default.createDirectory(atPath: repo + "/empty", withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: repo + "/empty/data.mdb", contents: Data())
            let result = try larder("materialize", "2024-05-01", "2024-05-03", "--store", "empty", in: repo)
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr == "larder: empty holds no Larder store (its data.mdb is empty); run `larder apply` to create one\n")
            #expect(mode(repo + "/empty/data.mdb") != nil)
            #expect((try? FileManager.default.attributesOfItem(atPath: repo + "/empty/data.mdb")[.size] as? Int) == 0)
            #expect(!FileManager.default.fileExists(atPath: repo + "/empty/lock.mdb"))
        }
    }

    private func mode(_ path: String) -> UInt16? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt16(info.st_mode & 0o777)
    }

    private func currentUmask() -> UInt16 {
        let mask = umask(0)
        umask(mask)
        return UInt16(mask)
    }
}
