import Foundation
@testable import Larder
import TestSupport
import Testing

/// Training sets written as Parquet and as Arrow IPC files, read back by the real readers —
/// pyarrow (`parquet.read_table`, `ipc.open_file`) and pandas (`read_parquet`, `read_feather`) —
/// and compared with the same training set built in memory, value by value and type by type.
@Suite struct ColumnarOutputTests {
    static let fields: [Field] = [
        Field("flag", .bool), Field("small", .int32), Field("trips", .int64), Field("ratio", .float32), Field("rate", .float64),
        Field("city", .string), Field("blob", .bytes), Field("seen", .timestamp), Field("counts", .int64List),
        Field("weights", .float32List), Field("embedding", .float64List), Field("tags", .stringList),
    ]

    static func time(_ hour: Int) -> Timestamp { Timestamp(seconds: 1_714_521_600 + Int64(hour) * 3600) }

    /// A store with one view holding a feature of every type: drivers 1...40 at hour 1, every
    /// fifth value null.
    func withStore(_ body: (FeatureStore, String) throws -> Void) throws {
        try withTemporaryDirectory { directory in
            let store = try FeatureStore.open(directory + "/store")
            let driver = Entity("driver", joinKey: "driver_id")
            try store.apply(Definitions(entities: [driver], sources: [Source.push("pushed")],
                                        views: [FeatureView("all", entityNames: ["driver"], sourceName: "pushed", features: Self.fields)]))
            var rows: [[String: FeatureValue]] = []
            for id in 1...40 {
                var row: [String: FeatureValue] = ["driver_id": .int64(Int64(id)), "event_timestamp": .timestamp(Self.time(1))]
                let values: [FeatureValue] = [
                    .bool(id % 2 == 0), .int32(Int32(-id)), .int64(Int64(id * 1000)), .float32(Float(id) / 8), .float64(Double(id) / 3),
                    .string(["Paris", "Nîmes", "", "Lyon, \"centre\""][id % 4]), .bytes([UInt8(id), 0, 255]),
                    .timestamp(Self.time(id)), .int64List(Array(0..<Int64(id % 3))), .float32List([Float(id), 0.5]),
                    .float64List(id % 3 == 0 ? [] : [Double(id), -1.25]), .stringList(["a", "b\(id)"]),
                ]
                for (index, field) in Self.fields.enumerated() { row[field.name] = (id + index) % 5 == 0 ? .null : values[index] }
                rows.append(row)
            }
            try store.push(rows, to: "all")
            try body(store, directory)
        }
    }

    /// Entity rows: drivers 0...41 (0 and 41 unknown) at hour 2, a label with a null, and a
    /// row before the data (all features null).
    static var entityRows: EntityRows {
        var rows: [[FeatureValue]] = (0...41).map { id in [.int64(Int64(id)), .timestamp(time(2)), id == 7 ? .null : .int64(Int64(id % 2))] }
        rows.append([.int64(3), .timestamp(time(0)), .int64(1)])
        return .table(columns: ["driver_id", "event_timestamp", "label"], rows: rows)
    }

    /// Reads `path` with pyarrow (and pandas) and prints the schema, pandas' dtypes and the rows
    /// as JSON: timestamps as microseconds, bytes as hex.
    static let reader = """
        import sys, json, pyarrow as pa, pyarrow.parquet as pq, pyarrow.ipc as ipc, pandas as pd
        path, kind = sys.argv[1], sys.argv[2]
        if kind == "parquet":
            table = pq.read_table(path)
            frame = pd.read_parquet(path)
        else:
            table = ipc.open_file(path).read_all()
            frame = pd.read_feather(path)
        table.validate(full=True)
        print(json.dumps([[f.name, str(f.type)] for f in table.schema]))
        print(json.dumps({c: str(t) for c, t in frame.dtypes.items()}))
        columns = []
        for field, column in zip(table.schema, table.columns):
            if pa.types.is_timestamp(field.type):
                column = column.cast(pa.int64())
            values = column.to_pylist()
            if pa.types.is_binary(field.type):
                values = [None if v is None else v.hex() for v in values]
            columns.append(values)
        print(json.dumps([list(row) for row in zip(*columns)]))
        """

    /// A value as the reader script prints it.
    static func json(_ value: FeatureValue) -> Any {
        switch value {
        case .null: NSNull()
        case .bool(let flag): flag
        case .int32(let number): Int(number)
        case .int64(let number): Int(number)
        case .float32(let number): Double(number)
        case .float64(let number): number
        case .string(let text): text
        case .bytes(let bytes): bytes.map { String(format: "%02x", $0) }.joined()
        case .timestamp(let time): Int(time.microseconds)
        case .int64List(let list): list.map { Int($0) }
        case .float32List(let list): list.map { Double($0) }
        case .float64List(let list): list
        case .stringList(let list): list
        }
    }

    static let expectedTypes = [
        ["driver_id", "int64"], ["event_timestamp", "timestamp[us, tz=UTC]"], ["label", "int64"], ["flag", "bool"], ["small", "int32"],
        ["trips", "int64"], ["ratio", "float"], ["rate", "double"], ["city", "string"], ["blob", "binary"], ["seen", "timestamp[us, tz=UTC]"],
    ]

    @Test(arguments: [(HistoricalOutputFormat.parquet, ParquetCompression.snappy), (.parquet, .zstd), (.parquet, .none), (.arrow, .snappy)])
    func readersSeeTheTrainingSetWithItsTypes(format: HistoricalOutputFormat, compression: ParquetCompression) throws {
        try withStore { store, directory in
            let path = directory + "/train." + format.rawValue
            let options = HistoricalOptions(parquetCompression: compression)
            let summary = try store.writeHistoricalFeatures(entities: Self.entityRows, features: ["all"], to: path, format: format, options: options)
            #expect(summary.rows == 43)
            let expected = try store.historicalFeatures(entities: Self.entityRows, features: ["all"])
            let lines = try PythonReaders.run(Self.reader, [path, format == .parquet ? "parquet" : "arrow"]).split(separator: "\n").map(String.init)
            let schema = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [[String]])
            #expect(Array(schema.prefix(11)) == Self.expectedTypes)
            let element = format == .parquet ? "element" : "item"
            #expect(Array(schema.suffix(4)) == [
                ["counts", "list<\(element): int64>"], ["weights", "list<\(element): float>"], ["embedding", "list<\(element): double>"],
                ["tags", "list<\(element): string>"],
            ])
            let dtypes = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: String])
            #expect(dtypes["driver_id"] == "int64")
            #expect(dtypes["event_timestamp"] == "datetime64[us, UTC]")
            #expect(dtypes["small"] == "float64")  // pandas: an integer column with nulls becomes float64
            #expect(dtypes["ratio"] == "float32")
            #expect(dtypes["rate"] == "float64")
            #expect(dtypes["seen"] == "datetime64[us, UTC]")
            #expect(dtypes["label"] == "float64")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(lines[2].utf8)) as? [[Any]])
            #expect(rows.count == expected.rows.count)
            for (index, (row, want)) in zip(rows, expected.rows).enumerated() {
                let wanted = want.map(Self.json)
                #expect((row as NSArray).isEqual(to: wanted), "row \(index): \(row) != \(wanted)")
            }
        }
    }

    /// From CSV, a join key takes its entity's type (as the join reads it), the timestamp
    /// becomes a time, and the other columns keep their text.
    @Test func csvEntityRowsKeepTheirTextButKeysAndTheTimestampAreTyped() throws {
        try withStore { store, directory in
            let input = directory + "/labels.csv"
            try "driver_id,event_timestamp,label\n1,2024-05-01T02:00:00Z,1\n+2,2024-05-01T02:00:00Z,\n,2024-05-01T02:00:00Z,0\n"
                .write(toFile: input, atomically: true, encoding: .utf8)
            for format in [HistoricalOutputFormat.arrow, .parquet] {
                let path = directory + "/train." + format.rawValue
                try store.writeHistoricalFeatures(entities: .csv(path: input), features: ["all:trips"], to: path, format: format)
                let lines = try PythonReaders.run(Self.reader, [path, format.rawValue]).split(separator: "\n").map(String.init)
                #expect(lines[0] == #"[["driver_id", "int64"], ["event_timestamp", "timestamp[us, tz=UTC]"], ["label", "string"], ["trips", "int64"]]"#)
                let time = Self.time(2).microseconds
                #expect(lines[2] == "[[1, \(time), \"1\", 1000], [2, \(time), null, 2000], [null, \(time), \"0\", null]]")
            }
        }
    }

    @Test func parquetEntityRowsKeepTheirTypesThroughARoundTrip() throws {
        try withStore { store, directory in
            // A Parquet training set, read back as entity rows: its columns keep their types.
            let first = directory + "/first.parquet"
            try store.writeHistoricalFeatures(entities: Self.entityRows, features: ["all:trips"], to: first, format: .parquet)
            let second = directory + "/second.parquet"
            try store.writeHistoricalFeatures(entities: .parquet(path: first), features: ["all:rate"], to: second, format: .parquet)
            let lines = try PythonReaders.run(Self.reader, [second, "parquet"]).split(separator: "\n").map(String.init)
            #expect(lines[0] == #"[["driver_id", "int64"], ["event_timestamp", "timestamp[us, tz=UTC]"], ["label", "int64"], ["trips", "int64"], ["rate", "double"]]"#)
        }
    }

    @Test func severalRowGroupsAndAnEmptyOutput() throws {
        try withStore { store, directory in
            let count = ColumnarFileWriter.groupRows + 10
            let rows: [[FeatureValue]] = (0..<count).map { [.int64(Int64($0 % 50)), .timestamp(Self.time(2))] }
            let path = directory + "/big.parquet"
            try store.writeHistoricalFeatures(entities: .table(columns: ["driver_id", "event_timestamp"], rows: rows), features: ["all:trips"],
                                              to: path, format: .parquet)
            let output = try PythonReaders.run("""
                import sys, pyarrow.parquet as pq
                f = pq.ParquetFile(sys.argv[1])
                t = f.read()
                print(f.metadata.num_row_groups, t.num_rows, t.column("trips").null_count, t.column("trips").to_pylist()[-1])
                """, [path])
            // Drivers 0 and 41...49 are unknown, and every fifth trips value is null (ids 2, 7, 12, …).
            let nulls = (0..<count).filter { id in let driver = id % 50; return driver == 0 || driver > 40 || (driver + 2) % 5 == 0 }.count
            #expect(output == "2 \(count) \(nulls) \(((count - 1) % 50 + 2) % 5 == 0 ? "None" : String((count - 1) % 50 * 1000))\n")

            let empty = directory + "/empty.arrow"
            try store.writeHistoricalFeatures(entities: .table(columns: ["driver_id", "event_timestamp"], rows: []), features: ["all:trips"],
                                              to: empty, format: .arrow)
            // No rows to type the columns by: the key takes its entity's type all the same.
            #expect(try PythonReaders.run(Self.reader, [empty, "arrow"]).hasPrefix(#"[["driver_id", "int64"], ["event_timestamp", "timestamp[us, tz=UTC]"], ["trips", "int64"]]"#))
        }
    }

    @Test func aValueThatDoesNotFitItsColumnIsAnErrorAndLeavesNoFile() throws {
        try withStore { store, directory in
            let input = directory + "/labels.jsonl"
            var text = ""
            for row in 0..<ColumnarFileWriter.groupRows { text += #"{"driver_id": 1, "event_timestamp": "2024-05-01T02:00:00Z", "label": \#(row % 2)}"# + "\n" }
            text += #"{"driver_id": 1, "event_timestamp": "2024-05-01T02:00:00Z", "label": "yes"}"# + "\n"
            try text.write(toFile: input, atomically: true, encoding: .utf8)
            let path = directory + "/train.parquet"
            #expect {
                try store.writeHistoricalFeatures(entities: .jsonLines(path: input), features: ["all:trips"], to: path, format: .parquet)
            } throws: { error in
                "\(error)".contains("labels.jsonl:\(ColumnarFileWriter.groupRows + 1): column label: holds a string value where the first rows made the column int64")
            }
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
        }
    }

    @Test func columnarFilesCannotGoToStandardOutput() throws {
        try withStore { store, _ in
            #expect(throws: OutputFileError.self) {
                try store.writeHistoricalFeatures(entities: Self.entityRows, features: ["all:trips"], to: "-", format: .parquet)
            }
        }
    }

    @Test func theFormatFollowsTheExtension() {
        #expect(HistoricalOutputFormat(pathExtensionOf: "a/train.parquet") == .parquet)
        #expect(HistoricalOutputFormat(pathExtensionOf: "train.FEATHER") == .arrow)
        #expect(HistoricalOutputFormat(pathExtensionOf: "train.arrow") == .arrow)
        #expect(HistoricalOutputFormat(pathExtensionOf: "train.ndjson") == .jsonLines)
        #expect(HistoricalOutputFormat(pathExtensionOf: "train.csv") == .csv)
        #expect(HistoricalOutputFormat(pathExtensionOf: "train.txt") == nil)
        #expect(HistoricalOutputFormat(pathExtensionOf: "dir.parquet/train") == nil)
    }
}
