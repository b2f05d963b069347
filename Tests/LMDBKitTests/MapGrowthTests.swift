import LMDBKit
import TestSupport
import Testing

@Suite struct MapGrowthTests {
    @Test func aTinyMapGrowsPastTwoHundredMegabytes() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment.open(path, options: .defaults {
                $0.mapSize = 64 * 1024
                $0.syncOnCommit = false
            })
            let database = try environment.createDatabase(named: "big")
            let value = [UInt8](repeating: 0xAB, count: 4_000)
            var attempts = 0
            // 55,000 values of 4 kB: 220 MB in ten commits, each of which may need the map to grow.
            for batch in 0..<10 {
                try environment.write { (txn) throws in
                    attempts += 1
                    for index in 0..<5_500 {
                        try txn.put(value, for: bytes(batch * 5_500 + index), in: database)
                    }
                }
            }
            #expect(attempts > 10)  // some closures ran again after the map grew
            #expect(environment.info.mapSize > 200 * 1024 * 1024)
            try environment.read { (txn) throws in
                #expect(try txn.statistics(of: database).entries == 55_000)
                #expect(try txn.value(for: bytes(0), in: database) == value)
                #expect(try txn.value(for: bytes(54_999), in: database) == value)
            }
        }
    }

    @Test func aMapAtItsLimitFailsWithMapFull() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment.open(path, options: .defaults {
                $0.mapSize = 1 << 20
                $0.maxMapSize = 1 << 20
            })
            let database = try environment.createDatabase(named: "d")
            try environment.write { try $0.put(key("kept"), for: key("first"), in: database) }
            let error = #expect(throws: LMDBError.self) {
                try environment.write { (txn) throws in
                    for index in 0..<1_000 { try txn.put([UInt8](repeating: 1, count: 4_000), for: bytes(index), in: database) }
                }
            }
            #expect(error?.code == .mapFull)
            #expect(text(try environment.read { try $0.value(for: key("first"), in: database) }) == "kept")
        }
    }
}
