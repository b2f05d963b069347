import Foundation
@testable import Larder
import Testing

/// The join's buffers on their own: the external sorter (keys held inline or in its arena, in
/// memory or spilled) and the per-row match table (in memory or moved to a sorter mid-way).
@Suite struct JoinBuffersTests {
    func withDirectory(_ body: (String) throws -> Void) throws {
        let directory = NSTemporaryDirectory() + "/larder-buffers-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(directory)
    }

    /// Keys of 0 to 40 bytes, with and without payloads, many sharing long prefixes: of many
    /// lengths, so the sorter holds them in its arena (see the next tests for inline keys).
    func records() -> [(key: [UInt8], payload: [UInt8])] {
        var state: UInt64 = 42
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        return (0..<5_000).map { index in
            let length = Int(next() % 41)
            // Few distinct byte values: many keys share their first 16 or 24 bytes; a quarter
            // share their first 15 (one long run of equal high words, sorted by radix passes
            // over the one byte of the low word that varies; the other runs are short, sorted
            // by insertion).
            let key = (0..<length).map { position in
                position < 15 && index % 4 == 0 ? 0 : position < 20 ? UInt8(next() % 2) : UInt8(next() % 256)
            }
            let payload = index % 3 == 0 ? [UInt8](repeating: UInt8(index % 256), count: Int(next() % 5)) : []
            return (key, payload)
        }
    }

    /// Sorts `input` with a sorter of `budget` and checks that the keys come back in byte order
    /// and every (key, payload) pair exactly once; returns how many runs spilled.
    func sortsBack(_ input: [(key: [UInt8], payload: [UInt8])], budget: Int, directory: String, concurrentSpills: Bool = false) throws -> Int {
        let sorter = ExternalSorter(budget: budget, directory: directory, concurrentSpills: concurrentSpills)
        for record in input {
            try record.key.withUnsafeBytes { key in try record.payload.withUnsafeBytes { try sorter.append(key: key, payload: $0) } }
        }
        var output: [(key: [UInt8], payload: [UInt8])] = []
        try sorter.sortedReader().forEach { key, payload in output.append((Array(key), Array(payload))) }
        #expect(output.map(\.key) == input.map(\.key).sorted { $0.lexicographicallyPrecedes($1) })
        func pairs(_ records: [(key: [UInt8], payload: [UInt8])]) -> [[UInt8]] {
            records.map { $0.key + [0xFF] + $0.payload }.sorted { $0.lexicographicallyPrecedes($1) }
        }
        #expect(pairs(output) == pairs(input))
        return sorter.spilledRuns
    }

    /// Spilled runs are merged with the records still in memory, whether they were written on
    /// the appending thread or on a worker while the next buffer filled.
    @Test(arguments: [1 << 30, 1], [false, true]) func sorterOrdersKeysByteWise(budget: Int, concurrentSpills: Bool) throws {
        try withDirectory { directory in
            let spilled = try sortsBack(records(), budget: budget, directory: directory, concurrentSpills: concurrentSpills)
            #expect(budget == 1 ? spilled > 2 : spilled == 0)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)  // runs are removed
        }
    }

    /// A run file cut short (a full disk, a file touched by someone else) is an error naming
    /// the file, not a silently shorter run.
    @Test func aTruncatedRunFileIsAnError() throws {
        try withDirectory { directory in
            let path = directory + "/run"
            try RunFile.write(to: path) { write in
                for index in 0..<3 {
                    try [UInt8](repeating: UInt8(index), count: 12).withUnsafeBytes { key in
                        try [UInt8](repeating: 9, count: 20).withUnsafeBytes { try write(key, $0) }
                    }
                }
            }
            let complete = try RunReader(path: path)
            var count = 0
            while complete.hasCurrent {
                count += 1
                try complete.advance()
            }
            #expect(count == 3)
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
            #expect(truncate(path, off_t(size - 5)) == 0)
            let cut = try RunReader(path: path)
            try cut.advance()
            #expect {
                try cut.advance()
            } throws: { error in
                (error as? TemporaryFileError).map { $0.path == path && $0.reason.contains("ends inside a record") } ?? false
            }
        }
    }

    /// Keys of one length without payloads (a join's lookups) are held whole in their records;
    /// a first key of another length, or with a payload, moves every key so far to the arena
    /// (or, past the budget, to disk first). Either way they come back in byte order, with their
    /// payloads: in memory, or from an inline or arena run merged with the records left in
    /// memory (a 64 kB buffer holds 2,730 records, so the misfit comes around a spill).
    @Test(arguments: [24, 9], [nil, 2_729, 2_730, 2_731, 3_000]) func keysOfOneLengthStayInlineUntilOneDoesNot(length: Int, odd: Int?) throws {
        try withDirectory { (directory) throws in
            var state: UInt64 = 7
            func next() -> UInt64 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return state >> 33
            }
            // Few byte values in the first 16 bytes: many keys are told apart by the rest.
            var input: [(key: [UInt8], payload: [UInt8])] = (0..<5_000).map { _ in
                ((0..<length).map { position in position < 16 ? UInt8(next() % 2) : UInt8(next() % 256) }, [])
            }
            if let odd {
                input[odd] = ([UInt8](repeating: 1, count: length + 1), [])
                input[odd + 1] = ([UInt8](repeating: 0, count: length), [7, 7])
            }
            #expect(try sortsBack(input, budget: 1 << 30, directory: directory) == 0)
            #expect(try sortsBack(input, budget: 1, directory: directory) > 0)
            #expect(try sortsBack(input, budget: 1, directory: directory, concurrentSpills: true) > 1)
        }
    }

    /// Matches set in a scrambled row order come back in row order, with the rows that have
    /// none, whether they stay in the table, start in a sorter, or move to one part-way.
    @Test(arguments: [1 << 30, 40_000, 1_000]) func matchesComeBackInRowOrder(budget: Int) throws {
        try withDirectory { directory in
            let rows = 4_000
            let table = MatchesByRow(rows: rows, budget: budget, directory: directory)
            var expected = [[UInt8]?](repeating: nil, count: rows)
            for step in 0..<rows where step % 5 != 0 {
                let row = (step * 2_654_435_761) % rows  // A permutation of 0..<rows (the multiplier is odd and prime to 4000).
                let match = [UInt8](repeating: UInt8(row % 251), count: row % 17)
                expected[row] = match
                try match.withUnsafeBytes { try table.set(row, to: $0) }
            }
            // 40 kB: the table (16 kB of offsets) fills past the budget part-way and moves to a
            // sorter; 1 kB: a sorter from the start. Both spill at the sorter's 64 kB minimum.
            #expect(budget == 1 << 30 ? table.spilledRuns == 0 : table.spilledRuns > 0)
            let reader = try table.reader()
            var output: [[UInt8]?] = []
            for row in 0..<rows {
                try reader.match(row) { match in output.append(match.map { Array($0) }) }
            }
            #expect(output == expected)
            // A row past those the table was made for (the input grew between the passes): none.
            var past: [UInt8]? = [1]
            try reader.match(rows) { match in past = match.map { Array($0) } }
            #expect(past == nil)
        }
    }
    /// The join's phases share one pool: two views' lookups, a sort's scratch, then each view's
    /// match table in a buffer another phase gave back (holding that phase's bytes, which must
    /// not show through as matches). Three buffers in all, not five.
    @Test func phasesReuseThePoolsBuffers() throws {
        try withDirectory { directory in
            let budget = 1 << 20
            let pool = BufferPool(bufferSize: budget)
            let lookups = (0..<2).map { _ in ExternalSorter(budget: budget, directory: directory, pool: pool) }
            let rows = 10_000
            for row in 0..<rows {
                for sorter in lookups {
                    try withUnsafeBytes(of: (UInt64(row % 97).bigEndian, UInt64(row).bigEndian)) { try sorter.append(key: $0) }
                }
            }
            var tables: [MatchesByRow] = []
            for sorter in lookups {
                let sorted = try sorter.sortedReader()
                let table = MatchesByRow(rows: rows, budget: budget, directory: directory, pool: pool)
                var previous: [UInt8] = []
                try sorted.forEach { key, _ in
                    #expect(previous.lexicographicallyPrecedes(key) || previous.isEmpty)
                    previous = Array(key)
                    let row = Int(KeyEncoding.loadUInt64(at: 8, in: key))
                    if row % 3 == 0 { try [UInt8(row % 256)].withUnsafeBytes { try table.set(row, to: $0) } }
                }
                tables.append(table)
            }
            #expect(pool.allocated == 3)
            for table in tables {
                let reader = try table.reader()
                for row in 0..<rows {
                    try reader.match(row) { match in #expect(match.map(Array.init) == (row % 3 == 0 ? [UInt8(row % 256)] : nil)) }
                }
            }
        }
    }
}
