/// Turns one view's source rows into history entries: the entity key, the event and created
/// times, and the encoded row, parsed straight from the source's fields into reused buffers.
///
/// Everything the per-row work needs is copied in here once per run, so the loop touches no
/// reference-counted state (walking `ColumnPlan`'s fields would retain their names per row).
/// Non-copyable so that the per-row closure borrows it in place: as a copyable struct captured
/// `inout`, each call of a non-mutating method copied it (a retain per field, per row).
struct RowParser: ~Copyable {
    private let sourceName: String
    private let plan: ColumnPlan
    private let format: TimestampFormat
    private let columnCount: Int
    private let keyColumns: [(column: Int, type: Entity.KeyType)]
    private let eventColumn: Int
    private let createdColumn: Int?
    private let featureColumns: [(column: Int, type: ValueType)]

    /// The current row's entity key, in the key encoding: `entityLength` bytes at the start of
    /// `key`, which has room for the longest storable history key.
    private let key = UnsafeMutableRawBufferPointer.allocate(byteCount: KeyEncoding.maxKeyLength, alignment: 8)
    private var entity: UnsafeMutableRawBufferPointer { UnsafeMutableRawBufferPointer(rebasing: key[..<KeyEncoding.maxEntityKeyLength]) }
    private var entityLength = 0

    /// The current row's entity key.
    var entityKey: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: key[..<entityLength]) }
    private(set) var eventTime: Int64 = 0
    /// `Int64.min` when the view has no created-time column or the field is empty.
    private(set) var createdTime: Int64 = .min
    /// The current row, encoded (valid after `readFeatures`).
    private(set) var encoder: RowEncoder
    /// The last event-time field and its value: batch files often give every row the same time.
    private var lastEventField: [UInt8] = []
    private var lastEventTime: Int64?

    init(plan: ColumnPlan, schema: SchemaVersion, format: TimestampFormat, columnCount: Int, sourceName: String) {
        self.sourceName = sourceName
        self.plan = plan
        self.format = format
        self.columnCount = columnCount
        keyColumns = plan.joinKeys.map { ($0.column, $0.type) }
        eventColumn = plan.eventTime.column
        createdColumn = plan.createdTime?.column
        featureColumns = plan.features.map { ($0.column, $0.field.type) }
        encoder = RowEncoder(schemaVersion: schema.version, types: schema.types)
    }

    deinit { key.deallocate() }

    /// Reads the entity key and the times: enough to decide whether the row is in the interval.
    mutating func readKeyAndTimes<Row: SourceRow>(_ row: Row) throws(SourceError) {
        guard row.fieldCount == columnCount else {
            throw SourceError(file: sourceName, line: row.line, column: nil, reason: "expected \(columnCount) fields, found \(row.fieldCount)")
        }
        entityLength = 0
        for (position, key) in keyColumns.enumerated() {
            switch row.writeKey(key.column, as: key.type, into: entity, at: entityLength) {
            case .success(.written(let count)): entityLength += count
            case .success(.null): throw error(row, plan.joinKeys[position].name, "missing join key")
            case .success(.unstorable):
                throw error(row, plan.joinKeys[position].name, "the entity key is longer than the \(KeyEncoding.maxEntityKeyLength) bytes that fit")
            case .failure(let problem): throw error(row, plan.joinKeys[position].name, problem.message)
            }
        }
        eventTime = try cachedEventTime(row)
        createdTime = .min
        if let createdColumn, !row.isEmpty(createdColumn) {
            createdTime = try timestamp(row, createdColumn, plan.createdTime?.name)
        }
    }

    /// Parses the features into `encoder`.
    mutating func readFeatures<Row: SourceRow>(_ row: Row) throws(SourceError) {
        encoder.begin()
        for (index, feature) in featureColumns.enumerated() {
            if let problem = row.encode(feature.column, as: feature.type, format: format, into: &encoder, field: index) {
                throw error(row, plan.features[index].field.name, problem.message)
            }
        }
    }

    /// Adds the current row to `sorter`: its history key, with `sequence` (the row's place in
    /// the input) where the snapshot id goes, so that rows with equal keys stay in input order;
    /// the encoded row as payload.
    func append(to sorter: ExternalSorter, sequence: UInt64) throws {
        let length = HistoryKey.length(entityLength: entityLength)
        HistoryKey.writeSuffix(eventTime: eventTime, createdTime: createdTime, snapshot: sequence, entityLength: entityLength,
                               into: UnsafeMutableRawBufferPointer(rebasing: key[..<length]))
        try encoder.bytes.withUnsafeBytes { row in
            try sorter.append(key: UnsafeRawBufferPointer(rebasing: key[..<length]), payload: row)
        }
    }

    /// Lends the current row's encoded bytes (valid after `readFeatures`).
    func withEncodedRow(_ body: (UnsafeRawBufferPointer) -> Void) {
        encoder.bytes.withUnsafeBytes(body)
    }

    /// Adds the current row to `batch`.
    func append(to batch: inout RowBatch) {
        encoder.bytes.withUnsafeBytes { row in
            batch.append(entity: UnsafeRawBufferPointer(rebasing: entity[..<entityLength]), eventTime: eventTime, createdTime: createdTime, row: row)
        }
    }

    private mutating func cachedEventTime<Row: SourceRow>(_ row: Row) throws(SourceError) -> Int64 {
        guard let field = row.rawField(eventColumn) else { return try timestamp(row, eventColumn, plan.eventTime.name) }
        if let lastEventTime, lastEventField.withUnsafeBytes({ equalBytes($0, field) }) { return lastEventTime }
        let time = try timestamp(row, eventColumn, plan.eventTime.name)
        lastEventField.removeAll(keepingCapacity: true)
        lastEventField.append(contentsOf: field)
        lastEventTime = time
        return time
    }

    private func timestamp<Row: SourceRow>(_ row: Row, _ column: Int, _ name: String?) throws(SourceError) -> Int64 {
        switch row.time(column, format: format) {
        case .success(let time): return time
        case .failure(let problem): throw error(row, name, problem.message)
        }
    }

    private func error<Row: SourceRow>(_ row: Row, _ column: String?, _ reason: String) -> SourceError {
        SourceError(file: sourceName, line: row.line, column: column, reason: reason)
    }
}
