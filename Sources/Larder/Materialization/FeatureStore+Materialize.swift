import Foundation
import LMDBKit

extension FeatureStore {
    /// Loads the rows of `views` (all views with file sources when `nil`) whose event time lies
    /// in `[start, end)`, recorded as a new snapshot that readers see all at once when the run
    /// commits its last batch.
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
        guard start <= end else {
            throw LarderError.invalidArgument(name: "from", reason: "the interval's start \(start) is after its end \(end)")
        }
        return try run(kind: .materialization, views: views, options: options) { _, _ in (start, end) }
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
    /// Any view takes pushes: one fed by a file gets the rows given (its file is not read) and
    /// keeps its materialization watermark.
    ///
    /// Each row maps column names (join keys, the event-timestamp column, optionally the
    /// created-timestamp column, features) to values; missing features are null.
    @discardableResult
    public func push(_ rows: [[String: FeatureValue]], to view: String) throws -> Snapshot {
        try run(kind: .push, views: [view], options: .stopOnInvalid, pushed: rows) { _, _ in
            (Timestamp(microseconds: Int64.min), Timestamp(microseconds: Int64.max))
        }
    }

    /// A run commits in three steps: the first claims a snapshot id and marks the run pending
    /// (cleaning up after a run that died), each batch then commits on its own (so memory stays
    /// bounded), and the last records the snapshot and makes it visible. Readers skip the rows of
    /// a pending snapshot, so they see all of a run or nothing of it; a failed run removes what
    /// it wrote, and one killed midway is cleaned up by the next.
    private func run(
        kind: Snapshot.Kind,
        views names: [String]?,
        options: MaterializeOptions,
        pushed: [[String: FeatureValue]]? = nil,
        interval: (_ watermark: Timestamp?, _ view: FeatureView) -> (Timestamp, Timestamp)
    ) throws -> Snapshot {
        let startedAt = Timestamp.now
        if let rejectsFile = options.rejectsFile {
            try OutputFile.checkDestination(rejectsFile, inputs: try sourceFiles(of: names, pushing: pushed != nil), store: path)
        }
        // Held from before the first commit until after the last (or the rollback): while it is
        // held no other writer, in this process or another, takes the run for abandoned.
        let lock = try acquireRunLock(wait: options.wait)
        defer { lock.release() }
        let (id, registry, records, databases) = try environment.write { txn -> (UInt64, Registry, [ViewRecord], [UInt32: ViewDatabases]) in
            let current = try self.registry(in: txn)
            let records = try viewNames(names, in: current, pushing: pushed != nil).map { try current.layout(of: $0).record }
            try PendingRun.recoverAbandoned(store: self, txn, holding: lock)
            let id = try StoreMeta.takeNextID(StoreMeta.nextSnapshotIDKey, limit: .max, in: meta, txn)
            var databases: [UInt32: ViewDatabases] = [:]
            for record in records { databases[record.id] = try self.databases(of: record, in: txn) }
            try PendingRun(snapshot: id, views: records.map { $0.id }).save(in: meta, txn)
            return (id, current, records, databases)
        }
        var rejects: RejectLog?
        var committed = false
        do {
            rejects = try options.rejectsFile.map { try RejectLog(path: $0, access: options.rejectsAccess) }
            var runs: [ViewRun] = []
            var statistics: [(view: String, features: [String: FeatureStatistics])] = []
            var watermarks: [(key: [UInt8], value: Timestamp)] = []
            for record in records {
                guard let handles = databases[record.id] else { continue }
                let (run, watermark, features) = try materialize(
                    record, registry: registry, databases: handles, snapshot: id, options: options,
                    rejects: rejects, pushed: pushed, interval: interval)
                runs.append(run)
                statistics.append((run.view, features))
                if let watermark { watermarks.append((StoreMeta.watermarkKey(view: record.id), watermark)) }
            }
            let snapshot = Snapshot(id: id, kind: kind, views: runs, startedAt: startedAt, finishedAt: .now,
                                    rejectsFile: options.rejectsFile)
            try environment.write { txn in
                guard try PendingRun.load(from: meta, txn)?.snapshot == id else {
                    throw LarderError.runInterrupted(snapshot: id)
                }
                try SnapshotStorage.save(snapshot, in: snapshotsDatabase, txn)
                // Visible with the snapshot, in its commit: a run's statistics are all there or none.
                if let statisticsDatabase, options.collectsStatistics {
                    for (view, features) in statistics {
                        try StatisticsStorage.save(features, snapshot: id, view: view, in: statisticsDatabase, txn)
                    }
                }
                for (key, value) in watermarks {
                    try StoreMeta.writeUInt64(UInt64(bitPattern: value.microseconds), key, in: meta, txn)
                }
                // Stores made before visible_snapshot existed have none: every snapshot is visible.
                let visible = try StoreMeta.readUInt64(StoreMeta.visibleSnapshotKey, in: meta, txn) ?? 0
                try StoreMeta.writeUInt64(max(visible, id), StoreMeta.visibleSnapshotKey, in: meta, txn)
                try txn.delete(StoreMeta.pendingRunKey, in: meta)
            }
            committed = true
            try rejects?.finish()
            return snapshot
        } catch {
            rejects?.discard()
            // Once the last commit landed the run is complete: never undo it.
            guard !committed else { throw error }
            try? environment.write { txn in
                try PendingRun(snapshot: id, views: records.map { $0.id }).rollBack(store: self, txn)
            }
            throw error
        }
    }

    /// The source files a run of `names` reads, which its rejects file must not replace.
    private func sourceFiles(of names: [String]?, pushing: Bool) throws -> [String] {
        let registry = try self.registry
        return try viewNames(names, in: registry, pushing: pushing).compactMap { name -> String? in
            switch registry.view(named: name).flatMap({ registry.source(named: $0.source) })?.kind {
            case .csv(let path, _), .jsonLines(let path), .parquet(let path): path
            case .push, nil: nil
            }
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
                throw LarderError.unknownView(name: name, known: Array(registry.views.keys))
            }
            let isPush = registry.source(named: view.source)?.kind == .push
            if isPush, !pushing {
                throw LarderError.pushSourceMaterialized(view: name)
            }
        }
        return names
    }

    private func materialize(
        _ record: ViewRecord,
        registry: Registry,
        databases: ViewDatabases,
        snapshot: UInt64,
        options: MaterializeOptions,
        rejects: RejectLog?,
        pushed: [[String: FeatureValue]]?,
        interval: (Timestamp?, FeatureView) -> (Timestamp, Timestamp)
    ) throws -> (ViewRun, Timestamp?, [String: FeatureStatistics]) {
        let view = record.definition
        guard let source = registry.source(named: view.source) else {
            throw LarderError.damagedStore(path: path, reason: "view \(view.name) names source '\(view.source)', which the registry does not have")
        }
        let entities = view.entities.compactMap { registry.entity(named: $0) }
        let watermarkKey = StoreMeta.watermarkKey(view: record.id)
        let watermark = try environment.read { txn in
            try StoreMeta.readUInt64(watermarkKey, in: meta, txn).map { Timestamp(microseconds: Int64(bitPattern: $0)) }
        }
        let (start, requestedEnd) = interval(watermark, view)
        // An incremental run to a time before the watermark has nothing to load.
        let end = max(start, requestedEnd)

        func prepare(columns: [String], name: String) throws -> ViewMaterializer {
            ViewMaterializer(
                environment: environment, view: view, layout: record,
                plan: try ColumnPlan(view: view, entities: entities, source: source, columns: columns, sourceName: name),
                format: source.timestampFormat, interval: start.microseconds..<end.microseconds, options: options, rejects: rejects,
                writer: HistoryWriter(environment: environment, databases: databases, snapshot: snapshot, keepsOnline: view.online))
        }
        var materializer: ViewMaterializer
        var fingerprint: SourceFingerprint?
        // A push writes the rows it was given, whatever source feeds the view at other times
        // (as Feast's write-to-online-store does); it never reads the source.
        let isPush = pushed != nil
        switch isPush ? .push : source.kind {
        case .push:
            let rows = PushRowSource(rows: pushed ?? [], columns: Self.sourceColumns(of: view, entities: entities, source: source))
            materializer = try prepare(columns: rows.columns, name: rows.name)
            try materializer.run(rows)
        case .csv(let path, let delimiter):
            let rows = try CSVRowSource(path: path, delimiter: delimiter)
            materializer = try prepare(columns: rows.columns, name: path)
            try materializer.run(rows)
            fingerprint = rows.fingerprint
        case .jsonLines(let path):
            let job = FingerprintJob(files: [path], path: path)
            let rows = JSONLinesRowSource(name: path, columns: Self.sourceColumns(of: view, entities: entities, source: source))
            materializer = try prepare(columns: rows.columns, name: path)
            try materializer.run(rows)
            fingerprint = try job.finish()
        case .parquet(let path):
            let columns = Self.sourceColumns(of: view, entities: entities, source: source)
            // Row groups whose event-time statistics lie outside the interval are not read.
            // Every file's column types are checked against the view's before a row is read.
            let rows = try ParquetRowSource(path: path, columns: columns, expected: Self.viewColumns(of: view, entities: entities).map(\.expected),
                                            window: (columns[entities.count], start.microseconds..<end.microseconds))
            let job = FingerprintJob(files: rows.paths, path: path)
            materializer = try prepare(columns: rows.columns, name: path)
            try materializer.run(rows)
            fingerprint = try job.finish()
        }
        let newWatermark = max(watermark ?? end, end)
        let run = ViewRun(
            view: view.name, start: start, end: end, source: fingerprint, rowsRead: materializer.rowsRead,
            rowsWritten: materializer.writer.rowsWritten, rowsUnchanged: materializer.writer.rowsUnchanged,
            rowsOutsideInterval: materializer.rowsOutsideInterval, rowsRejected: materializer.rowsRejected,
            onlineRowsUpdated: materializer.writer.onlineRowsUpdated, watermarkBefore: watermark,
            watermarkAfter: isPush ? (watermark ?? start) : newWatermark,
            newestEventTime: materializer.writer.newestEventTime.map { Timestamp(microseconds: $0) })
        return (run, isPush ? nil : newWatermark, materializer.statistics)
    }

    /// The source column names a view reads, for sources without a header (JSON Lines).
    static func sourceColumns(of view: FeatureView, entities: [Entity], source: Source) -> [String] {
        var mapped: [String: String] = [:]
        for (sourceColumn, viewColumn) in source.columnMapping { mapped[viewColumn] = sourceColumn }
        return viewColumns(of: view, entities: entities).map { mapped[$0.name] ?? $0.name }
    }

    /// The columns a view reads, in the order of `sourceColumns`, and what each must hold.
    static func viewColumns(of view: FeatureView, entities: [Entity]) -> [(name: String, expected: ExpectedColumn)] {
        entities.map { ($0.joinKey, ExpectedColumn.key($0.keyType)) } + [(view.timestampColumn, .time)]
            + (view.createdTimestampColumn.map { [($0, .time)] } ?? []) + view.features.map { ($0.name, .value($0.type)) }
    }
}
