/// The record of one materialization or push: what it read, what it wrote, and from where.
///
/// Snapshot ids increase by one per run and never repeat. Every history row carries the id of
/// the snapshot that wrote it, which is what makes `asOfSnapshot` reads exact.
public struct Snapshot: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Sendable {
        /// `materialize` or `materializeIncremental` from batch sources.
        case materialization
        /// Rows handed over in Swift with `push`.
        case push
    }

    public var id: UInt64
    public var kind: Kind
    /// One entry per view the run covered.
    public var views: [ViewRun]
    public var startedAt: Timestamp
    public var finishedAt: Timestamp
    /// Where rejected rows were written, in skip-invalid mode.
    public var rejectsFile: String?

    public var rowsRead: Int { views.reduce(0) { $0 + $1.rowsRead } }
    public var rowsWritten: Int { views.reduce(0) { $0 + $1.rowsWritten } }
    public var rowsRejected: Int { views.reduce(0) { $0 + $1.rowsRejected } }
}

/// What one run did for one view.
public struct ViewRun: Codable, Hashable, Sendable {
    public var view: String
    /// The event-time interval `[start, end)` the run covered.
    public var start: Timestamp
    public var end: Timestamp
    public var source: SourceFingerprint?
    /// Rows in the source (after the header), in or out of the interval.
    public var rowsRead: Int
    /// History rows added (new, or changed values for an existing event).
    public var rowsWritten: Int
    /// Rows inside the interval whose identical value was already stored (re-runs are idempotent).
    public var rowsUnchanged: Int
    /// Rows outside the interval.
    public var rowsOutsideInterval: Int
    /// Invalid rows skipped in skip-invalid mode.
    public var rowsRejected: Int
    /// Online rows this run wrote or replaced by a newer value (each entity counted once).
    public var onlineRowsUpdated: Int
    /// The view's watermark before and after the run (the end of the latest interval covered).
    public var watermarkBefore: Timestamp?
    public var watermarkAfter: Timestamp
    /// The newest event time among the rows the run stored or found unchanged (nil when it had
    /// none; absent from snapshots written before it was recorded).
    public var newestEventTime: Timestamp? = nil
}

/// Identifies a source file's contents, so a re-run after the file changed is visible.
public struct SourceFingerprint: Codable, Hashable, Sendable {
    public var path: String
    public var size: Int
    /// Larder checksum v1 of the file's bytes (see Docs/StorageFormat.md), in hex.
    public var checksum: String
    public var modifiedAt: Timestamp
}
