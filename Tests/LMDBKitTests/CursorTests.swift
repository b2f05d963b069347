import LMDBKit
import TestSupport
import Testing

@Suite struct CursorTests {
    /// Keys 10, 20, …, 90 as big-endian integers.
    func withTens(_ body: (Environment, Database) throws -> Void) throws {
        try withTemporaryDirectory { path in
            let environment = try Environment.open(path)
            let database = try environment.createDatabase(named: "tens")
            try environment.write { (txn) throws in
                for value in stride(from: 10, through: 90, by: 10) {
                    try txn.put(bytes(value), for: bytes(value), in: database)
                }
            }
            try body(environment, database)
        }
    }

    @Test func movesInBothDirections() throws {
        try withTens { environment, database in
            try environment.read { (txn) throws in
                try txn.withCursor(on: database) { (cursor: borrowing Cursor) throws in
                    #expect(try cursor.first().map { integer($0.key) } == 10)
                    #expect(try cursor.next().map { integer($0.key) } == 20)
                    #expect(try cursor.previous().map { integer($0.key) } == 10)
                    #expect(try cursor.previous() == nil)
                    #expect(try cursor.last().map { integer($0.key) } == 90)
                    #expect(try cursor.next() == nil)
                }
            }
        }
    }

    @Test func seeksAtLeastAndAtMost() throws {
        try withTens { environment, database in
            try environment.read { (txn) throws in
                try txn.withCursor(on: database) { (cursor: borrowing Cursor) throws in
                    func atLeast(_ value: Int) throws -> Int? {
                        try bytes(value).withUnsafeBytes { try cursor.seek(atLeast: $0).map { integer($0.key) } }
                    }
                    func atMost(_ value: Int) throws -> Int? {
                        try bytes(value).withUnsafeBytes { try cursor.seek(atMost: $0).map { integer($0.key) } }
                    }
                    #expect(try atLeast(30) == 30)
                    #expect(try atLeast(31) == 40)
                    #expect(try atLeast(91) == nil)
                    #expect(try atMost(30) == 30)  // equal is included
                    #expect(try atMost(39) == 30)
                    #expect(try atMost(5) == nil)  // nothing at or before
                    #expect(try atMost(1_000) == 90)  // past the end: the last key
                }
            }
        }
    }

    @Test func iteratesAPrefixForwardsAndBackwards() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment.open(path)
            let database = try environment.createDatabase(named: "prefixed")
            let keys: [[UInt8]] = [[1, 0], [1, 5], [1, 0xFF], [1, 0xFF, 3], [2, 0], [0xFF, 1], [0xFF, 2]]
            try environment.write { (txn) throws in
                for key in keys { try txn.put(key, for: key, in: database) }
            }
            func scan(_ prefix: [UInt8], reverse: Bool) throws -> [[UInt8]] {
                try environment.read { (txn) throws in
                    try txn.withCursor(on: database) { (cursor: borrowing Cursor) throws in
                        var found: [[UInt8]] = []
                        try cursor.forEach(prefix: prefix, reverse: reverse) { found.append(Array($0.key)); return true }
                        return found
                    }
                }
            }
            #expect(try scan([1], reverse: false) == [[1, 0], [1, 5], [1, 0xFF], [1, 0xFF, 3]])
            #expect(try scan([1], reverse: true) == [[1, 0xFF, 3], [1, 0xFF], [1, 5], [1, 0]])
            #expect(try scan([1, 0xFF], reverse: true) == [[1, 0xFF, 3], [1, 0xFF]])
            #expect(try scan([0xFF], reverse: true) == [[0xFF, 2], [0xFF, 1]])
            #expect(try scan([3], reverse: true) == [])
            #expect(try scan([], reverse: false).count == keys.count)
            let firstTwo = try environment.read { (txn) throws in
                try txn.withCursor(on: database) { (cursor: borrowing Cursor) throws in
                    var found = 0
                    try cursor.forEach(prefix: [1]) { _ in found += 1; return found < 2 }
                    return found
                }
            }
            #expect(firstTwo == 2)
        }
    }

    @Test func deletesUnderTheCursorInAWrite() throws {
        try withTens { environment, database in
            try environment.write { (txn) throws in
                try txn.withCursor(on: database) { (cursor: borrowing Cursor) throws in
                    var entry = try cursor.first()
                    while let current = entry {
                        if integer(current.key) % 20 == 0 {
                            try cursor.deleteCurrent()
                            entry = try cursor.current()
                        } else {
                            entry = try cursor.next()
                        }
                    }
                }
            }
            let remaining = try environment.read { (txn) throws in
                try txn.withCursor(on: database) { (cursor: borrowing Cursor) throws in
                    var keys: [Int] = []
                    try cursor.forEach(prefix: []) { keys.append(integer($0.key)); return true }
                    return keys
                }
            }
            #expect(remaining == [10, 30, 50, 70, 90])
        }
    }
}
