import Foundation
@testable import Larder
import TestSupport
import Testing

@Suite struct OnlineConcurrencyTests {
    static let entities = 200

    /// A store whose push view `gen` is rewritten whole by each push: every entity gets the
    /// same generation number, so a reader seeing two numbers at once saw half a snapshot.
    static func makeStore(_ path: String) throws -> FeatureStore {
        let store = try FeatureStore.open(path)
        let driver = Entity("driver", joinKey: "driver_id")
        let source = Source.push("generations")
        let view = FeatureView("gen", entities: [driver], source: source) { Field("generation", .int64) }
        try store.apply(Definitions(entities: [driver], sources: [source], views: [view]))
        return store
    }

    static func push(_ generation: Int64, to store: FeatureStore) throws {
        try store.push((0..<entities).map { id in
            ["driver_id": .int64(Int64(id)), "event_timestamp": .timestamp(Timestamp(seconds: generation)), "generation": .int64(generation)]
        }, to: "gen")
    }

    @Test func threadsReadWholeSnapshotsWhileMaterializationsCommit() throws {
        try withTemporaryDirectory { path in
            let store = try Self.makeStore(path)
            try Self.push(1, to: store)
            let view = try store.preparedView("gen")
            let stop = Flag()
            let torn = Counter()
            let seen = Counter()
            let readers = (0..<3).map { _ in
                Thread {
                    var last: Int64 = 0
                    while !stop.isSet {
                        try? store.withSession { session in
                            var generations = Set<Int64>()
                            for id in 0..<Int64(Self.entities) {
                                generations.insert(try session.withRow(view, key: id) { $0.int64(0) ?? -1 } ?? -2)
                            }
                            if generations.count != 1 { torn.add() }
                            if let generation = generations.first, generation != last { seen.add(); last = generation }
                        }
                    }
                }
            }
            readers.forEach { $0.start() }
            for generation in 2...60 { try Self.push(Int64(generation), to: store) }
            stop.set()
            while readers.contains(where: { !$0.isFinished }) { usleep(1_000) }
            #expect(torn.value == 0)
            #expect(seen.value > 3)
        }
    }

    @Test func anotherProcessReadsWholeSnapshots() throws {
        try withTemporaryDirectory { path in
            let store = try Self.makeStore(path)
            try Self.push(1, to: store)
            let child = try ChildProcess(["read-generations", path, "2"])
            #expect(child.readLine() == "started")
            var generation: Int64 = 2
            while child.process.isRunning {
                try Self.push(generation, to: store)
                generation += 1
            }
            let report = child.readLine() ?? ""
            #expect(child.wait() == 0)
            #expect(report.hasSuffix("torn 0"), "\(report)")
            #expect((Int(report.split(separator: " ")[1]) ?? 0) > 3, "\(report)")
        }
    }
}

@Suite struct ConcurrentRunTests {
    /// Two threads push at once: each push either commits whole or is refused because the
    /// other is in progress; nothing committed is ever hidden again.
    @Test func concurrentPushesNeverHideEachOther() throws {
        try withTemporaryDirectory { (path) throws in
            let store = try OnlineConcurrencyTests.makeStore(path)
            let committed = Counter()
            let refused = Counter()
            let threads = (0..<2).map { thread in
                Thread {
                    for round in 0..<20 {
                        do {
                            try OnlineConcurrencyTests.push(Int64(thread * 100 + round + 1), to: store)
                            committed.add()
                        } catch LarderError.runInProgress {
                            refused.add()
                        } catch {
                            Issue.record("unexpected \(error)")
                        }
                    }
                }
            }
            threads.forEach { $0.start() }
            while threads.contains(where: { !$0.isFinished }) { usleep(1_000) }
            #expect(committed.value + refused.value == 40)
            #expect(committed.value >= 2)
            let snapshots = Set(try store.snapshots().map(\.id))
            #expect(snapshots.count == committed.value)
            // Every entity's online row comes from a committed push: none was hidden or half-made.
            let view = try store.preparedView("gen")
            try store.withSession { (session) throws in
                for id in 0..<Int64(OnlineConcurrencyTests.entities) {
                    let snapshot = try session.withRow(view, key: id) { $0.snapshot }
                    #expect(snapshot.map(snapshots.contains) == true)
                }
            }
        }
    }
}
