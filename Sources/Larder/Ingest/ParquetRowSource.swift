import Foundation
import ParquetKit

/// Rows of a Parquet file, or of every `*.parquet` file below a directory (in sorted path
/// order), read one row group at a time: only the columns the view needs are decoded, so memory
/// is bounded by a row group's needed columns, never by the file.
///
/// Each cell becomes the `FeatureValue` its Parquet type means (Docs/Definitions.md has the
/// table): integers, floats, booleans and strings as themselves, timestamps (UTC-adjusted, or
/// Spark's INT96) and dates as times, decimals as float64, lists of primitives as lists.
struct ParquetRowSource: RowSource {
    let name: String
    let columns: [String]
    let files: [String]
    let totalBytes: Int

    /// `path` is a file or a directory; `columns` the source columns the view reads.
    init(path: String, columns: [String]) throws {
        name = path
        self.columns = columns
        files = try Self.files(at: path)
        totalBytes = files.reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
        }
    }

    /// The file itself, or the `*.parquet` files below the directory, sorted by path.
    static func files(at path: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SourceError(file: path, line: 0, column: nil, reason: "no such file or directory")
        }
        guard isDirectory.boolValue else { return [path] }
        guard let walker = FileManager.default.enumerator(atPath: path) else {
            throw SourceError(file: path, line: 0, column: nil, reason: "cannot list the directory")
        }
        let found = walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".parquet") }.sorted().map { path + "/" + $0 }
        guard !found.isEmpty else { throw SourceError(file: path, line: 0, column: nil, reason: "the directory holds no .parquet file") }
        return found
    }

    /// Rows are numbered from 1 within each file, for error messages (`file:row`).
    func forEachRow(malformed: ((SourceError) throws -> Void)?, _ body: (CellRow) throws -> Void) throws {
        for file in files {
            let parquet: ParquetFile
            do { parquet = try ParquetFile(path: file) } catch { throw SourceError(file: file, line: 0, column: nil, reason: error.reason) }
            let plan = try ParquetColumns(file: parquet, columns: columns)
            var rowInFile = 0
            for group in parquet.metadata.rowGroups.indices {
                let cells = try plan.read(rowGroup: group)
                let rows = Int(parquet.metadata.rowGroups[group].numRows)
                for row in 0..<rows {
                    rowInFile += 1
                    try body(CellRow(line: rowInFile, cells: cells.map { $0[row] }))
                }
            }
        }
    }
}

/// Where each needed column is in one file, and how its values become cells.
struct ParquetColumns {
    let file: ParquetFile
    let columns: [String]
    private let leaves: [(index: Int, descriptor: ColumnDescriptor)]

    init(file: ParquetFile, columns: [String]) throws {
        self.file = file
        self.columns = columns
        let descriptors: [ColumnDescriptor]
        do { descriptors = try file.metadata.columnDescriptors() } catch {
            throw SourceError(file: file.path, line: 0, column: nil, reason: "its schema cannot be read: \(error)")
        }
        leaves = try columns.map { name in
            let matches = descriptors.enumerated().filter { $0.element.path.first == name }
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
            return (first.offset, descriptor)
        }
    }

    /// The cells of every needed column of a row group, one array per column, one cell per row.
    func read(rowGroup: Int) throws -> [[FeatureValue]] {
        try zip(columns, leaves).map { name, leaf in
            let data: ColumnData
            do { data = try file.readColumn(rowGroup: rowGroup, column: leaf.index) } catch let error as ParquetError {
                throw SourceError(file: file.path, line: 0, column: name, reason: error.reason)
            }
            let rows = Int(file.metadata.rowGroups[rowGroup].numRows)
            let cells: [FeatureValue]
            do {
                cells = leaf.descriptor.maxRepetitionLevel == 0
                    ? try ParquetCells.flat(data, leaf.descriptor)
                    : try ParquetCells.lists(data, leaf.descriptor)
            } catch let error as ValueParseError {
                throw SourceError(file: file.path, line: 0, column: name, reason: "row group \(rowGroup): \(error.message)")
            }
            guard cells.count == rows else {
                throw SourceError(file: file.path, line: 0, column: name,
                                  reason: "row group \(rowGroup) has \(rows) rows but the column \(cells.count) values")
            }
            return cells
        }
    }
}
