import Foundation
import LMDBKit

/// Reads one view's rows from a source, keeps those inside the interval, puts them in history
/// key order (entity, event time, created time, then input order) with the external sorter,
/// and writes them in that order in batches, each in its own write transaction.
///
/// Written in key order, the history B-tree is filled in one forward pass whatever order the
/// source had: new keys are appended, and each leaf page of existing ones is touched once. The
/// sorter spills to run files past `options.memoryBudget`, so memory is bounded by the budget
/// and the batch size, not by the source; the rows carry the run's snapshot id, which readers
/// skip until the run's last commit makes it visible.
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
    /// Sorted runs the rows spilled to disk.
    private(set) var spilledRuns = 0

    mutating func run<Source: RowSource>(_ source: Source) throws {
        let sorter = ExternalSorter(budget: options.memoryBudget, directory: options.temporaryDirectory ?? NSTemporaryDirectory())
        try read(source, into: sorter)
        spilledRuns = sorter.spilledRuns
        try write(try sorter.sortedReader(), totalBytes: source.totalBytes)
    }

    /// Parses every row into `sorter`, counting what was read, outside the interval or rejected.
    private mutating func read<Source: RowSource>(_ source: Source, into sorter: ExternalSorter) throws {
        var parser = RowParser(plan: plan, schema: layout.currentSchema, format: format, columnCount: source.columns.count, sourceName: source.name)
        // Counted in locals: the per-row closure then reads nothing of `self`, which would copy it.
        var read = 0, outside = 0, rejected = 0
        defer { (rowsRead, rowsOutsideInterval, rowsRejected) = (read, outside, rejected) }
        let interval = interval, progressEvery = options.batchSize, rejects = rejects, progress = options.progress, name = view.name
        let malformed: ((SourceError) throws -> Void)? = rejects.map { log in
            { error in
                try log.record(error)
                rejected += 1
            }
        }
        var sequence: UInt64 = 0
        try source.forEachRow(malformed: malformed) { row in
            read += 1
            if read % progressEvery == 0 {
                progress?(MaterializeProgress(view: name, rowsRead: read, bytesRead: source.bytesRead, totalBytes: source.totalBytes))
            }
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
            try parser.append(to: sorter, sequence: sequence)
            sequence += 1
        }
    }

    /// Writes the sorted rows in batches of `options.batchSize`, each in its own transaction.
    private mutating func write(_ rows: SortedReader, totalBytes: Int) throws {
        var batch = RowBatch(snapshot: writer.snapshot)
        let batchSize = options.batchSize
        var written = 0
        func commitAndReport(_ batch: inout RowBatch) throws {
            written += batch.count
            try commit(&batch)
            options.progress?(MaterializeProgress(view: view.name, rowsRead: rowsRead, bytesRead: totalBytes, totalBytes: totalBytes, rowsWritten: written))
        }
        try rows.forEach { key, row in
            batch.append(entity: HistoryKey.entity(key), eventTime: HistoryKey.eventTime(key), createdTime: HistoryKey.createdTime(key), row: row)
            if batch.count >= batchSize { try commitAndReport(&batch) }
        }
        try commitAndReport(&batch)
    }

    /// Writes a batch in its own transaction. The writer's counts are taken from the attempt
    /// that committed (a write may run again after the map grew).
    private mutating func commit(_ batch: inout RowBatch) throws {
        guard batch.count > 0 else { return }
        batch.sort()  // already in order: one pass that finds nothing to move
        var committed = writer
        try environment.write { txn in
            committed = writer
            try committed.write(batch, txn)
        }
        writer = committed
        batch.removeAll()
    }
}
