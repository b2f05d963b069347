import Foundation
import LMDBKit

extension FeatureStore {
    /// Loads the rows of `views` (all views with file sources when `nil`) whose event time lies
    /// in `[start, end)`, in one atomic commit recorded as a new snapshot.
    ///
    /// Every row goes into the view's history (a row identical to the stored one for the same
    /// entity, event time and created time is not written again, so re-runs are idempotent);
    /// the newest row of each entity replaces the online row when it is newer — a later event
    /// time, then a later created time, then a later snapshot — so loading an older window
    /// after a newer one leaves the newer online values in place.
    /// - Throws: ``SourceError`` naming the file, line, column and reason for the first invalid
    ///   row (nothing is committed), unless `options` skip invalid rows.
    @discardableResult
    public func materialize(_ views: [String]? = nil, from start: Timestamp, to end: Timestamp, options: MaterializeOptions = .stopOnInvalid) throws -> Snapshot {
        try run(kind: .materialization, views: views, options: options) { _, _ in (start, end) }
    }

    /// Materializes each view from its watermark (the end of its last materialized interval;
    /// the beginning of time for a view never materialized) up to `end`.
    @discardableResult
    public func materializeIncremental(_ views: [String]? = nil, to end: Timestamp, options: MaterializeOptions = .stopOnInvalid) throws -> Snapshot {
        try run(kind: .materialization, views: views, options: options) { watermark, _ in
            (watermark ?? Timestamp(microseconds: Int64.min), end)
        }
    }

    /// Writes rows computed in Swift into a view, recorded as a snapshot like a materialization.
    ///
    /// Each row maps column names (join keys, the event-timestamp column, optionally the
    /// created-timestamp column, features) to values; missing features are null.
    @discardableResult
    public func push(_ rows: [[String: FeatureValue]], to view: String) throws -> Snapshot {
        try run(kind: .push, views: [view], options: .stopOnInvalid, pushed: PushRowSource(rows: rows)) { _, _ in
            (Timestamp(microseconds: Int64.min), Timestamp(microseconds: Int64.max))
        }
    }

    private func run(
        kind: Snapshot.Kind,
        views names: [String]?,
        options: MaterializeOptions,
        pushed: PushRowSource? = nil,
        interval: (_ watermark: Timestamp?, _ view: FeatureView) -> (Timestamp, Timestamp)
    ) throws -> Snapshot {
        let startedAt = Timestamp.now
        var rejects: RejectLog?
        do {
            let snapshot = try environment.write { txn -> Snapshot in
                rejects?.discard()
                rejects = try options.rejectsFile.map(RejectLog.init(path:))
                let registry = try registry(in: txn)
                let id = try StoreMeta.readUInt64(StoreMeta.nextSnapshotIDKey, in: meta, txn) ?? 1
                var runs: [ViewRun] = []
                for name in try viewNames(names, in: registry, pushing: pushed != nil) {
                    guard let record = registry.views[name]?.spec else { throw LarderError.unknown("unknown view '\(name)'") }
                    runs.append(try materialize(record, registry: registry, snapshot: id, options: options,
                                                rejects: rejects, pushed: pushed, interval: interval, txn))
                }
                let snapshot = Snapshot(id: id, kind: kind, views: runs, startedAt: startedAt, finishedAt: .now,
                                        rejectsFile: options.rejectsFile)
                try SnapshotStorage.save(snapshot, in: snapshotsDatabase, txn)
                try StoreMeta.writeUInt64(id + 1, StoreMeta.nextSnapshotIDKey, in: meta, txn)
                return snapshot
            }
            try rejects?.finish()
            return snapshot
        } catch {
            rejects?.discard()
            throw error
        }
    }

    private func viewNames(_ names: [String]?, in registry: Registry, pushing: Bool) throws -> [String] {
        guard let names else {
            return registry.views.values.map(\.spec.definition)
                .filter { registry.source(named: $0.source).map { $0.kind != .push } ?? false }
                .map(\.name).sorted()
        }
        for name in names {
            guard let view = registry.view(named: name) else {
                throw LarderError.unknown("unknown view '\(name)'\(Definitions.known(registry.views.keys.map { $0 }))")
            }
            let isPush = registry.source(named: view.source)?.kind == .push
            if isPush, !pushing {
                throw LarderError.unknown("view '\(name)' has a push source: write to it with push(_:to:), not materialize")
            }
        }
        return names
    }

    private func materialize(
        _ record: ViewRecord,
        registry: Registry,
        snapshot: UInt64,
        options: MaterializeOptions,
        rejects: RejectLog?,
        pushed: PushRowSource?,
        interval: (Timestamp?, FeatureView) -> (Timestamp, Timestamp),
        _ txn: borrowing WriteTransaction
    ) throws -> ViewRun {
        let view = record.definition
        guard let source = registry.source(named: view.source) else { throw LarderError.unknown("view \(view.name): unknown source '\(view.source)'") }
        let entities = view.entities.compactMap { registry.entity(named: $0) }
        let watermarkKey = StoreMeta.watermarkKey(view: record.id)
        let watermark = try StoreMeta.readUInt64(watermarkKey, in: meta, txn).map { Timestamp(microseconds: Int64(bitPattern: $0)) }
        let (start, end) = interval(watermark, view)
        let databases = try self.databases(of: record, in: txn)

        func prepare(columns: [String], name: String) throws -> ViewMaterializer {
            ViewMaterializer(
                view: view, layout: record,
                plan: try ColumnPlan(view: view, entities: entities, source: source, columns: columns, sourceName: name),
                format: source.timestampFormat, interval: start.microseconds..<end.microseconds, options: options, rejects: rejects,
                writer: HistoryWriter(databases: databases, snapshot: snapshot, keepsOnline: view.online))
        }
        var materializer: ViewMaterializer
        var fingerprint: SourceFingerprint?
        switch source.kind {
        case .push:
            let rows = PushRowSource(rows: pushed?.rows ?? [], columns: Self.sourceColumns(of: view, entities: entities, source: source))
            materializer = try prepare(columns: rows.columns, name: rows.name)
            try materializer.run(rows, txn)
        case .csv(let path, let delimiter):
            fingerprint = try SourceFingerprint.of(path: path)
            let rows = try CSVRowSource(path: path, delimiter: delimiter)
            materializer = try prepare(columns: rows.columns, name: path)
            try materializer.run(rows, txn)
        case .jsonLines(let path):
            fingerprint = try SourceFingerprint.of(path: path)
            let rows = JSONLinesRowSource(name: path, columns: Self.sourceColumns(of: view, entities: entities, source: source))
            materializer = try prepare(columns: rows.columns, name: path)
            try materializer.run(rows, txn)
        }
        let newWatermark = max(watermark ?? end, end)
        if source.kind != .push {
            try StoreMeta.writeUInt64(UInt64(bitPattern: newWatermark.microseconds), watermarkKey, in: meta, txn)
        }
        return ViewRun(
            view: view.name, start: start, end: end, source: fingerprint, rowsRead: materializer.rowsRead,
            rowsWritten: materializer.writer.rowsWritten, rowsUnchanged: materializer.writer.rowsUnchanged,
            rowsOutsideInterval: materializer.rowsOutsideInterval, rowsRejected: materializer.rowsRejected,
            onlineRowsUpdated: materializer.writer.onlineRowsUpdated, watermarkBefore: watermark,
            watermarkAfter: source.kind == .push ? (watermark ?? start) : newWatermark)
    }

    /// The source column names a view reads, for sources without a header (JSON Lines).
    static func sourceColumns(of view: FeatureView, entities: [Entity], source: Source) -> [String] {
        var mapped: [String: String] = [:]
        for (sourceColumn, viewColumn) in source.columnMapping { mapped[viewColumn] = sourceColumn }
        let viewColumns = entities.map(\.joinKey) + [view.timestampColumn] + (view.createdTimestampColumn.map { [$0] } ?? []) + view.features.map(\.name)
        return viewColumns.map { mapped[$0] ?? $0 }
    }
}
