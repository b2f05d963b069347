import Foundation
@testable import Larder
import TestSupport
import Testing

@Suite struct ConcurrentApplyTests {
    /// Two processes apply 25 times each, each changing only its own view. With a registry
    /// rewritten whole (as in Feast's file registry) one process's updates would be lost.
    @Test func twoProcessesApplyingConcurrentlyLoseNoUpdate() throws {
        try withTemporaryDirectory { path in
            _ = try FeatureStore.open(path)
            let rounds = 25
            let first = try ChildProcess(["apply-loop", path, "view_a", String(rounds)])
            let second = try ChildProcess(["apply-loop", path, "view_b", String(rounds)])
            #expect(first.wait() == 0)
            #expect(second.wait() == 0)
            let registry = try FeatureStore.open(path).registry
            #expect(registry.version == UInt64(2 * rounds))
            #expect(registry.view(named: "view_a")?.description == "round \(rounds - 1)")
            #expect(registry.view(named: "view_b")?.description == "round \(rounds - 1)")
        }
    }
}
