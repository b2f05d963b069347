// LMDB's meta and B-tree pages read from arbitrary bytes, as the truncation check on open and
// the structure check of `verify` read a damaged `data.mdb`.
import Foundation
@testable import LMDBKit

private let path = "/dev/shm/larder-fuzz-pages-\(getpid()).mdb"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPages(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    FileManager.default.createFile(atPath: path, contents: Data(bytes: start, count: count))
    try? DataFileHeader.checkNotTruncated(path, environment: "fuzz")
    if let header = DataFileHeader.read(path) {
        _ = try? DataFileHeader.walk(path, header: header)
    }
    return 0
}
