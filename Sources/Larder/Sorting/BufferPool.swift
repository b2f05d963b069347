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

    /// Buffers of `budget` bytes, at least 64 kB and at most 1 GB (one allocation the system
    /// might refuse; past it, sorters spill and match tables move to sorters).
    convenience init(budget: Int) {
        self.init(bufferSize: min(max(budget, 1 << 16), 1 << 30))
    }

    deinit {
        for buffer in owned { buffer.deallocate() }
    }

    /// A buffer of `bufferSize` bytes, with whatever an earlier user left in it (and bound to
    /// its type: rebind it to yours).
    func take() -> UnsafeMutableRawPointer {
        if let buffer = idle.popLast() { return buffer }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bufferSize, alignment: 16)
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
