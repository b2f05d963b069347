// The CSV reader over arbitrary bytes, each field then parsed as every value type and as an
// entity key: what a materialization and a join's entity rows do with a source file.
import Foundation
@testable import Larder

private let path = "/dev/shm/larder-fuzz-csv-\(getpid()).csv"
private let formats: [TimestampFormat] = [.iso8601, .epochSeconds, .epochMilliseconds]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    FileManager.default.createFile(atPath: path, contents: Data(bytes: start, count: count))
    for delimiter: Character in [",", ";"] {
        guard let source = try? CSVRowSource(path: path, delimiter: delimiter) else { continue }
        // Malformed lines are skipped, as with --skip-invalid: reading must resynchronise.
        try? source.forEachRow(malformed: { _ in }) { record in
            for column in 0..<min(record.fieldCount, 4) {
                let field = record.field(column)
                for type in ValueType.allCases { _ = ValueParser.parse(field, as: type, timestampFormat: formats[column % formats.count]) }
                // At an offset, so that the room left is sometimes too small.
                _ = withUnsafeTemporaryAllocation(byteCount: KeyEncoding.maxEntityKeyLength, alignment: 8) { key in
                    record.writeKey(column, as: column % 2 == 0 ? .int64 : .string, into: key, at: column * 100)
                }
                _ = record.time(column, format: formats[column % formats.count])
                _ = record.string(column)
            }
        }
    }
    return 0
}
