import Foundation
import Testing
import TestSupport

/// Random damage in the middle of `data.mdb`: `larder verify` reports it or finds the store
/// clean (damage to free pages, or to a float's bits, is invisible), and never crashes.
@Suite struct DamagedStoreTests {
    @Test func verifyNeverCrashesOnRandomDamage() throws {
        try withTemporaryDirectory { path in
            let repo = try makeRepository(in: path)
            #expect(try larder("export", "compact", in: repo).status == 0)
            var random = SeededSequence(seed: 2026)
            var outcomes: [Int32: Int] = [:]
            for trial in 0..<40 {
                // Half the trials on the live store (with free pages), half on a compacted copy
                // (where every page is in use).
                let source = repo + (trial % 2 == 0 ? "/.larder" : "/compact")
                let damaged = path + "/damaged"
                try? FileManager.default.removeItem(atPath: damaged)
                try FileManager.default.createDirectory(atPath: damaged, withIntermediateDirectories: true)
                var data = try Data(contentsOf: URL(fileURLWithPath: source + "/data.mdb"))
                let offset = data.count / 4 + Int(random.next() % UInt64(data.count / 2))
                for index in 0..<16 { data[offset + index] = UInt8(truncatingIfNeeded: random.next()) }
                try data.write(to: URL(fileURLWithPath: damaged + "/data.mdb"))
                let result = try larder("verify", "--store", damaged, in: repo)
                outcomes[result.status, default: 0] += 1
                #expect(result.status == 0 || result.status == 2, "trial \(trial), offset \(offset): \(result)")
                if result.status == 2 { #expect(result.stderr.hasPrefix("larder: verify found"), "\(result)") }
            }
            #expect(outcomes[2, default: 0] >= 10, "\(outcomes)")
        }
    }
}

/// A deterministic sequence (Knuth's MMIX linear congruential generator), so a failing trial
/// can be repeated.
struct SeededSequence {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 11
    }
}
