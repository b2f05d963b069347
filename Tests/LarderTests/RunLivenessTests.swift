import Foundation
@testable import Larder
import LMDBKit
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A run is alive exactly while it holds the store's run lock: not judged by its PID, which
/// means nothing in another PID namespace and may belong to another process after a crash.
@Suite struct RunLivenessTests {
    /// 20,000 rows for one view, written in batches of 1,000.
    private func makeStore(in path: String) throws -> StatsStore {
        try StatsStore(in: path, csv: (0..<20_000).map { "\($0),\(at($0 % 24)),,0.5,\($0)" })
    }

    #if os(Linux)
    @Test func writersInTwoPIDNamespacesNeverTakeALiveRunForDead() throws {
        try withTemporaryDirectory { path in
            let stats = try makeStore(in: path)
            let storePath = stats.directory + "/store"
            // Writer A, pid 5 in its namespace, pauses between two commits of its run.
            let first = try ChildProcess(inNewPIDNamespace: ["materialize-pausing", storePath, "3", "1000"])
            #expect(first.readLine() == "paused 5")
            // Writer B, pid 2 in another namespace, where no process 5 exists.
            let second = try ChildProcess(inNewPIDNamespace: ["materialize", storePath, "1000"], firstOfNamespace: true)
            let refused = second.readLine() ?? ""
            #expect(refused.hasPrefix("started"), "\(refused)")
            let error = second.readLine() ?? ""
            #expect(error.contains("snapshot 1, process 5) is in progress"), "\(error)")
            #expect(second.wait() == 0)  // the shell's status; the child exited 2 as its line says

            #expect(first.readLine() == "committed 1")
            #expect(first.wait() == 0)
            let snapshots = try stats.store.snapshots()
            #expect(snapshots.map(\.id) == [1])
            #expect(snapshots.first?.rowsWritten == 20_000)
            #expect(try stats.history().count == 20_000)
        }
    }
    #endif

    @Test func aDeadRunWhosePIDIsAliveIsStillRecovered() throws {
        try withTemporaryDirectory { path in
            let stats = try makeStore(in: path)
            let storePath = stats.directory + "/store"
            let child = try ChildProcess(["materialize-pausing", storePath, "30", "1000"])
            #expect(child.readLine()?.hasPrefix("paused") == true)
            child.kill()
            // The PID is reused: the marker now names a live process (this one).
            try stats.store.environment.write { txn in
                var pending = try #require(try PendingRun.load(from: stats.store.meta, txn))
                pending.process = getpid()
                try pending.save(in: stats.store.meta, txn)
            }
            #expect(try stats.history().isEmpty)  // the dead run's batch is invisible
            let record = try stats.store.registry.layout(of: "stats").record
            let history = try #require(try stats.store.environment.database(named: record.historyDatabaseName))
            #expect(try stats.store.environment.read { txn in try txn.statistics(of: history).entries } == 1_000)

            let recovered = try stats.store.recoverAbandonedRun()
            #expect(recovered == AbandonedRun(snapshot: 1, process: getpid(), views: ["stats"]))
            #expect(try stats.store.recoverAbandonedRun() == nil)
            let (marker, entries) = try stats.store.environment.read { txn in
                (try PendingRun.load(from: stats.store.meta, txn), try txn.statistics(of: history).entries)
            }
            #expect(marker == nil)
            #expect(entries == 0)  // the dead run's rows are gone
            let snapshot = try stats.store.materialize(from: time(0), to: time(24))
            #expect(snapshot.id == 2)
            #expect(snapshot.views.first?.rowsWritten == 20_000)
        }
    }

    @Test func aLiveRunIsNeitherRecoveredNorJoinedAndWaitingWorks() throws {
        try withTemporaryDirectory { path in
            let stats = try makeStore(in: path)
            let child = try ChildProcess(["materialize-pausing", stats.directory + "/store", "2", "1000"])
            let paused = child.readLine() ?? ""
            #expect(paused.hasPrefix("paused"))
            let pid = Int32(paused.dropFirst("paused ".count)) ?? -1
            let busy = LarderError.runInProgress(snapshot: 1, process: pid)
            #expect(throws: busy) { try stats.store.recoverAbandonedRun() }
            #expect(throws: busy) { try stats.store.materialize(from: time(0), to: time(24)) }
            #expect(throws: busy) { try stats.store.expireHistory(olderThan: .seconds(1)) }
            // Waiting outlasts the other run, which then commits first.
            let waited = try stats.store.materialize(from: time(0), to: time(24), options: MaterializeOptions(wait: .seconds(60)))
            #expect(child.readLine() == "committed 1")
            #expect(child.wait() == 0)
            #expect(waited.id == 2)  // the refused runs claimed no id
            #expect(waited.views.first?.rowsUnchanged == 20_000)
        }
    }
}
