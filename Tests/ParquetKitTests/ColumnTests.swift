import Foundation
import ParquetKit
import Testing

/// Columns decoded from the pyarrow fixtures, value by value, against the table
/// make-fixtures.py wrote: dictionary-encoded (SNAPPY, v1 pages) and the same with GZIP and
/// v2 pages, and PLAIN pages without compression.
@Suite struct ColumnTests {
    static let fixtures = FooterTests.fixtures

    /// Every row group's levels and values of the column named `name`, concatenated (columns of
    /// numbers and booleans).
    func read(_ file: ParquetFile, _ name: String) throws -> ColumnData {
        let columns = try file.metadata.columnDescriptors()
        let index = try #require(columns.firstIndex { $0.path.first == name })
        var all: ColumnData?
        for group in file.metadata.rowGroups.indices {
            let part = try file.readColumn(rowGroup: group, column: index)
            guard var merged = all else { all = part; continue }
            merged.definitionLevels += part.definitionLevels
            merged.repetitionLevels += part.repetitionLevels
            switch (merged.values, part.values) {
            case (.int64(let a), .int64(let b)): merged.values = .int64(a + b)
            case (.int32(let a), .int32(let b)): merged.values = .int32(a + b)
            case (.double(let a), .double(let b)): merged.values = .double(a + b)
            case (.float(let a), .float(let b)): merged.values = .float(a + b)
            case (.boolean(let a), .boolean(let b)): merged.values = .boolean(a + b)
            default: Issue.record("\(name): types differ, or a byte column (read those with strings(_:_:))")
            }
            all = merged
        }
        return try #require(all)
    }

    func strings(_ file: ParquetFile, _ name: String) throws -> [String] {
        try byteValues(file, name).map { String(decoding: $0, as: UTF8.self) }
    }

    func byteValues(_ file: ParquetFile, _ name: String) throws -> [[UInt8]] {
        let columns = try file.metadata.columnDescriptors()
        let index = try #require(columns.firstIndex { $0.path.first == name })
        var result: [[UInt8]] = []
        for group in file.metadata.rowGroups.indices {
            guard case .bytes(let arrays) = try file.readColumn(rowGroup: group, column: index).values else {
                Issue.record("\(name) is not a byte column")
                return []
            }
            result += (0..<arrays.count).map { Array(arrays[$0]) }
        }
        return result
    }

    @Test(arguments: ["types-snappy.parquet", "types-gzip-v2.parquet"])
    func everyTypeReadsBackAsPyarrowWroteIt(name: String) throws {
        let file = try ParquetFile(path: Self.fixtures + "/" + name)
        let driver = try read(file, "driver_id")
        guard case .int64(let ids) = driver.values else { Issue.record("driver_id"); return }
        #expect(ids == [1001, 1002, 1003, 1004])
        #expect(driver.definitionLevels == [1, 1, 1, 1])

        let time = try read(file, "event_timestamp")
        guard case .int64(let micros) = time.values else { Issue.record("event_timestamp"); return }
        #expect(micros == (0..<4).map { 1_714_521_600_000_000 + $0 * 3_600_000_000 })

        let conv = try read(file, "conv_rate")
        guard case .double(let rates) = conv.values else { Issue.record("conv_rate"); return }
        #expect(conv.definitionLevels == [1, 0, 1, 1])
        #expect(rates == [0.5, 0.25, 1.0])

        let acc = try read(file, "acc_rate")
        guard case .float(let floats) = acc.values else { Issue.record("acc_rate"); return }
        #expect(acc.definitionLevels == [1, 1, 0, 1])
        #expect(floats == [0.5, 0.75, 1.0])

        let trips = try read(file, "trips")
        guard case .int32(let counts) = trips.values else { Issue.record("trips"); return }
        #expect(trips.definitionLevels == [1, 1, 1, 0])
        #expect(counts == [10, 20, 30])

        let active = try read(file, "active")
        guard case .boolean(let flags) = active.values else { Issue.record("active"); return }
        #expect(active.definitionLevels == [1, 1, 0, 1])
        #expect(flags == [true, false, true])

        let day = try read(file, "day")
        guard case .int32(let days) = day.values else { Issue.record("day"); return }
        #expect(days == [19_844, 19_845, 19_846, 19_847])  // days since 1970-01-01

        #expect(try strings(file, "city") == ["a", "c", "d"])
        // DECIMAL(9, 2) as 4 big-endian bytes: 1.00 ... 4.00 are 100 ... 400.
        #expect(try byteValues(file, "price") == [100, 200, 300, 400].map { [0, 0, UInt8($0 >> 8), UInt8($0 & 0xFF)] })

        // A list of floats: [1, 2], [], null, [3] — levels say where rows and lists begin.
        let embedding = try read(file, "embedding")
        guard case .float(let elements) = embedding.values else { Issue.record("embedding"); return }
        #expect(elements == [1, 2, 3])
        #expect(embedding.definitionLevels == [3, 3, 1, 0, 3])
        #expect(embedding.repetitionLevels == [0, 1, 0, 0, 0])
    }

    @Test func plainPagesReadBackInOrder() throws {
        let file = try ParquetFile(path: Self.fixtures + "/plain-pages.parquet")
        let id = try read(file, "id")
        guard case .int64(let ids) = id.values else { Issue.record("id"); return }
        #expect(ids == Array(0..<3000))
        #expect(id.definitionLevels.isEmpty)  // a required column has no levels
        #expect(try strings(file, "city") == (0..<3000).map { "city-\($0 % 7)" })
    }

    /// DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and BYTE_STREAM_SPLIT
    /// columns (v2 pages, ZSTD, several pages each), with nulls, against make-fixtures.py.
    @Test func everyEncodingReadsBack() throws {
        let file = try ParquetFile(path: Self.fixtures + "/encodings.parquet")
        let n = 1000
        let int64s = try read(file, "delta_int64")
        guard case .int64(let values64) = int64s.values else { Issue.record("delta_int64"); return }
        let kept: [Int] = (0..<n).filter { $0 % 10 != 3 }
        let expected64: [Int64] = kept.map { (index: Int) -> Int64 in Int64(index * 7919 % 1000) - 500 }
        #expect(values64 == expected64)
        let levels: [UInt32] = (0..<n).map { index in index % 10 == 3 ? 0 : 1 }
        #expect(int64s.definitionLevels == levels)

        let int32s = try read(file, "delta_int32")
        guard case .int32(let values32) = int32s.values else { Issue.record("delta_int32"); return }
        let expected32: [Int32] = (0..<n).map { index in Int32(index * 3 - 1500) }
        #expect(values32 == expected32)

        let lengths: [String] = (0..<n).filter { $0 % 9 != 0 }.map { index in String(repeating: "x", count: index % 13) }
        #expect(try strings(file, "delta_length") == lengths)
        let names: [String] = (0..<n).map { index in "driver-" + String(format: "%05d", index / 10) + "-" + String(index % 10) }
        #expect(try strings(file, "delta_bytes") == names)

        let doubles = try read(file, "split_double")
        guard case .double(let splitDoubles) = doubles.values else { Issue.record("split_double"); return }
        let expectedDoubles: [Double] = (0..<n).filter { $0 % 7 != 0 }.map { index in Double(index) / 8 }
        #expect(splitDoubles == expectedDoubles)
        let floats = try read(file, "split_float")
        guard case .float(let splitFloats) = floats.values else { Issue.record("split_float"); return }
        let expectedFloats: [Float] = (0..<n).map { index in Float(index) / 4 }
        #expect(splitFloats == expectedFloats)
    }
}
