import Foundation
import LMDBKit

/// The point-in-time join: for each entity row (keys, time `t`) and each requested view, the
/// history row with the largest event time `e <= t` (ties: larger created time, then later
/// snapshot), and null when there is none or when `e < t - ttl`.
///
/// Memory stays within the budget whatever the data: per view, the rows' (entity key, t, row
/// number) are sorted externally, looked up in entity-then-time order (so the history B-tree is
/// walked forwards, each page touched once), and the results sorted back by row number. A last
/// pass reads the entity rows again in input order and zips in each view's results.
struct HistoricalJoin {
    let environment: Environment
    let request: FeatureRequest
    let input: EntityRows
    let columns: [String]
    let options: HistoricalOptions

    private struct Part {
        let view: OnlineView
        let keyColumns: [Int]
        let keyTypes: [Entity.KeyType]
        let columns: [Int]
    }

    /// Runs the join inside `session`, calling `emit` with each input row's cells and feature
    /// values, in input order. Returns how many sorted runs spilled to disk.
    func run(_ session: borrowing OnlineSession, emit: ([FeatureValue], [FeatureValue]) throws -> Void) throws -> Int {
        guard let timeColumn = columns.firstIndex(of: options.timestampColumn) else {
            throw SourceError(file: input.name, line: 1, column: options.timestampColumn,
                              reason: "the entity rows have no timestamp column '\(options.timestampColumn)'; their columns: \(columns.joined(separator: ", "))")
        }
        let parts = try request.parts.map { part -> Part in
            let keyColumns = try part.joinKeys.map { key -> Int in
                guard let index = columns.firstIndex(of: key) else {
                    throw SourceError(file: input.name, line: 1, column: key,
                                      reason: "the entity rows have no join-key column '\(key)', which view \(part.view.name) needs; their columns: \(columns.joined(separator: ", "))")
                }
                return index
            }
            return Part(view: part.view, keyColumns: keyColumns, keyTypes: part.view.plan.keyTypes, columns: part.columns)
        }
        for name in request.names where columns.contains(name) {
            throw LarderError.unknown("feature column '\(name)' would repeat an entity-row column; use full feature names")
        }
        let directory = options.temporaryDirectory ?? NSTemporaryDirectory()
        let budget = max(1 << 16, options.memoryBudget / max(1, 2 * parts.count))

        // Pass 1: one sorter per view, keyed by entity ‖ t ‖ row number.
        let lookups = parts.map { _ in ExternalSorter(budget: budget, directory: directory) }
        var rowCount = 0
        try input.forEachRow(columns: columns) { line, cells in
            let time = try timestamp(cells[timeColumn], line: line)
            for (index, part) in parts.enumerated() {
                guard let entity = try entityKey(cells, part, line: line) else { continue }
                var key = entity
                key += withUnsafeBytes(of: (UInt64(bitPattern: time) ^ (1 << 63)).bigEndian) { Array($0) }
                key += withUnsafeBytes(of: UInt64(rowCount).bigEndian) { Array($0) }
                try lookups[index].append(key: key)
            }
            rowCount += 1
            if rowCount % 65_536 == 0 { options.progress?(rowCount / 2) }
        }

        // Pass 2: per view, walk the history in (entity, t) order; results keyed by row number.
        let maxSnapshot = min(options.asOfSnapshot ?? .max, session.visibleSnapshot)
        var results: [ExternalSorter] = []
        for (index, part) in parts.enumerated() {
            let found = ExternalSorter(budget: budget, directory: directory)
            let plan = part.view.plan
            var looked = 0
            try session.withCursor(on: plan.databases.history) { cursor in
                try lookups[index].forEachSorted { key, _ in
                    // The history pages read so far stay in the page cache; dropping them from
                    // this process keeps its resident memory bounded by the budget.
                    looked += 1
                    if looked % 65_536 == 0 { environment.releaseResidentPages() }
                    let entityLength = key.count - 16
                    let time = KeyEncoding.loadInt64(at: entityLength, in: key)
                    let row = Array(key[(entityLength + 8)...])
                    var search = Array(key[..<(entityLength + 8)])
                    search += [UInt8](repeating: 0xFF, count: 16)
                    var entry = try search.withUnsafeBytes { try cursor.seek(atMost: $0) }
                    while let current = entry, current.key.count == entityLength + KeyEncoding.historySuffixLength,
                          current.key.starts(with: key[..<entityLength]) {
                        let snapshot = KeyEncoding.loadUInt64(at: entityLength + 16, in: current.key)
                        if snapshot <= maxSnapshot {
                            let eventTime = KeyEncoding.loadInt64(at: entityLength, in: current.key)
                            if plan.ttl > 0, eventTime < time - plan.ttl { break }  // newest is too old: null
                            try found.append(key: row, payload: current.value)
                            break
                        }
                        entry = try cursor.previous()
                    }
                }
            }
            results.append(found)
        }
        options.progress?(rowCount * 3 / 4)

        // Pass 3: input order, each view's results zipped in by row number.
        let readers = try results.map { try $0.sortedReader() }
        var pending: [(row: Int, values: [FeatureValue])?] = readers.map { _ in nil }
        func nextResult(_ index: Int, _ part: Part) throws -> (row: Int, values: [FeatureValue])? {
            try readers[index].next { key, payload -> (Int, [FeatureValue]) in
                let row = Int(UInt64(bigEndian: key.loadUnaligned(as: UInt64.self)))
                guard let view = RowView(payload) else { return (row, []) }
                return (row, (0..<part.view.plan.count).map { feature in
                    let slot = part.view.plan.slot(feature, inVersion: view.schemaVersion)
                    return slot < 0 ? .null : view.value(slot, as: part.view.plan.types[feature])
                })
            }
        }
        for (index, part) in parts.enumerated() { pending[index] = try nextResult(index, part) }
        var rowNumber = 0
        var features = [FeatureValue](repeating: .null, count: request.names.count)
        try input.forEachRow(columns: columns) { _, cells in
            for index in features.indices { features[index] = .null }
            for (index, part) in parts.enumerated() {
                guard let result = pending[index], result.row == rowNumber else { continue }
                for (feature, column) in part.columns.enumerated() where feature < result.values.count {
                    features[column] = result.values[feature]
                }
                pending[index] = try nextResult(index, part)
            }
            try emit(cells, features)
            rowNumber += 1
            if rowNumber % 65_536 == 0 { options.progress?(rowCount * 3 / 4 + rowNumber / 4) }
        }
        options.progress?(rowCount)
        return (lookups + results).reduce(0) { $0 + $1.spilledRuns }
    }

    private func timestamp(_ cell: FeatureValue, line: Int) throws -> Int64 {
        let fail = { (reason: String) in
            SourceError(file: input.name, line: line, column: options.timestampColumn, reason: reason)
        }
        switch cell {
        case .timestamp(let time): return time.microseconds
        case .string(let text):
            switch TimestampParser.parse(text, format: options.timestampFormat) {
            case .success(let time): return time.microseconds
            case .failure(let error): throw fail(error.message)
            }
        case .int64(let number):
            switch TimestampParser.parse(String(number), format: options.timestampFormat) {
            case .success(let time): return time.microseconds
            case .failure(let error): throw fail(error.message)
            }
        case .null: throw fail("missing timestamp")
        default: throw fail("\(cell) is not a timestamp")
        }
    }

    /// The entity key of `cells` for `part`, or nil when a join key is empty (the row then
    /// gets nulls for that view, and is still returned).
    private func entityKey(_ cells: [FeatureValue], _ part: Part, line: Int) throws -> [UInt8]? {
        var values: [EntityKeyValue] = []
        for (position, column) in part.keyColumns.enumerated() {
            let cell = cells[column]
            switch (part.keyTypes[position], cell) {
            case (_, .null): return nil
            case (.int64, .int64(let number)): values.append(.int64(number))
            case (.int64, .string(let text)):
                guard let number = Int64(text) else {
                    throw SourceError(file: input.name, line: line, column: columns[column], reason: "'\(text)' is not an int64 join key")
                }
                values.append(.int64(number))
            case (.string, .string(let text)): values.append(.string(text))
            case (.string, .int64(let number)): values.append(.string(String(number)))
            default:
                throw SourceError(file: input.name, line: line, column: columns[column], reason: "\(cell) is not a valid join key")
            }
        }
        // A key no stored row can have (too long for LMDB) matches nothing: nulls, not an error.
        return KeyEncoding.fits(values) ? KeyEncoding.encode(values) : nil
    }
}
