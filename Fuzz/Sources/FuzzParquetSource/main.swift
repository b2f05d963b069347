// A Parquet file as a materialization reads it: the schema check against a view, row groups
// skipped by their statistics, and every row's cells encoded as each feature type, read as keys
// and as times — the path from ParquetKit's decoded columns to stored rows.
import Foundation
@testable import Larder

private let path = "/dev/shm/larder-fuzz-parquet-source-\(getpid()).parquet"
private let columns = ["driver_id", "event_timestamp", "conv_rate", "city", "embedding", "day"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParquetSource(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    FileManager.default.createFile(atPath: path, contents: Data(bytes: start, count: count))
    let expected: [ExpectedColumn] = [.key(.int64), .time, .value(.float64), .value(.string), .value(.float32List), .value(.timestamp)]
    for check in [nil, expected] {
        guard let source = try? ParquetRowSource(path: path, columns: columns, expected: check,
                                                 window: ("event_timestamp", 0..<Int64.max)) else { continue }
        var encoder = RowEncoder(schemaVersion: 1, types: ValueType.allCases)
        _ = try? source.forEachRow(malformed: nil) { row in
            for column in 0..<row.fieldCount {
                _ = row.isEmpty(column)
                encoder.begin()
                for (field, type) in ValueType.allCases.enumerated() { _ = row.encode(column, as: type, format: .iso8601, into: &encoder, field: field) }
                _ = withUnsafeTemporaryAllocation(byteCount: KeyEncoding.maxEntityKeyLength, alignment: 8) { key in
                    (row.writeKey(column, as: .int64, into: key, at: 0), row.writeKey(column, as: .string, into: key, at: 8))
                }
                _ = row.time(column, format: .epochSeconds)
            }
        }
    }
    return 0
}
