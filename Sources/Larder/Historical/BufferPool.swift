#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The join's large buffers, all of one size, handed back when a phase is done with one and
/// handed out again to the next: a sort's scratch becomes a match table, the lookups a walk has
/// consumed become the next view's scratch. A reused buffer's pages are already resident; a
/// fresh one costs a page fault and a zeroed page at every first touch, a tenth of the join's
/// time on the benchmark machine. Each buffer counts against the memory budget whether in use
/// or not, and the join holds at most one more than it has views.
final class BufferPool {
    let bufferSize: Int
    private var idle: [UnsafeMutableRawPointer] = []
    private var owned: [UnsafeMutableRawPointer] = []

    init(bufferSize: Int) {
        self.bufferSize = bufferSize
    }

    deinit {
        for buffer in owned { free(buffer) }
    }

    /// A buffer of `bufferSize` bytes, with whatever an earlier user left in it; nil when the
    /// system refuses the memory.
    func take() -> UnsafeMutableRawPointer? {
        if let buffer = idle.popLast() { return buffer }
        guard let buffer = malloc(bufferSize) else { return nil }
        adviseHugePages(buffer, byteCount: bufferSize)
        owned.append(buffer)
        return buffer
    }

    /// How many buffers the pool has allocated: at most one more than the join has views.
    var allocated: Int { owned.count }

    /// Gives back a buffer from `take()`, for the next one to use.
    func give(_ buffer: UnsafeMutableRawPointer) {
        idle.append(buffer)
    }
}
