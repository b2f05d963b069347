import ArrowKit
import Foundation
import ParquetKit
import TestSupport
import Testing

/// Parquet files written by `ParquetWriter`, read back by this package's reader (every level
/// and value) and by pyarrow and pandas (schema, values, statistics, encodings).
@Suite struct WriterTests {
    static let fields = [
        ArrowField("driver_id", .int64), ArrowField("rate", .float64), ArrowField("small", .int32), ArrowField("ratio", .float32),
        ArrowField("flag", .bool), ArrowField("city", .string), ArrowField("name", .string), ArrowField("at", .timestampMicrosecondsUTC),
        ArrowField("embedding", .list(.float64)), ArrowField("tags", .list(.string)),
    ]

    /// Rows `offset..<offset + count`: nulls in every nullable pattern, a repetitive string
    /// column (dictionary-encoded) and a unique one (plain), lists empty, null and long.
    static func columns(offset: Int, count: Int) throws -> [ArrowColumn] {
        var ids = ArrowColumn(.int64), rates = ArrowColumn(.float64), small = ArrowColumn(.int32), ratio = ArrowColumn(.float32)
        var flags = ArrowColumn(.bool), cities = ArrowColumn(.string), names = ArrowColumn(.string)
        var times = ArrowColumn(.timestampMicrosecondsUTC), embeddings = ArrowColumn(.list(.float64)), tags = ArrowColumn(.list(.string))
        for row in offset..<offset + count {
            ids.append(Int64(1000 + row))
            if row % 3 == 0 { rates.appendNull() } else { rates.append(Double(row) / 4 - 10) }
            small.append(Int32(-row))
            if row % 50 == 4 { ratio.appendNull() } else { ratio.append(Float(row) / 2) }
            if row % 4 == 1 { flags.appendNull() } else { flags.append(row % 2 == 0) }
            if row % 7 == 6 { cities.appendNull() } else { try cities.append(["Paris", "Lyon", "Nîmes", ""][row % 4]) }
            try names.append("driver-\(row)")
            times.append(Int64(1_700_000_000_000_000 + row))
            if row % 5 == 0 { embeddings.appendNull() } else {
                try embeddings.appendList { elements in for index in 0..<(row % 4) { elements.append(Double(index) + 0.5) } }
            }
            try tags.appendList { elements in for index in 0..<(row % 3) { try elements.append("t\(index)") } }
        }
        return [ids, rates, small, ratio, flags, cities, names, times, embeddings, tags]
    }

    static func write(to path: String, rowGroups: [Int], options: ParquetWriteOptions = ParquetWriteOptions()) throws {
        var bytes: [UInt8] = []
        let writer = try ParquetWriter(fields: fields, options: options) { bytes.append(contentsOf: $0) }
        var offset = 0
        for count in rowGroups {
            try writer.write(rowGroup: columns(offset: offset, count: count))
            offset += count
        }
        try writer.finish()
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test(arguments: [CompressionCodec.snappy, .zstd, .gzip, .uncompressed])
    func readsBackWithThisReader(codec: CompressionCodec) throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/sample.parquet"
            // Small pages: several data pages per chunk.
            try Self.write(to: path, rowGroups: [300, 0, 77], options: ParquetWriteOptions(compression: codec, pageSize: 512))
            let file = try ParquetFile(path: path)
            #expect(file.metadata.numRows == 377)
            #expect(file.metadata.rowGroups.map(\.numRows) == [300, 77])
            let expected = try Self.columns(offset: 0, count: 377)
            let columns = try file.metadata.columnDescriptors()
            #expect(columns.map(\.path) == Self.fields.map { field in
                if case .list = field.type { [field.name, "list", "element"] } else { [field.name] }
            })
            var rates: [Double?] = [], cities: [String?] = [], embeddingLevels: [UInt32] = [], embeddings: [Double] = []
            for group in 0..<2 {
                let rate = try file.readColumn(rowGroup: group, column: 1)
                guard case .double(var values) = rate.values else { Issue.record("rate: not doubles"); return }
                for level in rate.definitionLevels { rates.append(level == 1 ? values.removeFirst() : nil) }
                let city = try file.readColumn(rowGroup: group, column: 5)
                guard case .bytes(let strings) = city.values else { Issue.record("city: not bytes"); return }
                var next = 0
                for level in city.definitionLevels {
                    if level == 1 { cities.append(String(decoding: strings[next], as: UTF8.self)); next += 1 } else { cities.append(nil) }
                }
                let embedding = try file.readColumn(rowGroup: group, column: 8)
                embeddingLevels += embedding.definitionLevels
                guard case .double(let elements) = embedding.values else { Issue.record("embedding: not doubles"); return }
                embeddings += elements
            }
            let expectedRates: [Double?] = (0..<377).map { (row: Int) -> Double? in row % 3 == 0 ? nil : Double(row) / 4 - 10 }
            let expectedCities: [String?] = (0..<377).map { (row: Int) -> String? in row % 7 == 6 ? nil : ["Paris", "Lyon", "Nîmes", ""][row % 4] }
            #expect(rates == expectedRates)
            #expect(cities == expectedCities)
            #expect(embeddings.count == expected[8].elements!.count)
            #expect(embeddingLevels.filter { $0 == 0 }.count == expected[8].nullCount)
        }
    }

    @Test func pyarrowAndPandasReadEveryTypeWithStatisticsAndDictionaries() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/sample.parquet"
            try Self.write(to: path, rowGroups: [600, 400], options: ParquetWriteOptions(compression: .zstd, pageSize: 4096))
            let output = try PythonReaders.run("""
                import sys, json, pyarrow.parquet as pq, pandas as pd
                table = pq.read_table(sys.argv[1])
                table.validate(full=True)
                print(table.schema.to_string(show_schema_metadata=False).replace("\\n", "|"))
                rows = table.to_pylist()
                print(json.dumps([rows[0], rows[1], rows[6], rows[999]], default=str))
                meta = pq.ParquetFile(sys.argv[1]).metadata
                group = meta.row_group(1)
                columns = {group.column(i).path_in_schema: group.column(i) for i in range(group.num_columns)}
                print(meta.num_row_groups, meta.num_rows, columns["city"].compression)
                print(json.dumps({name: [str(c.statistics.min) if c.statistics.has_min_max else None,
                                         str(c.statistics.max) if c.statistics.has_min_max else None,
                                         c.statistics.null_count, sorted(c.encodings)] for name, c in columns.items()}))
                frame = pd.read_parquet(sys.argv[1])
                print(json.dumps({c: str(t) for c, t in frame.dtypes.items()}))
                """, [path])
            let lines = output.split(separator: "\n").map(String.init)
            #expect(lines[0] == [
                "driver_id: int64", "rate: double", "small: int32", "ratio: float", "flag: bool", "city: string", "name: string",
                "at: timestamp[us, tz=UTC]", "embedding: list<element: double>", "  child 0, element: double",
                "tags: list<element: string>", "  child 0, element: string",
            ].joined(separator: "|"))
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [[String: Any]])
            #expect(rows[0]["driver_id"] as? Int == 1000)
            #expect(rows[0]["rate"] is NSNull)
            #expect(rows[1]["rate"] as? Double == -9.75)
            #expect(rows[1]["flag"] is NSNull)
            #expect(rows[0]["flag"] as? Bool == true)
            #expect(rows[2]["city"] is NSNull)
            #expect(rows[1]["city"] as? String == "Lyon")
            #expect(rows[1]["at"] as? String == "2023-11-14 22:13:20.000001+00:00")
            #expect(rows[0]["embedding"] is NSNull)
            #expect(rows[3]["embedding"] as? [Double] == [0.5, 1.5, 2.5])
            #expect(rows[3]["tags"] as? [String] == [])
            #expect(rows[1]["tags"] as? [String] == ["t0"])
            #expect(rows[3]["name"] as? String == "driver-999")
            #expect(lines[2] == "2 1000 ZSTD")
            let statistics = try #require(try JSONSerialization.jsonObject(with: Data(lines[3].utf8)) as? [String: [Any]])
            #expect(statistics["driver_id"]?[0] as? String == "1600")
            #expect(statistics["driver_id"]?[1] as? String == "1999")
            #expect(statistics["rate"]?[2] as? Int == 134)  // 600...999: multiples of 3
            #expect(statistics["city"]?[0] as? String == "")
            #expect(statistics["city"]?[1] as? String == "Paris")
            #expect((statistics["city"]?[3] as? [String])?.contains("RLE_DICTIONARY") == true)
            #expect((statistics["name"]?[3] as? [String])?.contains("RLE_DICTIONARY") == false)
            // Numbers too: few distinct values (list elements) are dictionary-encoded, distinct ids are not.
            #expect((statistics["embedding.list.element"]?[3] as? [String])?.contains("RLE_DICTIONARY") == true)
            #expect((statistics["driver_id"]?[3] as? [String])?.contains("RLE_DICTIONARY") == false)
            #expect(statistics["at"]?[0] as? String == "2023-11-14 22:13:20.000600+00:00")
            let dtypes = try #require(try JSONSerialization.jsonObject(with: Data(lines[4].utf8)) as? [String: String])
            #expect(dtypes["driver_id"] == "int64")
            #expect(dtypes["small"] == "int32")
            #expect(dtypes["ratio"] == "float32")
            #expect(dtypes["at"] == "datetime64[us, UTC]")
        }
    }

    @Test func aChunkThatDoesNotCompressIsStoredUncompressed() throws {
        var random = ArrowColumn(.float64), repeated = ArrowColumn(.float64)
        var state: UInt64 = 1
        for row in 0..<50_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            random.append(Double(bitPattern: state >> 2))
            repeated.append(Double(row % 10))
        }
        try withTemporaryDirectory { directory in
            let path = directory + "/mixed.parquet"
            var bytes: [UInt8] = []
            let writer = try ParquetWriter(fields: [ArrowField("random", .float64), ArrowField("repeated", .float64)]) { bytes.append(contentsOf: $0) }
            try writer.write(rowGroup: [random, repeated])
            try writer.finish()
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let file = try ParquetFile(path: path)
            #expect(file.metadata.rowGroups[0].columns.map { $0.metaData?.codec } == [.uncompressed, .snappy])
            guard case .double(let values) = try file.readColumn(rowGroup: 0, column: 0).values else { Issue.record("not doubles"); return }
            let written = random.withValueBytes { Array($0.bindMemory(to: UInt64.self)) }
            #expect(values.map(\.bitPattern) == written)
        }
    }

    @Test func aRowGroupMustMatchTheSchema() throws {
        let writer = try ParquetWriter(fields: [ArrowField("a", .int64)]) { _ in }
        #expect(throws: ParquetWriteError.self) { try writer.write(rowGroup: [ArrowColumn(.float64)]) }
        #expect(throws: ParquetWriteError.self) { try ParquetWriter(fields: [], options: ParquetWriteOptions(compression: .lzo)) { _ in } }
    }
}
