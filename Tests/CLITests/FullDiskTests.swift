import Foundation
import Testing
import TestSupport

/// A disk that fills during a run: the run is rolled back, the message says the disk is full
/// (LMDB itself reports EIO), and the store stays sound. Needs root to mount a small tmpfs,
/// which every machine of this project (and CI) has.
@Suite struct FullDiskTests {
    @Test(.enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
    func aFullDiskIsNamedAndLosesNothing() throws {
        try withTemporaryDirectory { path in
            // 21,600 driver rows: about 3 MB of store, on a 600 kB disk.
            let repo = path + "/repo"
            #expect(try larder("init", repo, "--drivers", "300", "--days", "3", in: path).status == 0)
            let disk = path + "/disk"
            try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
            let mount = Process()
            mount.executableURL = URL(fileURLWithPath: "/bin/mount")
            mount.arguments = ["-t", "tmpfs", "-o", "size=600k", "tmpfs", disk]
            try mount.run()
            mount.waitUntilExit()
            try #require(mount.terminationStatus == 0, "mount -t tmpfs failed")
            defer {
                let unmount = Process()
                unmount.executableURL = URL(fileURLWithPath: "/bin/umount")
                unmount.arguments = [disk]
                try? unmount.run()
                unmount.waitUntilExit()
            }
            #expect(try larder("apply", "--store", disk + "/store", in: repo).status == 0)
            let full = try larder("materialize", "2024-05-01", "2024-05-04", "--store", disk + "/store", in: repo)
            #expect(full.status == 2, "\(full)")
            #expect(full.stderr.contains("no space left on the device; the transaction was rolled back"), "\(full)")
            let verify = try larder("verify", "--store", disk + "/store", in: repo)
            #expect(verify.status == 0, "\(verify)")
            let snapshots = try larder("snapshots", "--json", "--store", disk + "/store", in: repo)
            #expect((try snapshots.json() as? [Any])?.isEmpty == true, "\(snapshots)")
        }
    }
}
