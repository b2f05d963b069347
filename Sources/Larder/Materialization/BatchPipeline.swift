import Foundation

/// Batches filled on a worker thread while the caller writes the one before: the merge of a
/// view's sorted rows and the B-tree writes of the previous batch then run on two cores.
/// Two batches take turns, so memory stays at two batches; the write transactions stay on the
/// caller's thread, as LMDB requires.
final class BatchPipeline: @unchecked Sendable {
    /// A batch travelling between the threads; only one thread uses it at a time.
    final class Slot {
        var batch: RowBatch
        init(snapshot: UInt64) { batch = RowBatch(snapshot: snapshot) }
    }

    private let condition = NSCondition()
    private var empty: [Slot]
    private var filled: [Slot] = []
    private var producerFinished = false
    private var producerError: (any Error)?
    private var cancelled = false

    init(snapshot: UInt64) {
        empty = [Slot(snapshot: snapshot), Slot(snapshot: snapshot)]
    }

    /// Runs `produce` on a worker thread. It fills batches taken from `nextEmpty()` and hands
    /// each over with `send(_:)`; what it throws, `receive()` throws.
    func start(_ produce: @escaping @Sendable (BatchPipeline) throws -> Void) {
        DispatchQueue.global(qos: .userInitiated).async {
            var failure: (any Error)?
            do { try produce(self) } catch { failure = error }
            self.condition.lock()
            self.producerFinished = true
            if self.producerError == nil { self.producerError = failure }
            self.condition.broadcast()
            self.condition.unlock()
        }
    }

    // MARK: The worker's side

    /// An empty batch to fill, once the caller has written one; nil when the caller stopped.
    func nextEmpty() -> Slot? {
        condition.lock()
        defer { condition.unlock() }
        while empty.isEmpty && !cancelled { condition.wait() }
        return cancelled ? nil : empty.removeLast()
    }

    func send(_ slot: Slot) {
        condition.lock()
        filled.append(slot)
        condition.broadcast()
        condition.unlock()
    }

    // MARK: The caller's side

    /// The next filled batch, in the order sent; nil once the worker has finished and every
    /// batch was received. Throws what stopped the worker.
    func receive() throws -> Slot? {
        condition.lock()
        defer { condition.unlock() }
        while filled.isEmpty && !producerFinished { condition.wait() }
        if let producerError { throw producerError }
        return filled.isEmpty ? nil : filled.removeFirst()
    }

    /// Gives a written batch back to be filled again.
    func recycle(_ slot: Slot) {
        condition.lock()
        empty.append(slot)
        condition.broadcast()
        condition.unlock()
    }

    /// Stops the worker (the caller failed) and waits until it has.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while !producerFinished { condition.wait() }
        condition.unlock()
    }
}
