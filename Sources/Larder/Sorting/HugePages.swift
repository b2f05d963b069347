#if canImport(Glibc)
import Glibc
#endif

/// Asks Linux to back the 2 MB-aligned middle of a large buffer with huge pages (when the system
/// leaves that to programs, `transparent_hugepage=madvise`): the sort buffers are touched at
/// scattered places, and with 4 KB pages nearly every touch of a record is a TLB miss, and the
/// first one a page fault. A hint only; elsewhere it does nothing.
func adviseHugePages(_ start: UnsafeMutableRawPointer?, byteCount: Int) {
    #if os(Linux)
    let hugePage = 2 << 20
    guard let start, byteCount >= 2 * hugePage else { return }
    let first = (Int(bitPattern: start) + hugePage - 1) & ~(hugePage - 1)
    let end = (Int(bitPattern: start) + byteCount) & ~(hugePage - 1)
    guard end > first else { return }
    _ = madvise(UnsafeMutableRawPointer(bitPattern: first), end - first, MADV_HUGEPAGE)
    #endif
}
