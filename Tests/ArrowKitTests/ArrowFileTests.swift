import ArrowKit
import Foundation
import TestSupport
import XCTest

/// Arrow files written here, read back by pyarrow and pandas (the real readers).
final class ArrowFileTests: XCTestCase {
    private func write(_ fields: [ArrowField], batches: [[ArrowColumn]], to path: String) throws {
        var bytes: [UInt8] = []
        let writer = try ArrowFileWriter(fields: fields) { bytes.append(contentsOf: $0) }
        for batch in batches { try writer.write(batch) }
        try writer.finish()
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    private func sampleColumns(offset: Int) throws -> [ArrowColumn] {
        var ids = ArrowColumn(.int64), rates = ArrowColumn(.float64), small = ArrowColumn(.int32)
        var ratio = ArrowColumn(.float32), flags = ArrowColumn(.bool), names = ArrowColumn(.string)
        var times = ArrowColumn(.timestampMicrosecondsUTC), embeddings = ArrowColumn(.list(.float64))
        for row in 0..<10 {
            let n = row + offset
            ids.append(Int64(1000 + n))
            if row % 3 == 0 { rates.appendNull() } else { rates.append(Double(n) / 4) }
            small.append(Int32(-n))
            if row == 4 { ratio.appendNull() } else { ratio.append(Float(n) / 2) }
            if row % 4 == 1 { flags.appendNull() } else { flags.append(row % 2 == 0) }
            if row == 7 { names.appendNull() } else { try names.append(row == 2 ? "" : "né-\(n)") }
            times.append(Int64(1_700_000_000_000_000 + n))
            if row == 5 { embeddings.appendNull() } else {
                try embeddings.appendList { elements in for index in 0..<(row % 3) { elements.append(Double(index) + 0.5) } }
            }
        }
        return [ids, rates, small, ratio, flags, names, times, embeddings]
    }

    private let fields = [
        ArrowField("driver_id", .int64), ArrowField("rate", .float64), ArrowField("small", .int32), ArrowField("ratio", .float32),
        ArrowField("flag", .bool), ArrowField("name", .string), ArrowField("at", .timestampMicrosecondsUTC),
        ArrowField("embedding", .list(.float64)),
    ]

    func testPyarrowAndPandasReadEveryTypeWithNulls() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/sample.arrow"
            try write(fields, batches: [try sampleColumns(offset: 0), try sampleColumns(offset: 10)], to: path)
            let output = try PythonReaders.run("""
                import sys, json, pyarrow.ipc as ipc, pandas as pd
                reader = ipc.open_file(sys.argv[1])
                table = reader.read_all()
                table.validate(full=True)
                print(reader.num_record_batches)
                print(table.schema.to_string(show_schema_metadata=False))
                print(json.dumps(table.to_pylist()[:11], default=str))
                frame = pd.read_feather(sys.argv[1])
                print(json.dumps({c: str(t) for c, t in frame.dtypes.items()}))
                """, [path])
            let lines = output.split(separator: "\n").map(String.init)
            XCTAssertEqual(lines[0], "2")
            XCTAssertEqual(Array(lines[1...8]), [
                "driver_id: int64", "rate: double", "small: int32", "ratio: float", "flag: bool", "name: string",
                "at: timestamp[us, tz=UTC]", "embedding: list<item: double>",
            ])
            let rows = try JSONSerialization.jsonObject(with: Data(lines[10].utf8)) as! [[String: Any]]
            XCTAssertEqual(rows.count, 11)
            XCTAssertEqual(rows[0]["driver_id"] as? Int, 1000)
            XCTAssert(rows[0]["rate"] is NSNull)
            XCTAssertEqual(rows[1]["rate"] as? Double, 0.25)
            XCTAssertEqual(rows[3]["small"] as? Int, -3)
            XCTAssert(rows[4]["ratio"] is NSNull)
            XCTAssertEqual(rows[3]["ratio"] as? Double, 1.5)
            XCTAssertEqual(rows[0]["flag"] as? Bool, true)
            XCTAssert(rows[1]["flag"] is NSNull)
            XCTAssertEqual(rows[3]["flag"] as? Bool, false)
            XCTAssertEqual(rows[1]["name"] as? String, "né-1")
            XCTAssertEqual(rows[2]["name"] as? String, "")
            XCTAssert(rows[7]["name"] is NSNull)
            XCTAssertEqual(rows[1]["at"] as? String, "2023-11-14 22:13:20.000001+00:00")
            XCTAssertEqual(rows[2]["embedding"] as? [Double], [0.5, 1.5])
            XCTAssertEqual(rows[0]["embedding"] as? [Double], [])
            XCTAssert(rows[5]["embedding"] is NSNull)
            XCTAssertEqual(rows[10]["driver_id"] as? Int, 1010)
            let dtypes = try JSONSerialization.jsonObject(with: Data(lines[11].utf8)) as! [String: String]
            XCTAssertEqual(dtypes["driver_id"], "int64")
            XCTAssertEqual(dtypes["rate"], "float64")
            XCTAssertEqual(dtypes["small"], "int32")
            XCTAssertEqual(dtypes["ratio"], "float32")
            XCTAssertEqual(dtypes["at"], "datetime64[us, UTC]")
        }
    }

    func testAFileWithNoBatchesHasTheSchema() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/empty.arrow"
            try write(fields, batches: [], to: path)
            let output = try PythonReaders.run("""
                import sys, pyarrow.ipc as ipc
                table = ipc.open_file(sys.argv[1]).read_all()
                print(table.num_rows, table.num_columns)
                """, [path])
            XCTAssertEqual(output, "0 8\n")
        }
    }

    func testABatchMustMatchTheSchema() throws {
        let writer = try ArrowFileWriter(fields: [ArrowField("a", .int64)]) { _ in }
        XCTAssertThrowsError(try writer.write([ArrowColumn(.float64)]))
        XCTAssertThrowsError(try writer.write([]))
    }
}
