import Foundation
import ParquetKit
import Testing

/// Column chunks' pages read from files written by pyarrow with every supported codec and both
/// data page versions, decompressed to the sizes their headers announce; damaged pages refused
/// with the file, the row group, the column and what is wrong.
@Suite struct PageTests {
    static let fixtures = FooterTests.fixtures

    struct PageSummary: Equatable {
        var kind: PageHeader.Kind
        var values: Int32
        var size: Int
    }

    func pages(_ file: ParquetFile, rowGroup: Int, column: Int) throws -> [PageSummary] {
        var pages: [PageSummary] = []
        try file.forEachPage(rowGroup: rowGroup, column: column) { header, bytes in
            #expect(bytes.count == Int(header.uncompressedSize))
            pages.append(PageSummary(kind: header.kind, values: header.valueCount, size: bytes.count))
        }
        return pages
    }

    @Test(arguments: ["types-snappy.parquet", "types-gzip-v2.parquet", "two-columns-zstd.parquet", "plain-pages.parquet"])
    func everyColumnChunkReadsWithTheValuesItAnnounces(name: String) throws {
        let file = try ParquetFile(path: Self.fixtures + "/" + name)
        for (group, rowGroup) in file.metadata.rowGroups.enumerated() {
            for (column, chunk) in rowGroup.columns.enumerated() {
                let metadata = try #require(chunk.metaData)
                let read = try pages(file, rowGroup: group, column: column)
                // The reader checks the sum itself; a dictionary page, when there is one, comes first.
                #expect(read.filter { $0.kind != .dictionaryPage }.reduce(0) { $0 + Int64($1.values) } == metadata.numValues)
                #expect((metadata.dictionaryPageOffset != nil) == (read.first?.kind == .dictionaryPage))
                let dataKind: PageHeader.Kind = name.contains("v2") ? .dataPageV2 : .dataPage
                #expect(read.dropFirst(metadata.dictionaryPageOffset == nil ? 0 : 1).allSatisfy { $0.kind == dataKind })
            }
        }
    }

    /// A required int64 column, PLAIN and uncompressed: each data page is its values, in order.
    @Test func plainPagesHoldTheValuesThemselves() throws {
        let file = try ParquetFile(path: Self.fixtures + "/plain-pages.parquet")
        var values: [Int64] = []
        var pageCount = 0
        for group in file.metadata.rowGroups.indices {
            try file.forEachPage(rowGroup: group, column: 0) { header, bytes in
                #expect(header.dataPage?.encoding == .plain)
                pageCount += 1
                for index in 0..<bytes.count / 8 { values.append(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 8, as: Int64.self))) }
            }
        }
        #expect(values == Array(0..<3000))
        #expect(pageCount > 2)  // small pages: several per chunk
    }

    func withDamagedCopy(of name: String, _ damage: (inout [UInt8], FileMetaData) -> Void, _ body: (ParquetFile) throws -> Void) throws {
        let original = try ParquetFile(path: Self.fixtures + "/" + name)
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/" + name)))
        damage(&bytes, original.metadata)
        let path = NSTemporaryDirectory() + "/parquetkit-\(UUID().uuidString).parquet"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        try body(try ParquetFile(path: path))
    }

    func expectFailure(_ file: ParquetFile, column: Int, containing reason: String) {
        #expect {
            try file.forEachPage(rowGroup: 0, column: column) { _, _ in }
        } throws: { error in
            guard let error = error as? ParquetError else { return false }
            return error.file == file.path && error.reason.contains("row group 0, column") && error.reason.contains(reason)
        }
    }

    /// Each byte of a column chunk changed in turn: reading it either still succeeds (a changed
    /// value) or fails with an error naming the file, row group and column — and changes to the
    /// compressed data are reported as such, with the codec's name.
    @Test(arguments: [("types-snappy.parquet", "SNAPPY"), ("types-gzip-v2.parquet", "GZIP"), ("two-columns-zstd.parquet", "ZSTD")])
    func damagedPagesAreErrorsThatNameTheColumn(name: String, codec: String) throws {
        let original = try ParquetFile(path: Self.fixtures + "/" + name)
        let chunk = try #require(original.metadata.rowGroups[0].columns[1].metaData)
        let start = Int(chunk.dictionaryPageOffset ?? chunk.dataPageOffset)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/" + name)))
        let path = NSTemporaryDirectory() + "/parquetkit-\(UUID().uuidString).parquet"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reasons: [String] = []
        for position in start..<start + Int(chunk.totalCompressedSize) {
            var damaged = bytes
            damaged[position] ^= 0x5A
            #expect(FileManager.default.createFile(atPath: path, contents: Data(damaged)))
            let file = try ParquetFile(path: path)
            do {
                try file.forEachPage(rowGroup: 0, column: 1) { _, _ in }
            } catch let error as ParquetError {
                #expect(error.file == path && error.reason.hasPrefix("row group 0, column "), "\(error)")
                reasons.append(error.reason)
            }
        }
        #expect(reasons.contains { $0.contains("its \(codec) data") })
        #expect(reasons.contains { $0.contains("page header") })
    }

    @Test func aPageHeaderThatCannotBeReadIsAnError() throws {
        try withDamagedCopy(of: "plain-pages.parquet", { bytes, metadata in
            let start = Int(metadata.rowGroups[0].columns[0].metaData!.dataPageOffset)
            for index in start..<start + 6 { bytes[index] = 0xFF }
        }) { file in
            expectFailure(file, column: 0, containing: "page header")
        }
    }

    @Test func aChunkOutsideTheFileAndMissingGroupsAreErrors() throws {
        let file = try ParquetFile(path: Self.fixtures + "/plain-pages.parquet")
        #expect(throws: ParquetError.self) { try file.forEachPage(rowGroup: 9, column: 0) { _, _ in } }
        #expect(throws: ParquetError.self) { try file.forEachPage(rowGroup: 0, column: 9) { _, _ in } }
    }
}
