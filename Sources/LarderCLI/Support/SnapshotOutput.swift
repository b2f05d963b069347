import Foundation
import Larder

/// How materialization runs and `snapshots` print a snapshot.
enum SnapshotOutput {
    /// The event-time interval a snapshot covered, over all its views.
    static func interval(_ snapshot: Snapshot) -> String {
        guard let start = snapshot.views.map(\.start).min(), let end = snapshot.views.map(\.end).max() else { return "-" }
        return "\(Format.time(start)) → \(Format.time(end))"
    }

    static func seconds(_ snapshot: Snapshot) -> Double {
        Double(snapshot.finishedAt.microseconds - snapshot.startedAt.microseconds) / 1e6
    }

    /// The summary a materialization prints: one line, then a row per view.
    static func summary(_ snapshot: Snapshot, seconds: Double) -> String {
        var lines = ["Snapshot \(snapshot.id): \(Format.count(snapshot.rowsRead)) rows read, \(Format.count(snapshot.rowsWritten)) written"
            + (snapshot.rowsRejected > 0 ? ", \(Format.count(snapshot.rowsRejected)) rejected" : "")
            + " in \(Format.seconds(seconds)) (\(Format.rate(snapshot.rowsRead, seconds: seconds)))"]
        lines.append(viewTable(snapshot).render(indent: "  "))
        if let rejects = snapshot.rejectsFile, snapshot.rowsRejected > 0 {
            lines.append("Rejected rows and their reasons: \(rejects)")
        }
        return lines.joined(separator: "\n")
    }

    static func viewTable(_ snapshot: Snapshot) -> TableFormatter {
        var table = TableFormatter(["view", "read>", "written>", "unchanged>", "outside>", "rejected>", "online rows>", "interval"])
        for run in snapshot.views {
            table.append([run.view, Format.count(run.rowsRead), Format.count(run.rowsWritten), Format.count(run.rowsUnchanged),
                          Format.count(run.rowsOutsideInterval), Format.count(run.rowsRejected), Format.count(run.onlineRowsUpdated),
                          "\(Format.time(run.start)) → \(Format.time(run.end))"])
        }
        return table
    }

    static func json(_ snapshot: Snapshot) -> JSON {
        .object([
            ("id", .uint(snapshot.id)),
            ("kind", .string(snapshot.kind.rawValue)),
            ("started_at", .time(snapshot.startedAt)),
            ("finished_at", .time(snapshot.finishedAt)),
            ("seconds", .double(seconds(snapshot))),
            ("rows_read", .int(snapshot.rowsRead)),
            ("rows_written", .int(snapshot.rowsWritten)),
            ("rows_rejected", .int(snapshot.rowsRejected)),
            ("rejects_file", .string(snapshot.rejectsFile)),
            ("views", .array(snapshot.views.map { run in
                JSON.object([
                    ("view", .string(run.view)),
                    ("start", .time(run.start)),
                    ("end", .time(run.end)),
                    ("rows_read", .int(run.rowsRead)),
                    ("rows_written", .int(run.rowsWritten)),
                    ("rows_unchanged", .int(run.rowsUnchanged)),
                    ("rows_outside_interval", .int(run.rowsOutsideInterval)),
                    ("rows_rejected", .int(run.rowsRejected)),
                    ("online_rows_updated", .int(run.onlineRowsUpdated)),
                    ("watermark_before", .time(run.watermarkBefore)),
                    ("watermark_after", .time(run.watermarkAfter)),
                    ("source", run.source.map { source in
                        JSON.object([("path", .string(source.path)), ("size", .int(source.size)),
                                     ("checksum", .string(source.checksum)), ("modified_at", .time(source.modifiedAt))])
                    } ?? .null),
                ])
            })),
        ])
    }
}
