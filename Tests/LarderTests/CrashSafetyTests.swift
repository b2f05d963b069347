import Foundation
@testable import Larder
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct CrashSafetyTests {
    /// A child materializing a large file is killed with SIGKILL at random moments, 20 times.
    /// A run commits in batches (5,000 rows here, so a dozen commits per run), and its rows stay
    /// invisible until its last commit. After each kill the store opens, every visible snapshot
    /// is complete, no row or online value of the killed run is visible, and the next run
    /// removes what the killed one left behind.
    @Test func killedMaterializationsLeaveOnlyWholeSnapshots() throws {
        try withTemporaryDirectory { path in
            let rows = (0..<60_000).map { "\($0 % 5_000),\(at($0 / 5_000)),,0.\($0 % 10),\($0)" }  // unique (driver, hour)
            let stats = try StatsStore(in: path, csv: rows)
            try stats.store.materialize(from: time(0), to: time(1))  // snapshot 1, a small window
            var generator = SystemRandomNumberGenerator()
            var killed = 0
            for round in 0..<20 {
                if round % 2 == 1 {
                    // Alternate the file so later runs have new rows to write.
                    try stats.write(rows.map { $0 + "\(round)" })
                }
                let child = try ChildProcess(["materialize", stats.directory + "/store", "5000"])
                #expect(child.readLine() == "started")
                usleep(UInt32.random(in: 1_000...250_000, using: &generator))
                if child.process.isRunning { killed += 1 }
                child.kill()
                try checkWholeSnapshots(path: stats.directory + "/store")
            }
            #expect(killed >= 10)  // most kills landed mid-run
        }
    }

    func checkWholeSnapshots(path: String) throws {
        let store = try FeatureStore.open(path)
        let snapshots = try store.snapshots()
        #expect(snapshots.first?.id == 1)
        var rowsBySnapshot: [UInt64: Int] = [:]
        try store.forEachHistoryRow(of: "stats") { rowsBySnapshot[$0.snapshot, default: 0] += 1 }
        for snapshot in snapshots {
            #expect(rowsBySnapshot[snapshot.id, default: 0] == snapshot.rowsWritten, "snapshot \(snapshot.id)")
        }
        #expect(Set(rowsBySnapshot.keys).isSubset(of: Set(snapshots.map(\.id))))
        let committed = Set(snapshots.map(\.id))
        try store.forEachOnlineRow(of: "stats") { _, row in
            #expect(committed.contains(row.snapshot))
        }
    }
}
