import Foundation

/// One full buffer of records on its way to a run file: sorted, then written. It runs on a
/// worker thread while the sorter fills its other buffer, so that a materialization's parsing
/// and its sorting share the machine's cores, or on the caller's thread.
///
/// The job owns what it is given until `finish()` hands it back: the records, a scratch
/// buffer of the same size for the sort, and the arena.
final class SpillJob: @unchecked Sendable {
    struct Buffers {
        /// The two record buffers, for the pool; the arena, emptied, to fill again.
        var recordBuffers: (UnsafeMutableRawPointer, UnsafeMutableRawPointer)
        var arena: [UInt8]
    }

    private var records: UnsafeMutablePointer<SortRecord>
    private var scratch: UnsafeMutablePointer<SortRecord>
    private let count: Int
    private var arena: [UInt8]
    private let layout: RecordLayout
    private let path: String
    private var failure: (any Error)?
    private let done = DispatchSemaphore(value: 0)

    init(records: UnsafeMutablePointer<SortRecord>, scratch: UnsafeMutablePointer<SortRecord>, count: Int,
         arena: consuming [UInt8], layout: RecordLayout, path: String) {
        self.records = records
        self.scratch = scratch
        self.count = count
        self.arena = arena
        self.layout = layout
        self.path = path
    }

    /// Runs the job on the calling thread.
    func run() {
        defer { done.signal() }
        do {
            if sortRecords(records, scratch: scratch, count: count, layout: layout, arena: arena) { swap(&records, &scratch) }
            let (records, count, layout) = (records, count, layout)
            try arena.withUnsafeBytes { bytes in
                try RunFile.write(to: path) { write in
                    for record in UnsafeBufferPointer(start: records, count: count) {
                        try record.withKey(layout, in: bytes) { key in try write(key, record.payload(layout, in: bytes)) }
                    }
                }
            }
        } catch {
            failure = error
        }
    }

    /// Runs the job on a worker thread.
    func start() {
        DispatchQueue.global(qos: .userInitiated).async { self.run() }
    }

    /// Waits for the job, then hands back its buffers, or throws what stopped it.
    func finish() throws -> Buffers {
        done.wait()
        done.signal()  // A second call returns at once.
        arena.removeAll(keepingCapacity: true)
        let buffers = Buffers(recordBuffers: (UnsafeMutableRawPointer(records), UnsafeMutableRawPointer(scratch)), arena: arena)
        arena = []
        if let failure { throw failure }
        return buffers
    }
}

/// Sorts `count` records by their keys (see `radixSort`), using `scratch`, a buffer of the
/// same size; returns whether they ended up in `scratch`.
func sortRecords(
    _ records: UnsafeMutablePointer<SortRecord>, scratch: UnsafeMutablePointer<SortRecord>, count: Int,
    layout: RecordLayout, arena: [UInt8]
) -> Bool {
    guard count > 1 else { return false }
    let (all, spare) = (UnsafeMutableBufferPointer(start: records, count: count), UnsafeMutableBufferPointer(start: scratch, count: count))
    if case .inline = layout {
        // Keys of one length, equal in their first 16 bytes: the next 8 decide.
        return radixSort(all, scratch: spare) { $0.word < $1.word }
    }
    return arena.withUnsafeBytes { bytes in
        radixSort(all, scratch: spare) { left, right in
            left.withKey(.arena, in: bytes) { left in right.withKey(.arena, in: bytes) { right in compareAfterPrefix(left, right) < 0 } }
        }
    }
}
