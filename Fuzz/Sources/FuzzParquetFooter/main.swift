// A Parquet footer's Thrift metadata, as ParquetKit decodes it before anything else of a file.
import ParquetKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParquetFooter(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    if let metadata = try? FileMetaData(thrift: bytes) {
        // Whatever decodes must be usable: walk all of it.
        _ = metadata.schema.map { ($0.name, $0.type?.description, $0.logicalType) }
        _ = metadata.rowGroups.flatMap(\.columns).map { ($0.metaData?.pathInSchema, $0.metaData?.codec.description) }
    }
    return 0
}
