import Foundation
@testable import Larder
import TestSupport
import Testing

/// A push into a view fed by a file writes the rows it was given — never the file's — and
/// leaves the view's materialization watermark where it was (Feast's write-to-online-store
/// writes any view the same way).
@Suite struct PushIntoFileViewTests {
    @Test func thePushedRowsAreWrittenNotTheFile() throws {
        try withTemporaryDirectory { directory in
            let stats = try StatsStore(in: directory, csv: ["1,\(at(1)),,0.1,10", "2,\(at(1)),,0.2,20"])
            let materialized = try stats.store.materialize(from: time(0), to: time(2))
            #expect(materialized.views[0].newestEventTime == time(1))  // what freshness is measured from
            let snapshot = try stats.store.push([["driver_id": 1, "event_timestamp": .timestamp(time(5)), "conv_rate": 0.9, "trips": 90]], to: "stats")
            #expect(snapshot.rowsRead == 1)
            #expect(snapshot.rowsWritten == 1)
            #expect(snapshot.views[0].source == nil)
            #expect(snapshot.views[0].newestEventTime == time(5))
            #expect(try stats.history().count == 3)
            #expect(try stats.online(1)?.values == [.float64(0.9), .int64(90)])
            // The watermark stays at the materialized interval's end: an incremental run still starts there.
            try stats.write(["1,\(at(1)),,0.1,10", "2,\(at(1)),,0.2,20", "2,\(at(3)),,0.3,30"])
            let incremental = try stats.store.materializeIncremental(to: time(4))
            #expect(incremental.views[0].start == time(2))
            #expect(try stats.online(2)?.values == [.float64(0.3), .int64(30)])
        }
    }
}
