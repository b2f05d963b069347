/// What changed between two snapshots, per view.
public struct SnapshotDiff: Hashable, Sendable, CustomStringConvertible {
    public struct ViewChanges: Hashable, Sendable {
        public let view: String
        /// History rows written after `from` up to `to` for an (entity, event time, created
        /// time) that had no row at `from`.
        public let rowsAdded: Int
        /// History rows written after `from` up to `to` that replace a value stored at `from`.
        public let rowsChanged: Int
        /// The view's watermark as of each snapshot (`nil`: never materialized by then).
        public let watermarkFrom: Timestamp?
        public let watermarkTo: Timestamp?
    }

    public let from: UInt64
    public let to: UInt64
    public let views: [ViewChanges]

    public var description: String {
        var lines = ["snapshot \(from) -> \(to)"]
        for view in views {
            var line = "  \(view.view): +\(view.rowsAdded) added, ~\(view.rowsChanged) changed"
            if view.watermarkFrom != view.watermarkTo {
                line += ", watermark \(view.watermarkFrom?.description ?? "none") -> \(view.watermarkTo?.description ?? "none")"
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
