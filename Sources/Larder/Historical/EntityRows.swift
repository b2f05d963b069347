import Foundation
import ParquetKit

/// The labelled events a training set is built for: entity keys and a timestamp per row,
/// plus any other columns (labels), which the output keeps.
public enum EntityRows: Sendable {
    /// A CSV file with a header row.
    case csv(path: String, delimiter: Character = ",")
    /// A JSON Lines file: one object per line; columns are the first object's keys, sorted.
    case jsonLines(path: String)
    /// A Parquet file, a directory of `*.parquet` files or a glob (as for a `parquet` source);
    /// columns are the first file's top-level fields, in schema order, and keep their types.
    case parquet(path: String)
    /// Rows in Swift, with their column order.
    case table(columns: [String], rows: [[FeatureValue]])

    /// Rows in Swift as dictionaries; columns are all keys, sorted.
    public static func rows(_ rows: [[String: FeatureValue]]) -> EntityRows {
        let columns = Array(Set(rows.flatMap(\.keys))).sorted()
        return .table(columns: columns, rows: rows.map { row in columns.map { row[$0] ?? .null } })
    }

    /// The file the rows are read from, if any (an output must not replace it).
    var files: [String] {
        switch self {
        case .csv(let path, _), .jsonLines(let path): [path]
        case .parquet(let path): (try? ParquetRowSource.files(at: path).map(\.path)) ?? [path]
        case .table: []
        }
    }

    /// The file or `input`, for error messages.
    var name: String {
        switch self {
        case .csv(let path, _), .jsonLines(let path), .parquet(let path): path
        case .table: "input"
        }
    }

    /// The column names; reading a file's header (or first line) to find them.
    func columns() throws -> [String] {
        switch self {
        case .csv(let path, let delimiter):
            return try CSVRowSource(path: path, delimiter: delimiter).columns
        case .jsonLines(let path):
            var columns: [String] = []
            try JSONLinesEntityReader(path: path).forEachObject { _, object in
                columns = object.keys.sorted()
                throw StopReading()
            }
            return columns
        case .parquet(let path):
            guard let first = try ParquetRowSource.files(at: path).first else { return [] }
            var names: [String] = []
            for name in try ParquetRowSource.open(first.path).columns.compactMap(\.path.first) where !names.contains(name) { names.append(name) }
            return names
        case .table(let columns, _):
            return columns
        }
    }

    /// Calls `body` with each row's line (or 1-based row number) and the row, in input order.
    /// A CSV row is lent as its record, read in place.
    func forEachRow(columns: [String], _ body: (Int, EntityRow) throws -> Void) throws {
        switch self {
        case .csv(let path, let delimiter):
            let source = try CSVRowSource(path: path, delimiter: delimiter)
            try source.forEachRow(malformed: nil) { record in
                guard record.count == columns.count else {
                    throw SourceError(file: path, line: record.line, column: nil, reason: "expected \(columns.count) fields, found \(record.count)")
                }
                try body(record.line, .csv(record))
            }
        case .jsonLines(let path):
            try JSONLinesEntityReader(path: path).forEachObject { line, object in
                try body(line, .cells(CellRow(line: line, cells: columns.map { JSONCell.value(object[$0]) })))
            }
        case .parquet(let path):
            // Rows are numbered across the files, so that each number names one row.
            var number = 0
            try ParquetRowSource(path: path, columns: columns).forEachRow(malformed: nil) { row in
                number += 1
                try body(number, .cells(CellRow(line: number, cells: (0..<columns.count).map { row.value($0) })))
            }
        case .table(_, let rows):
            for (index, row) in rows.enumerated() {
                guard row.count == columns.count else {
                    throw SourceError(file: "input", line: index + 1, column: nil, reason: "expected \(columns.count) values, found \(row.count)")
                }
                try body(index + 1, .cells(CellRow(line: index + 1, cells: row)))
            }
        }
    }
}

private struct StopReading: Error {}

/// Streams the objects of a JSON Lines file.
struct JSONLinesEntityReader {
    let path: String

    func forEachObject(_ body: (Int, [String: Any]) throws -> Void) throws {
        let source = JSONLinesRowSource(name: path, columns: [])
        do {
            try source.forEachObject(body)
        } catch is StopReading {
            return
        }
    }
}
