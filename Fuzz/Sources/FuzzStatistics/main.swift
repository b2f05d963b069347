// Statistics files (`larder historical --stats`, `larder drift --baseline FILE`) read from any
// bytes: every input must decode to statistics or fail with an error, and any two features
// decoded must score, merge and print without a trap.
import Foundation
@testable import Larder

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStatistics(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    guard let views = try? JSONDecoder().decode([String: [String: FeatureStatistics]].self, from: data) else { return 0 }
    let features = views.values.flatMap(\.values)
    for baseline in features.prefix(4) {
        for current in features.prefix(4) {
            _ = try? Drift.scores(baseline: baseline, current: current)
            var merged = baseline
            merged.merge(current)
            _ = merged.numbers?.quantiles.quantiles([0.01, 0.5, 0.99])
            _ = merged.strings?.distinct.estimate
            _ = merged.strings?.frequent?.top(10)
            _ = try? JSONEncoder().encode(merged)
        }
    }
    return 0
}
