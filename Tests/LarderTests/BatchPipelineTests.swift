import Foundation
@testable import Larder
import Testing

/// Batches filled on a worker thread and written on the caller's: every batch arrives, in the
/// order sent; a failure on either side stops both, without a hang.
@Suite struct BatchPipelineTests {
    struct Stop: Error {}

    /// Fills `count` batches of one row each, the row holding the batch's number.
    func produce(_ count: Int, failingAt failure: Int? = nil) -> @Sendable (BatchPipeline) throws -> Void {
        { pipeline in
            for number in 0..<count {
                if number == failure { throw Stop() }
                guard let slot = pipeline.nextEmpty() else { throw CancellationError() }
                withUnsafeBytes(of: Int64(number)) { row in
                    slot.batch.append(entity: row, eventTime: 0, createdTime: 0, row: row)
                }
                pipeline.send(slot)
            }
        }
    }

    func number(_ slot: BatchPipeline.Slot) -> Int64 {
        slot.batch.withArena { arena in
            Int64(arena.loadUnaligned(fromByteOffset: slot.batch.entries[0].valueStart, as: Int64.self))
        }
    }

    @Test func everyBatchArrivesInOrder() throws {
        let pipeline = BatchPipeline(snapshot: 1)
        pipeline.start(produce(1_000))
        var received: [Int64] = []
        while let slot = try pipeline.receive() {
            received.append(number(slot))
            slot.batch.removeAll()
            pipeline.recycle(slot)
        }
        #expect(received == (0..<1_000).map(Int64.init))
    }

    @Test func aFailureOfTheWorkerReachesTheCaller() throws {
        let pipeline = BatchPipeline(snapshot: 1)
        pipeline.start(produce(1_000, failingAt: 10))
        #expect(throws: Stop.self) {
            while let slot = try pipeline.receive() {
                slot.batch.removeAll()
                pipeline.recycle(slot)
            }
        }
    }

    /// The caller stops after the first batch (a write failed): the worker, waiting for an
    /// empty batch, stops too, and `cancel()` returns once it has.
    @Test func aCallerThatStopsStopsTheWorker() throws {
        let pipeline = BatchPipeline(snapshot: 1)
        pipeline.start(produce(1_000))
        _ = try pipeline.receive()
        pipeline.cancel()
        #expect(throws: CancellationError.self) { _ = try pipeline.receive() }
    }
}
