import LMDBKit

/// Reads one view's rows from a source, keeps those inside the interval, and writes them in
/// sorted batches, each in its own write transaction. Memory is bounded by the batch size, not
/// by the source: the rows carry the run's snapshot id, which readers skip until the run's last
/// commit makes it visible.
struct ViewMaterializer {
    let environment: Environment
    let view: FeatureView
    let layout: ViewRecord
    let plan: ColumnPlan
    let format: TimestampFormat
    let interval: Range<Int64>
    let options: MaterializeOptions
    let rejects: RejectLog?
    var writer: HistoryWriter

    private(set) var rowsRead = 0
    private(set) var rowsOutsideInterval = 0
    private(set) var rowsRejected = 0

    mutating func run<Source: RowSource>(_ source: Source) throws {
        var batch = RowBatch(snapshot: writer.snapshot)
        var parser = RowParser(plan: plan, schema: layout.currentSchema, format: format, columnCount: source.columns.count, sourceName: source.name)
        // Counted in locals: the per-row closure then reads nothing of `self`, which would copy it.
        var read = 0, outside = 0, rejected = 0
        defer { (rowsRead, rowsOutsideInterval, rowsRejected) = (read, outside, rejected) }
        let interval = interval, batchSize = options.batchSize, rejects = rejects
        let malformed: ((SourceError) throws -> Void)? = rejects.map { log in
            { error in
                try log.record(error)
                rejected += 1
            }
        }
        try source.forEachRow(malformed: malformed) { row in
            read += 1
            do throws(SourceError) {
                try parser.readKeyAndTimes(row)
                guard interval.contains(parser.eventTime) else {
                    outside += 1
                    return
                }
                try parser.readFeatures(row)
            } catch {
                guard let rejects else { throw error }
                try rejects.record(error)
                rejected += 1
                return
            }
            parser.append(to: &batch)
            if batch.count >= batchSize {
                try commit(&batch)
                options.progress?(MaterializeProgress(view: view.name, rowsRead: read, bytesRead: source.bytesRead, totalBytes: source.totalBytes))
            }
        }
        try commit(&batch)
        options.progress?(MaterializeProgress(view: view.name, rowsRead: read, bytesRead: source.totalBytes, totalBytes: source.totalBytes))
    }

    /// Sorts and writes a batch in its own transaction. The writer's counts are taken from the
    /// attempt that committed (a write may run again after the map grew).
    private mutating func commit(_ batch: inout RowBatch) throws {
        guard batch.count > 0 else { return }
        batch.sort()
        var committed = writer
        try environment.write { txn in
            committed = writer
            try committed.write(batch, txn)
        }
        writer = committed
        batch.removeAll()
    }
}
