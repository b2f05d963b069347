import Foundation
import LMDBKit

/// Reads one view's rows from a source, keeps those inside the interval, and writes them in
/// history key order (entity, event time, created time, then input order) in batches, each in
/// its own write transaction.
///
/// Written in key order, the history B-tree is filled in one forward pass whatever order the
/// source had: new keys are appended, and each leaf page of existing ones is touched once. Rows
/// that arrive in key order in long stretches (a dump sorted by entity, or day by day) are
/// written as they come, each stretch one forward pass; from the first short stretch on (a
/// source ordered by time, or in no order), the rest go through the external sorter, which
/// spills to run files past `options.memoryBudget`, and are written in order once all are read.
/// Memory is bounded by the budget and the batch size, not by the source; the rows carry the
/// run's snapshot id, which readers skip until the run's last commit makes it visible.
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
    /// Feature name → the statistics of the rows inside the interval.
    private(set) var statistics: [String: FeatureStatistics] = [:]
    /// Rows in committed batches, for progress reports.
    private(set) var rowsCommitted = 0

    mutating func run<Source: RowSource>(_ source: Source) throws {
        let sorter = ExternalSorter(budget: options.memoryBudget, directory: options.temporaryDirectory ?? NSTemporaryDirectory(), concurrentSpills: true)
        var batch = RowBatch(snapshot: writer.snapshot)
        try read(source, writingInOrderTo: &batch, sortingTheRestIn: sorter)
        try commit(&batch, totalBytes: source.totalBytes)
        try writeInBatches(try sorter.sortedReader(), totalBytes: source.totalBytes)
    }

    /// Writes the sorted rows: a worker thread fills the batches (never splitting the rows of
    /// one key) while this thread writes the one before.
    private mutating func writeInBatches(_ sorted: SortedReader, totalBytes: Int) throws {
        let pipeline = BatchPipeline(snapshot: writer.snapshot)
        let rows = UncheckedSendable(sorted), batchSize = options.batchSize
        pipeline.start { pipeline in
            guard var slot = pipeline.nextEmpty() else { return }
            try rows.value.forEach { key, row in
                let (entity, eventTime, createdTime) = (HistoryKey.entity(key), HistoryKey.eventTime(key), HistoryKey.createdTime(key))
                if slot.batch.count >= batchSize, !slot.batch.endsWith(entity: entity, eventTime: eventTime, createdTime: createdTime) {
                    pipeline.send(slot)
                    guard let next = pipeline.nextEmpty() else { throw CancellationError() }
                    slot = next
                }
                slot.batch.append(entity: entity, eventTime: eventTime, createdTime: createdTime, row: row)
            }
            pipeline.send(slot)
        }
        do {
            while let slot = try pipeline.receive() {
                try commit(&slot.batch, totalBytes: totalBytes)
                pipeline.recycle(slot)
            }
        } catch {
            pipeline.cancel()
            throw error
        }
    }

    /// Parses every row, counting what was read, outside the interval or rejected. Rows go to
    /// `batch` (committed when full, never between two rows of one key) while they arrive in
    /// key order, then to `sorter`.
    private mutating func read<Source: RowSource>(
        _ source: Source, writingInOrderTo batch: inout RowBatch, sortingTheRestIn sorter: ExternalSorter
    ) throws {
        var parser = RowParser(plan: plan, schema: layout.currentSchema, format: format, columnCount: source.columns.count, sourceName: source.name)
        // Counted in locals: the per-row closure then reads nothing of `self`, which would copy it.
        var read = 0, outside = 0, rejected = 0
        let collector = options.collectsStatistics ? ViewStatisticsCollector(fields: plan.features.map(\.field)) : nil
        defer {
            (rowsRead, rowsOutsideInterval, rowsRejected) = (read, outside, rejected)
            collector?.finish()
            statistics = collector?.statistics ?? [:]
        }
        // Lent to the per-row closure without a retain per row: `collector` outlives the loop.
        let rowCollector = collector.map(Unmanaged.passUnretained)
        let interval = interval, batchSize = options.batchSize, rejects = rejects, progress = options.progress, name = view.name
        let malformed: ((SourceError) throws -> Void)? = rejects.map { log in
            { error in
                try log.record(error)
                rejected += 1
            }
        }
        var order = KeyOrder()
        var sorting = false
        var sequence: UInt64 = 0
        try source.forEachRow(malformed: malformed) { row in
            read += 1
            do throws(SourceError) {
                try parser.readKeyAndTimes(row)
                guard interval.contains(parser.eventTime) else {
                    outside += 1
                    return
                }
                try parser.readFeatures(row)
                if let rowCollector { parser.withEncodedRow { row in rowCollector._withUnsafeGuaranteedRef { $0.add(encodedRow: row) } } }
            } catch {
                guard let rejects else { throw error }
                try rejects.record(error)
                rejected += 1
                return
            }
            if !sorting {
                let (entity, eventTime, createdTime) = (parser.entityKey, parser.eventTime, parser.createdTime)
                if !order.follows(entity: entity, eventTime: eventTime, createdTime: createdTime) {
                    guard order.runLength >= batchSize else {
                        // A short stretch in order (a time-ordered or shuffled source): it and
                        // every row after it go through the sorter.
                        sorting = true
                        sequence = try batch.moveRows(to: sorter, firstSequence: sequence)
                        try parser.append(to: sorter, sequence: sequence)
                        sequence += 1
                        return
                    }
                    // A long stretch in order ended (a dump sorted day by day): it is written
                    // whole, and the next one starts here.
                    try commit(&batch, totalBytes: source.totalBytes, rowsRead: read, bytesRead: source.bytesRead)
                    order.restart()
                    _ = order.follows(entity: entity, eventTime: eventTime, createdTime: createdTime)
                }
                if batch.count >= batchSize, !batch.endsWith(entity: entity, eventTime: eventTime, createdTime: createdTime) {
                    try commit(&batch, totalBytes: source.totalBytes, rowsRead: read, bytesRead: source.bytesRead)
                }
                parser.append(to: &batch)
                return
            }
            try parser.append(to: sorter, sequence: sequence)
            sequence += 1
            if sequence % UInt64(batchSize) == 0 {
                progress?(MaterializeProgress(view: name, rowsRead: read, bytesRead: source.bytesRead, totalBytes: source.totalBytes, rowsWritten: rowsCommitted))
            }
        }
    }

    /// Writes a batch in its own transaction and reports progress. The writer's counts are
    /// taken from the attempt that committed (a write may run again after the map grew).
    private mutating func commit(_ batch: inout RowBatch, totalBytes: Int, rowsRead: Int? = nil, bytesRead: Int? = nil) throws {
        guard batch.count > 0 else { return }
        batch.sort()  // in order already, unless the source repeated a key: then one short pass
        var committed = writer
        try environment.write { txn in
            committed = writer
            try committed.write(batch, txn)
        }
        writer = committed
        rowsCommitted += batch.count
        batch.removeAll()
        options.progress?(MaterializeProgress(view: view.name, rowsRead: rowsRead ?? self.rowsRead, bytesRead: bytesRead ?? totalBytes,
                                              totalBytes: totalBytes, rowsWritten: rowsCommitted))
    }
}

/// Whether rows arrive in history key order: each (entity, event time, created time) at or
/// after the one before, and for how many rows in a row. Entity keys are prefix-free, so
/// comparing them first and then the times gives the order of the whole keys.
struct KeyOrder: ~Copyable {
    /// Rows in order since the start or the last `restart()`.
    private(set) var runLength = 0
    private var previous = GrowableBytes(capacity: 64)
    private var previousTimes: (Int64, Int64)?

    /// Whether a row with this key continues the run (it then becomes the last row of it).
    mutating func follows(entity: UnsafeRawBufferPointer, eventTime: Int64, createdTime: Int64) -> Bool {
        if let previousTimes {
            let order = previous.withBytes { compareBytes(entity, $0) }
            guard order > 0 || (order == 0 && (eventTime, createdTime) >= previousTimes) else { return false }
        }
        previous.removeAll()
        previous.append(entity)
        previousTimes = (eventTime, createdTime)
        runLength += 1
        return true
    }

    /// Starts a new run.
    mutating func restart() {
        previousTimes = nil
        runLength = 0
    }
}
