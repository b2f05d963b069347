import Foundation
@testable import Larder
import TestSupport
import Testing

@Suite struct SnapshotTests {
    @Test func snapshotsAreListedShownAndDiffed() throws {
        try withTemporaryDirectory { (path) throws in
            let stats = try StatsStore(in: path, csv: ["1,\(at(1)),,0.1,1", "2,\(at(1)),,0.2,2"])
            try stats.store.materialize(from: time(0), to: time(12))
            try stats.write(["1,\(at(1)),,0.9,1", "2,\(at(1)),,0.2,2", "3,\(at(2)),,0.3,3"])
            try stats.store.materialize(from: time(0), to: time(24))
            let snapshots = try stats.store.snapshots()
            #expect(snapshots.map(\.id) == [1, 2])
            let second = try #require(try stats.store.snapshot(2))
            #expect(second.views.first?.rowsWritten == 2)  // a corrected row and a new one
            #expect(second.views.first?.rowsUnchanged == 1)
            #expect(second.views.first?.watermarkBefore == time(12))
            #expect(second.startedAt <= second.finishedAt)
            #expect(try stats.store.snapshot(3) == nil)

            let diff = try stats.store.diff(from: 1, to: 2)
            #expect(diff.views == [SnapshotDiff.ViewChanges(view: "stats", rowsAdded: 1, rowsChanged: 1, watermarkFrom: time(12), watermarkTo: time(24))])
            #expect(diff.description.contains("stats: +1 added, ~1 changed, watermark 2024-05-01T12:00:00Z -> 2024-05-02T00:00:00Z"))
            #expect(try stats.store.diff(from: 0, to: 1).views.first?.rowsAdded == 2)
            #expect(throws: LarderError.self) { try stats.store.diff(from: 1, to: 9) }
        }
    }

    @Test func retentionKeepsWhatLaterJoinsNeed() throws {
        try withTemporaryDirectory { (path) throws in
            let stats = try StatsStore(in: path, csv: [
                "1,\(at(1)),,0.1,1", "1,\(at(2)),,0.2,2", "1,\(at(3)),,0.3,3", "1,\(at(10)),,1.0,10",
                "2,\(at(1)),,0.5,5",
            ])
            try stats.store.materialize(from: time(0), to: time(24))
            // Cutoff at hour 5: driver 1 keeps its newest row before it (hour 3) and hour 10;
            // driver 2 keeps its only row. Online rows stay.
            let deleted = try stats.store.expireHistory(olderThan: .seconds(3600), now: time(6))
            #expect(deleted == 2)
            #expect(try stats.history().map(\.eventTime) == [time(3), time(10), time(1)])
            #expect(try stats.online(1)?.values.last == .int64(10))
            #expect(try stats.store.expireHistory(olderThan: .seconds(3600), now: time(6)) == 0)
        }
    }
}
