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
        var batch = RowBatch()
        var encoder = RowEncoder(schemaVersion: layout.currentSchema.version, types: layout.currentSchema.types)
        var values = [FeatureValue](repeating: .null, count: plan.features.count)
        var entity: [EntityKeyValue] = []
        let columnCount = source.columns.count
        // Plain (column, type) pairs for the per-row loops: iterating `plan.features` would
        // retain and release each Field's strings for every row. Names are looked up on error only.
        let keyColumns = plan.joinKeys.map { (column: $0.column, type: $0.type == .int64 ? ValueType.int64 : .string) }
        let featureColumns = plan.features.map { (column: $0.column, type: $0.field.type) }
        try source.forEachRow { row in
            rowsRead += 1
            do {
                guard row.fieldCount == columnCount else {
                    throw SourceError(file: source.name, line: row.line, column: nil,
                                      reason: "expected \(columnCount) fields, found \(row.fieldCount)")
                }
                entity.removeAll(keepingCapacity: true)
                for (position, key) in keyColumns.enumerated() {
                    guard !row.isEmpty(key.column) else {
                        throw SourceError(file: source.name, line: row.line, column: plan.joinKeys[position].name, reason: "missing join key")
                    }
                    switch row.value(key.column, as: key.type, format: format) {
                    case .success(.int64(let number)): entity.append(.int64(number))
                    case .success(.string(let text)): entity.append(.string(text))
                    case .success: break
                    case .failure(let error): throw SourceError(file: source.name, line: row.line, column: plan.joinKeys[position].name, reason: error.message)
                    }
                }
                let eventTime = try timestamp(row, plan.eventTime, source.name)
                guard interval.contains(eventTime) else {
                    rowsOutsideInterval += 1
                    return
                }
                let createdTime = try plan.createdTime.map { row.isEmpty($0.column) ? Int64.min : try timestamp(row, $0, source.name) } ?? Int64.min
                for (index, feature) in featureColumns.enumerated() {
                    switch row.value(feature.column, as: feature.type, format: format) {
                    case .success(let value): values[index] = value
                    case .failure(let error): throw SourceError(file: source.name, line: row.line, column: plan.features[index].field.name, reason: error.message)
                    }
                }
                let keyLength = KeyEncoding.length(of: entity)
                guard keyLength + KeyEncoding.historySuffixLength <= KeyEncoding.maxKeyLength else {
                    throw SourceError(file: source.name, line: row.line, column: plan.joinKeys.last?.name,
                                      reason: "the entity key is \(keyLength) bytes; at most \(KeyEncoding.maxKeyLength - KeyEncoding.historySuffixLength) fit")
                }
                do {
                    try encoder.encode(values)
                } catch let error as RowEncodingError {
                    throw SourceError(file: source.name, line: row.line, column: nil, reason: error.message)
                }
                batch.append(entity: entity, eventTime: eventTime, createdTime: createdTime, row: encoder.bytes)
                if batch.count >= options.batchSize {
                    try commit(&batch)
                    options.progress?(MaterializeProgress(view: view.name, rowsRead: rowsRead, bytesRead: source.bytesRead, totalBytes: source.totalBytes))
                }
            } catch let error as SourceError {
                guard let rejects else { throw error }
                try rejects.record(error)
                rowsRejected += 1
            }
        }
        try commit(&batch)
        options.progress?(MaterializeProgress(view: view.name, rowsRead: rowsRead, bytesRead: source.totalBytes, totalBytes: source.totalBytes))
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

    private func timestamp<Row: SourceRow>(_ row: Row, _ column: (name: String, column: Int), _ file: String) throws -> Int64 {
        guard !row.isEmpty(column.column) else {
            throw SourceError(file: file, line: row.line, column: column.name, reason: "missing timestamp")
        }
        switch row.timestamp(column.column, format: format) {
        case .success(let time): return time.microseconds
        case .failure(let error): throw SourceError(file: file, line: row.line, column: column.name, reason: error.message)
        }
    }
}
