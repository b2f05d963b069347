import LMDBKit
import TestSupport
import Testing

@Suite struct RoundTripTests {
    @Test func putGetDeleteRoundTrip() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment.open(path)
            let database = try environment.createDatabase(named: "things")
            try environment.write { (txn) throws in
                try txn.put(key("hello"), for: key("greeting"), in: database)
                try txn.put(key("bye"), for: key("farewell"), in: database)
            }
            try environment.read { (txn) throws in
                #expect(text(try txn.value(for: key("greeting"), in: database)) == "hello")
                #expect(try txn.value(for: key("missing"), in: database) == nil)
                #expect(try txn.contains(key("farewell"), in: database))
            }
            let deleted = try environment.write { txn in try txn.delete(key("farewell"), in: database) }
            let deletedAgain = try environment.write { txn in try txn.delete(key("farewell"), in: database) }
            #expect(deleted && !deletedAgain)
            #expect(try environment.read { try $0.contains(key("farewell"), in: database) } == false)
        }
    }

    @Test func zeroCopyReadsLendTheMappedBytes() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment.open(path)
            let database = try environment.createDatabase(named: "things")
            try environment.write { try $0.put([UInt8](repeating: 9, count: 64), for: key("k"), in: database) }
            try environment.read { (txn) throws in
                let first = try txn.withValue(for: key("k"), in: database) { $0.baseAddress }
                let second = try txn.withValue(for: key("k"), in: database) { $0.baseAddress }
                let viaCursor = try txn.withCursor(on: database) { try $0.first()?.value.baseAddress }
                // The same address every time: the bytes are the memory map's, never a copy.
                #expect(first != nil && first == second && second == viaCursor)
                let copy = try txn.value(for: key("k"), in: database)
                copy?.withUnsafeBytes { #expect($0.baseAddress != first) }
            }
        }
    }

    @Test func noOverwriteAndAppendRefuseWhatTheyMust() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment.open(path)
            let database = try environment.createDatabase(named: "things")
            try environment.write { (txn) throws in
                try txn.put(key("1"), for: bytes(1), in: database, options: .append)
                try txn.put(key("2"), for: bytes(2), in: database, options: .append)
            }
            #expect(throws: LMDBError.self) {
                try environment.write { try $0.put(key("x"), for: bytes(1), in: database, options: .noOverwrite) }
            }
            let error = #expect(throws: LMDBError.self) {
                try environment.write { try $0.put(key("0"), for: bytes(0), in: database, options: .append) }
            }
            #expect(error?.code == .keyExists)
            #expect(try environment.read { text(try $0.value(for: bytes(1), in: database)) } == "1")
        }
    }

    @Test func reservedPutsAreFilledInPlace() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment.open(path)
            let database = try environment.createDatabase(named: "things")
            try environment.write { (txn) throws in
                try key("k").withUnsafeBytes { k in
                    try txn.put(reservingLength: 4, for: k, in: database) { buffer in
                        buffer.copyBytes(from: [1, 2, 3, 4])
                    }
                }
            }
            #expect(try environment.read { try $0.value(for: key("k"), in: database) } == [1, 2, 3, 4])
        }
    }

    @Test func aThrowingWriteLeavesNothingBehind() throws {
        struct Oops: Error {}
        try withTemporaryDirectory { path in
            let environment = try Environment.open(path)
            let database = try environment.createDatabase(named: "things")
            try environment.write { try $0.put(key("kept"), for: key("a"), in: database) }
            #expect(throws: Oops.self) {
                try environment.write { (txn) throws in
                    try txn.put(key("lost"), for: key("a"), in: database)
                    try txn.put(key("lost"), for: key("b"), in: database)
                    _ = try txn.createDatabase(named: "never")
                    throw Oops()
                }
            }
            try environment.read { (txn) throws in
                #expect(text(try txn.value(for: key("a"), in: database)) == "kept")
                #expect(try txn.value(for: key("b"), in: database) == nil)
            }
            #expect(try environment.database(named: "never") == nil)
        }
    }

    @Test func clearEmptiesAndDropRemoves() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment.open(path)
            let kept = try environment.createDatabase(named: "kept")
            let dropped = try environment.createDatabase(named: "dropped")
            try environment.write { (txn) throws in
                for index in 0..<10 {
                    try txn.put(bytes(index), for: bytes(index), in: kept)
                    try txn.put(bytes(index), for: bytes(index), in: dropped)
                }
            }
            try environment.write { (txn) throws in
                try txn.clear(kept)
                try txn.drop(dropped)
            }
            #expect(try environment.read { try $0.statistics(of: kept).entries } == 0)
            #expect(try environment.database(named: "kept") != nil)
            #expect(try environment.database(named: "dropped") == nil)
        }
    }

    @Test func statisticsCountEntries() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment.open(path)
            let database = try environment.createDatabase(named: "things")
            try environment.write { (txn) throws in
                for index in 0..<1_000 { try txn.put(bytes(index), for: bytes(index), in: database) }
            }
            let statistics = try environment.read { try $0.statistics(of: database) }
            #expect(statistics.entries == 1_000)
            #expect(statistics.pageSize >= 4096)
            #expect(statistics.depth >= 1)
            #expect(environment.statistics.entries == 1)  // the main tree lists one named database
            #expect(environment.info.lastTransactionID >= 2)
        }
    }
}
