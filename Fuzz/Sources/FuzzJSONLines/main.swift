// The JSON Lines reader over arbitrary bytes, each value then converted to every value type.
import Foundation
@testable import Larder

private let path = "/dev/shm/larder-fuzz-jsonl-\(getpid()).jsonl"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONLines(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    FileManager.default.createFile(atPath: path, contents: Data(bytes: start, count: count))
    let source = JSONLinesRowSource(name: path, columns: ["a", "b", "event_timestamp"])
    try? source.forEachRow(malformed: { _ in }) { row in
        for column in 0..<row.fieldCount {
            for type in ValueType.allCases { _ = row.value(column, as: type, format: column == 2 ? .epochSeconds : .iso8601) }
            _ = withUnsafeTemporaryAllocation(byteCount: KeyEncoding.maxEntityKeyLength, alignment: 8) { key in
                row.writeKey(column, as: column == 0 ? .int64 : .string, into: key, at: column * 100)
            }
            _ = row.time(column, format: column == 2 ? .epochSeconds : .iso8601)
        }
    }
    return 0
}
