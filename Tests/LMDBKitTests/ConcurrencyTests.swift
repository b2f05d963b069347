import Foundation
import LMDBKit
import TestSupport
import Testing

@Suite struct ConcurrencyTests {
    /// Each commit rewrites keys 0..<200 with one value; a reader must see a single value in all.
    @Test func threadsSeeWholeCommitsOnly() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment.open(path, options: .defaults { $0.syncOnCommit = false })
            let database = try environment.createDatabase(named: "d")
            func commit(_ generation: Int) throws {
                try environment.write { (txn) throws in
                    for index in 0..<200 { try txn.put(bytes(generation), for: bytes(index), in: database) }
                }
            }
            try commit(0)
            let done = Flag()
            let torn = Counter()
            let generationsSeen = Counter()
            let readers = (0..<4).map { _ in
                Thread {
                    var last = -1
                    while !done.isSet {
                        try? environment.read { (txn) throws in
                            var values = Set<Int>()
                            for index in 0..<200 {
                                values.insert(try txn.withValue(for: bytes(index), in: database) { integer($0) } ?? -1)
                            }
                            if values.count != 1 { torn.add() }
                            if let value = values.first, value != last { generationsSeen.add(); last = value }
                        }
                    }
                }
            }
            readers.forEach { $0.start() }
            for generation in 1...300 { try commit(generation) }
            done.set()
            while readers.contains(where: { !$0.isFinished }) { usleep(1_000) }
            #expect(torn.value == 0)
            #expect(generationsSeen.value > 4)  // readers really ran while commits landed
        }
    }
}
