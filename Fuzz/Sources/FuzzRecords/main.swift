// The decoders of stored bytes (rows, online records, keys) over arbitrary bytes: what every
// read and `verify` do with a damaged store's records.
@testable import Larder

private let schemas = [
    SchemaVersion(version: 1, fieldIDs: [1, 2, 3], types: [.bool, .string, .float64List]),
    SchemaVersion(version: 2, fieldIDs: [1, 4, 5, 6], types: [.int32, .stringList, .timestamp, .bytes]),
]
private let keyTypes: [[Entity.KeyType]] = [[.int64], [.string], [.string, .int64]]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecords(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    _ = RowView.problem(bytes, schemas: schemas)
    if let row = RowView(bytes) {
        for slot in 0..<min(row.fieldCount, 16) {
            for type in ValueType.allCases { _ = row.value(slot, as: type) }
        }
    }
    _ = OnlineRecord.problem(bytes) { RowView.problem($0, schemas: schemas) }
    if let record = OnlineRecord.visible(bytes, upTo: 7) {
        _ = OnlineRecord.row(record)
        _ = OnlineRecord.previous(record)
    }
    for types in keyTypes {
        _ = KeyEncoding.decode(bytes, types: types)
        _ = KeyEncoding.historyKeyProblem(bytes, types: types)
        _ = KeyEncoding.entityKeyProblem(bytes, types: types)
    }
    return 0
}
