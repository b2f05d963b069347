import Foundation
import LMDBKit

/// The point-in-time join: for each entity row (keys, time `t`) and each requested view, the
/// history row with the largest event time `e <= t` (ties: larger created time, then later
/// snapshot), and null when there is none or when `e < t - ttl`.
///
/// Memory stays within the budget whatever the data: per view, the rows' (entity key, t, row
/// number) are sorted externally, looked up in entity-then-time order (so the history B-tree is
/// walked forwards, each page touched once), each match put in its row's place. A last pass
/// reads the entity rows again in input order and zips in each view's matches.
struct HistoricalJoin {
    let environment: Environment
    let request: FeatureRequest
    let input: EntityRows
    let columns: [String]
    let options: HistoricalOptions

    /// The time and row number after the entity key in a lookup's sort key.
    private static let lookupSuffixLength = 16

    /// Where a view's join-key value is in the entity rows, and its type.
    private struct KeyCellPlace {
        let column: Int
        let type: Entity.KeyType
    }

    private struct Part {
        let view: PreparedView
        let keyColumns: [Int]
        let keyTypes: [Entity.KeyType]
        let columns: [Int]
    }

    /// Runs the join inside `session`, calling `emit` with each input row and its feature
    /// values, in input order. Returns how many sorted runs spilled to disk.
    func run(_ session: borrowing ReadSession, emit: (EntityRow, JoinedFeatures) throws -> Void) throws -> Int {
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
            throw LarderError.featureColumnCollision(name)
        }
        let directory = options.temporaryDirectory ?? NSTemporaryDirectory()
        // At most one buffer more than there are views holds data at a time (pass 2 drains a
        // view's lookups while filling its match table; the other views' lookups or matches
        // wait; a sort needs a scratch buffer), and each goes back to the pool for the next.
        let budget = max(1 << 16, options.memoryBudget / (parts.count + 1))
        let buffers = Buffers(budget: budget, directory: directory, pool: BufferPool(budget: budget))

        let (lookups, rowCount) = try sortLookups(parts, timeColumn: timeColumn, buffers: buffers)
        let results = try walkHistory(session, parts, lookups, rowCount: rowCount, buffers: buffers)
        options.progress?(rowCount * 3 / 4)
        try emitInInputOrder(parts, results, rowCount: rowCount, emit: emit)
        options.progress?(rowCount)
        return lookups.reduce(0) { $0 + $1.spilledRuns } + results.reduce(0) { $0 + $1.spilledRuns }
    }

    /// The memory budget per buffer, where spills go, and the pool the passes share.
    private struct Buffers {
        let budget: Int
        let directory: String
        let pool: BufferPool
    }

    /// Pass 1: one sorter per view, keyed by entity ‖ t ‖ row number. Returns the sorters and
    /// the number of entity rows.
    private func sortLookups(_ parts: [Part], timeColumn: Int, buffers: Buffers) throws -> ([ExternalSorter], Int) {
        let lookups = parts.map { _ in ExternalSorter(budget: buffers.budget, directory: buffers.directory, pool: buffers.pool) }
        var rowCount = 0
        // Entity key ‖ t ‖ row number, written in place for each row and view: raw memory, as
        // an array here was retained and resized around every lookup.
        let key = UnsafeMutableRawBufferPointer.allocate(byteCount: KeyEncoding.maxEntityKeyLength + Self.lookupSuffixLength, alignment: 8)
        defer { key.deallocate() }
        // Every view's join-key cells in one flat array of plain pairs, so the per-row loop
        // copies (and retains) no arrays.
        let keyCells = parts.flatMap { part in zip(part.keyColumns, part.keyTypes).map { KeyCellPlace(column: $0, type: $1) } }
        var keyRanges: [Range<Int>] = []
        for part in parts {
            let start = keyRanges.last?.upperBound ?? 0
            keyRanges.append(start..<start + part.keyColumns.count)
        }
        try input.forEachRow(columns: columns) { line, row in
            let time: Int64
            switch row.time(timeColumn, format: options.timestampFormat) {
            case .success(let value): time = value
            case .failure(let error): throw SourceError(file: input.name, line: line, column: options.timestampColumn, reason: error.message)
            }
            for index in keyRanges.indices {
                guard let length = try entityKey(row, keyCells, keyRanges[index], line: line, into: key) else { continue }
                KeyEncoding.storeInt64(time, at: length, in: key)
                KeyEncoding.storeUInt64(UInt64(rowCount), at: length + 8, in: key)
                try lookups[index].append(key: UnsafeRawBufferPointer(rebasing: key[..<(length + Self.lookupSuffixLength)]))
            }
            rowCount += 1
            if rowCount % 65_536 == 0 { options.progress?(rowCount / 2) }
        }
        return (lookups, rowCount)
    }

    /// Pass 2: per view, walk the history in (entity, t) order, each match put in its row's place.
    private func walkHistory(
        _ session: borrowing ReadSession, _ parts: [Part], _ lookups: [ExternalSorter], rowCount: Int, buffers: Buffers
    ) throws -> [MatchesByRow] {
        let maxSnapshot = min(options.asOfSnapshot ?? .max, session.visibleSnapshot)
        var results: [MatchesByRow] = []
        for (index, part) in parts.enumerated() {
            // Sorted first: the sort's spare buffer goes back to the pool for the match table.
            let sorted = try lookups[index].sortedReader()
            let found = MatchesByRow(rows: rowCount, budget: buffers.budget, directory: buffers.directory, pool: buffers.pool)
            var walk = HistoryWalk(maxSnapshot: maxSnapshot, ttl: part.view.plan.ttl)
            var looked = 0
            try session.withCursor(on: part.view.plan.databases.history) { cursor in
                try sorted.forEach { key, _ in
                    // The history pages read so far stay in the page cache; dropping them from
                    // this process keeps its resident memory bounded by the budget.
                    looked += 1
                    if looked % 65_536 == 0 { environment.releaseResidentPages() }
                    let entityLength = key.count - Self.lookupSuffixLength
                    let time = KeyEncoding.loadInt64(at: entityLength, in: key)
                    let row = Int(KeyEncoding.loadUInt64(at: entityLength + 8, in: key))
                    if let stored = try walk.lookUp(cursor, entity: UnsafeRawBufferPointer(rebasing: key[..<entityLength]), time: time) {
                        try found.set(row, to: stored)
                    }
                }
            }
            results.append(found)
        }
        return results
    }

    /// Pass 3: the entity rows again, in input order, each view's matches zipped in by row number.
    private func emitInInputOrder(
        _ parts: [Part], _ results: [MatchesByRow], rowCount: Int, emit: (EntityRow, JoinedFeatures) throws -> Void
    ) throws {
        let readers = try results.map { try $0.reader() }
        let matches = parts.map { MatchedRow(plan: $0.view.plan) }
        var sources = [(view: Int, feature: Int)](repeating: (-1, 0), count: request.names.count)
        for (index, part) in parts.enumerated() {
            for (feature, column) in part.columns.enumerated() { sources[column] = (index, feature) }
        }
        let features = JoinedFeatures(sources: sources, matches: matches)
        var rowNumber = 0
        try input.forEachRow(columns: columns) { _, row in
            for index in readers.indices {
                try readers[index].match(rowNumber) { stored in
                    if let stored { matches[index].set(stored) } else { matches[index].clear() }
                }
            }
            try emit(row, features)
            rowNumber += 1
            if rowNumber % 65_536 == 0 { options.progress?(rowCount * 3 / 4 + rowNumber / 4) }
        }
    }

    /// Writes the entity key of `row` from its join-key cells `cells[range]` at the start of
    /// `key`; returns its length, or nil when a cell is empty (the row then gets nulls for that
    /// view, and is still returned) or the key is too long for LMDB (no stored row has it).
    private func entityKey(_ row: EntityRow, _ cells: [KeyCellPlace], _ range: Range<Int>, line: Int, into key: UnsafeMutableRawBufferPointer) throws -> Int? {
        var length = 0
        var isStorable = true
        // Room for the longest storable entity key; the t and row number go after it.
        let entityRoom = UnsafeMutableRawBufferPointer(rebasing: key[..<KeyEncoding.maxEntityKeyLength])
        for place in range {
            let cell = cells[place]
            switch row.writeKey(cell.column, as: cell.type, into: entityRoom, at: length) {
            case .success(.written(let count)): length += count
            case .success(.null): return nil
            // Later cells are still read, so that a bad one is reported.
            case .success(.unstorable): isStorable = false
            case .failure(let error): throw SourceError(file: input.name, line: line, column: columns[cell.column], reason: error.message)
            }
        }
        return isStorable ? length : nil
    }
}
