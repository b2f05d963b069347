// A whole Parquet file as ParquetKit reads it: the footer, every column chunk's pages,
// decompressed with their codecs (SNAPPY, ZSTD, GZIP), v1 and v2 data pages, and every
// column's levels and values decoded (RLE/bit-packed levels, PLAIN, dictionaries).
import Foundation
import ParquetKit

private let path = "/dev/shm/larder-fuzz-parquet-\(getpid()).parquet"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParquetPages(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    FileManager.default.createFile(atPath: path, contents: Data(bytes: start, count: count))
    guard let file = try? ParquetFile(path: path) else { return 0 }
    for (group, rowGroup) in file.metadata.rowGroups.enumerated().prefix(8) {
        for column in rowGroup.columns.indices.prefix(16) {
            try? file.forEachPage(rowGroup: group, column: column) { header, bytes in
                _ = (header.valueCount, bytes.first, bytes.last)
            }
            if let data = try? file.readColumn(rowGroup: group, column: column) {
                _ = (data.values.count, data.definitionLevels.last, data.repetitionLevels.last)
            }
        }
    }
    return 0
}
