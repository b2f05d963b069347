import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Larder
import LarderServer
import TestSupport
import Testing

/// `/metrics`' per-feature gauges: the null rate of each view's newest snapshot, and its drift
/// scores against the configured baseline snapshot.
@Suite struct MetricsStatisticsTests {
    @Test func nullRatesAndDriftAgainstTheBaseline() async throws {
        try await withTemporaryDirectory { directory in
            let store = try FeatureStore.open(directory + "/store")
            let view = FeatureView("stats", entityNames: ["driver"], sourceName: "pushed", features: [Field("rate", .float64)])
            @Sendable func definitions(_ view: FeatureView) -> Definitions {
                Definitions(entities: [Entity("driver", joinKey: "driver_id")], sources: [Source.push("pushed")], views: [view])
            }
            try store.apply(definitions(view))
            @Sendable func push(day: Int64, shift: Double) throws -> UInt64 {
                let time = FeatureValue.timestamp(Timestamp(seconds: 1_714_521_600 + day * 86_400))
                let rows: [[String: FeatureValue]] = (0..<200).map { driver in
                    ["driver_id": .int64(Int64(driver)), "event_timestamp": time,
                     "rate": driver % 4 == 0 ? .null : .float64(shift + Double(driver) / 200)]
                }
                return try store.push(rows, to: "stats").id
            }
            let baseline = try push(day: 0, shift: 0)
            _ = try push(day: 1, shift: 1)
            let server = FeatureServer(store: store, configuration: .init(port: 0, accessLog: false, driftBaseline: baseline))
            try await server.withRunning { port in
                var text = ""
                func scrape() async throws {
                    let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!)
                    text = String(decoding: data, as: UTF8.self)
                }
                func value(_ name: String) -> Double? {
                    text.split(separator: "\n").first { $0.hasPrefix(name + "{") && $0.contains(#"feature="rate""#) }
                        .flatMap { Double($0.split(separator: " ").last!) }
                }
                try await scrape()
                #expect(value("larder_feature_null_rate") == 0.25, "\(text)")
                #expect(try #require(value("larder_feature_drift_psi")) > 0.1)
                #expect(try #require(value("larder_feature_drift_wasserstein")) > 1)
                #expect(value("larder_feature_drift_jensen_shannon") != nil)
                #expect(value("larder_feature_drifting") == 1, "\(text)")
                // Judged by the view's own thresholds once its monitoring block allows the shift.
                try store.apply(definitions(view.monitoring(DriftThresholds(psi: 100, jensenShannon: 1, wasserstein: 100))))
                _ = try push(day: 2, shift: 1)
                try await scrape()
                #expect(value("larder_feature_drifting") == 0, "\(text)")
            }
        }
    }
}
