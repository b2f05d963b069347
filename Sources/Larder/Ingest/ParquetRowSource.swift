import Foundation
import ParquetKit

/// Rows of a Parquet file, of every `*.parquet` file below a directory, or of the files a glob
/// matches (in sorted path order), read one row group at a time: only the columns the view
/// needs are decoded, so memory is bounded by a row group's needed columns, never by the file.
///
/// Each cell becomes the `FeatureValue` its Parquet type means (Docs/Definitions.md has the
/// table): integers, floats, booleans and strings as themselves, timestamps (UTC-adjusted, or
/// Spark's INT96) and dates as times, decimals as float64, lists of primitives as lists. Hive
/// partition directories (`dt=2024-05-01/`) between the source's path and a file give columns
/// too, as text that is parsed as the column's type.
struct ParquetRowSource: RowSource {
    let name: String
    let columns: [String]
    /// With a column and an interval of event times (microseconds), row groups whose statistics
    /// put every event time of that column outside the interval are skipped unread.
    let window: (column: String, interval: Range<Int64>)?
    /// The files, and the partition columns their directories give.
    let files: [(path: String, partitions: [String: String])]
    let totalBytes: Int

    /// `path` is a file, a directory or a glob; `columns` the source columns the view reads.
    /// With `expected` (one per column), every file's schema is checked first: a missing column,
    /// or one whose type cannot become what the view expects, is an error before any row is read.
    init(path: String, columns: [String], expected: [ExpectedColumn]? = nil,
         window: (column: String, interval: Range<Int64>)? = nil) throws {
        name = path
        self.columns = columns
        self.window = window
        files = try Self.files(at: path)
        if let expected {
            for file in files {
                try ParquetColumns(file: try Self.open(file.path), columns: columns, partitions: file.partitions).check(expected)
            }
        }
        totalBytes = files.reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0)
        }
    }

    var paths: [String] { files.map(\.path) }

    /// Opens a file's footer; a file that is not readable Parquet is a source error naming it.
    static func open(_ path: String) throws -> ParquetFile {
        do { return try ParquetFile(path: path) } catch { throw SourceError(file: path, line: 0, column: nil, reason: error.reason) }
    }

    /// The file itself, the `*.parquet` files below the directory, or the files the glob
    /// matches, sorted by path, each with its partition columns.
    static func files(at path: String) throws -> [(path: String, partitions: [String: String])] {
        if path.contains(where: { "*?[".contains($0) }) {
            let matches = globbed(path).filter { !isDirectory($0) }
            guard !matches.isEmpty else { throw SourceError(file: path, line: 0, column: nil, reason: "the pattern matches no file") }
            // Partitions are the `key=value` directories below the pattern's last plain one
            // (before its first wildcard or `key=value` component).
            let root = path.split(separator: "/", omittingEmptySubsequences: false)
                .prefix { !$0.contains(where: { "*?[=".contains($0) }) }.joined(separator: "/")
            return matches.map { ($0, partitions(of: $0, below: root)) }
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw SourceError(file: path, line: 0, column: nil, reason: "no such file or directory")
        }
        guard isDirectory(path) else { return [(path, [:])] }
        guard let walker = FileManager.default.enumerator(atPath: path) else {
            throw SourceError(file: path, line: 0, column: nil, reason: "cannot list the directory")
        }
        let found = walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".parquet") }.sorted().map { path + "/" + $0 }
        guard !found.isEmpty else { throw SourceError(file: path, line: 0, column: nil, reason: "the directory holds no .parquet file") }
        return found.map { ($0, partitions(of: $0, below: path)) }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }

    private static func globbed(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }

    /// `key=value` directories between `root` and the file, values percent-decoded as Hive
    /// writes them (`%3A` for `:`).
    static func partitions(of file: String, below root: String) -> [String: String] {
        let relative = file.hasPrefix(root) ? String(file.dropFirst(root.count)) : file
        var found: [String: String] = [:]
        for component in relative.split(separator: "/").dropLast() {
            guard let equals = component.firstIndex(of: "="), equals != component.startIndex else { continue }
            let key = String(component[..<equals])
            let value = String(component[component.index(after: equals)...])
            found[key] = value.removingPercentEncoding ?? value
        }
        return found
    }

    /// Rows are numbered from 1 within each file, for error messages (`file:row`).
    func forEachRow(malformed: ((SourceError) throws -> Void)?, _ body: (ParquetRow) throws -> Void) throws {
        for file in files {
            let parquet = try Self.open(file.path)
            let plan = try ParquetColumns(file: parquet, columns: columns, partitions: file.partitions)
            var rowInFile = 0
            for group in parquet.metadata.rowGroups.indices {
                if let window, let times = plan.eventTimes(rowGroup: group, column: window.column),
                   times.upperBound < window.interval.lowerBound || times.lowerBound >= window.interval.upperBound {
                    rowInFile += Int(parquet.metadata.rowGroups[group].numRows)
                    continue
                }
                let rows = try plan.read(rowGroup: group)
                try withExtendedLifetime(rows) {
                    for row in 0..<Int(parquet.metadata.rowGroups[group].numRows) {
                        rowInFile += 1
                        rows.advance(to: row)
                        try body(ParquetRow(group: rows, line: rowInFile))
                    }
                }
            }
        }
    }
}

/// Where each needed column is in one file, and how its values become cells.
struct ParquetColumns {
    let file: ParquetFile
    let columns: [String]
    /// Per needed column: where it is in the file, or the partition value that stands for it.
    private let leaves: [Leaf]

    private enum Leaf {
        case column(index: Int, descriptor: ColumnDescriptor)
        case partition(String)
    }

    init(file: ParquetFile, columns: [String], partitions: [String: String] = [:]) throws {
        self.file = file
        self.columns = columns
        let descriptors = file.columns
        leaves = try columns.map { name in
            let matches = descriptors.enumerated().filter { $0.element.path.first == name }
            if matches.isEmpty, let value = partitions[name] { return .partition(value) }
            guard let first = matches.first else {
                throw SourceError(file: file.path, line: 0, column: name, reason: "no such column in the file (it has \(Set(descriptors.compactMap(\.path.first)).sorted().joined(separator: ", ")))")
            }
            guard matches.count == 1 else {
                throw SourceError(file: file.path, line: 0, column: name, reason: "a nested struct or map, which a feature cannot hold")
            }
            let descriptor = first.element
            let isList = descriptor.field.logicalType == .list || descriptor.field.convertedType == .list
            guard descriptor.maxRepetitionLevel == 0 || (isList && descriptor.maxRepetitionLevel == 1) else {
                throw SourceError(file: file.path, line: 0, column: name, reason: "a nested column, which a feature cannot hold (lists of primitives can)")
            }
            return .column(index: first.offset, descriptor: descriptor)
        }
    }

    /// Checks each column the file has against what the view expects of it.
    func check(_ expected: [ExpectedColumn]) throws {
        for (position, leaf) in leaves.enumerated() {
            guard case .column(_, let descriptor) = leaf, let problem = ParquetTypeCheck.problem(descriptor, holding: expected[position]) else { continue }
            throw SourceError(file: file.path, line: 0, column: columns[position], reason: problem)
        }
    }

    /// The smallest and largest event time (microseconds) of `column` in a row group, from its
    /// statistics, when the column is a UTC timestamp that has them.
    func eventTimes(rowGroup: Int, column name: String) -> ClosedRange<Int64>? {
        guard let position = columns.firstIndex(of: name), case .column(let index, let descriptor) = leaves[position],
              descriptor.type == .int64 else { return nil }
        let unit: TimeUnit
        switch (descriptor.element.logicalType, descriptor.element.convertedType) {
        case (.timestamp(true, let timeUnit)?, _): unit = timeUnit
        case (nil, .timestampMicros?): unit = .micros
        case (nil, .timestampMillis?): unit = .millis
        default: return nil
        }
        guard let statistics = file.metadata.rowGroups[rowGroup].columns[index].metaData?.statistics,
              let low = statistics.minValue ?? statistics.min, let high = statistics.maxValue ?? statistics.max,
              low.count == 8, high.count == 8 else { return nil }
        func number(_ bytes: [UInt8]) -> Int64 { bytes.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(as: Int64.self)) } }
        let (first, last) = (ParquetCells.microseconds(number(low), unit), ParquetCells.microseconds(number(high), unit))
        return first <= last ? first...last : nil
    }

    /// Every needed column of a row group, decoded, ready to be read row by row.
    func read(rowGroup: Int) throws -> ParquetRowGroup {
        let rows = Int(file.metadata.rowGroups[rowGroup].numRows)
        return try ParquetRowGroup(count: columns.count) { position in
            let (name, leaf) = (columns[position], leaves[position])
            guard case .column(let index, let descriptor) = leaf else {
                guard case .partition(let value) = leaf else { return ParquetRowGroup.Column(storage: .cells([]), levels: [], maxLevel: 0) }
                return ParquetRowGroup.Column(storage: .cells(Array(repeating: .string(value), count: rows)), levels: [], maxLevel: 0)
            }
            let data: ColumnData
            do { data = try file.readColumn(rowGroup: rowGroup, column: index) } catch let error as ParquetError {
                throw SourceError(file: file.path, line: 0, column: name, reason: error.reason)
            }
            let column: ParquetRowGroup.Column
            do { column = try ParquetCells.column(data, descriptor) } catch let error as ValueParseError {
                throw SourceError(file: file.path, line: 0, column: name, reason: "row group \(rowGroup): \(error.message)")
            }
            let slots = column.levels.isEmpty ? column.storageCount : column.levels.count
            let values = column.levels.isEmpty ? slots : column.levels.reduce(0) { $0 + ($1 == column.maxLevel ? 1 : 0) }
            guard slots == rows, values == column.storageCount else {
                throw SourceError(file: file.path, line: 0, column: name,
                                  reason: "row group \(rowGroup) has \(rows) rows but the column \(slots) slots and \(column.storageCount) values")
            }
            return column
        }
    }
}

extension ParquetRowGroup.Column {
    /// How many values the column holds.
    var storageCount: Int {
        switch storage {
        case .int64(let values), .timestamp(let values): values.count
        case .int32(let values): values.count
        case .float(let values): values.count
        case .double(let values): values.count
        case .boolean(let values): values.count
        case .text(let values), .bytes(let values): values.count
        case .cells(let values): values.count
        }
    }
}
