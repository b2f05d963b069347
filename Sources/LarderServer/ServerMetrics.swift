import Foundation
import Larder
import NIOConcurrencyHelpers
import Prometheus

/// The server's Prometheus metrics, one registry per server, under Feast's names where Feast
/// has one: requests and their latency per endpoint (buckets from 10 µs to 1 s — Feast's start at
/// 5 ms, where every Larder read would land), statuses per view, entities per request,
/// materialization runs and their duration, and each view's freshness.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    /// Counters, histograms and gauges by family and labels, made once each.
    private let made = NIOLockedValueBox<[String: any Sendable]>([:])
    private let entityCount: ValueHistogram

    static let latencyBuckets: [Duration] = [10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000,
                                             100_000, 250_000, 500_000, 1_000_000].map { .microseconds($0) }

    init() {
        entityCount = registry.makeValueHistogram(
            descriptor: Self.name("feast_online_features_entity_count", "Entity rows per get-online-features request"),
            buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 5_000, 10_000])
    }

    private static func name(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    /// The metric of `family` with `labels`, made by `make` the first time only (making one
    /// takes the registry's lock and looks it up).
    private func metric<Metric: Sendable>(_ family: String, _ labels: [(String, String)], make: () -> Metric) -> Metric {
        let key = family + labels.map { "|\($0.0)=\($0.1)" }.joined()
        return made.withLockedValue { cache in
            if let metric = cache[key] as? Metric { return metric }
            let metric = make()
            cache[key] = metric
            return metric
        }
    }

    private func counter(_ family: String, _ help: String, _ labels: [(String, String)]) -> Counter {
        metric(family, labels) { registry.makeCounter(descriptor: Self.name(family, help), labels: labels) }
    }

    private func histogram(_ family: String, _ help: String, _ labels: [(String, String)], buckets: [Duration]) -> DurationHistogram {
        metric(family, labels) { registry.makeDurationHistogram(descriptor: Self.name(family, help), labels: labels, buckets: buckets) }
    }

    private func gauge(_ family: String, _ help: String, _ labels: [(String, String)]) -> Gauge {
        metric(family, labels) { registry.makeGauge(descriptor: Self.name(family, help), labels: labels) }
    }

    /// A request answered: `endpoint` is the route's template (never the raw path, so the
    /// series stay few).
    func request(endpoint: String, status: Int, elapsed: Duration) {
        // Looked up by a key that costs no string building: this runs on every request.
        let (count, latency) = requestSeries.withLockedValue { cache in
            let key = RequestSeries(endpoint: endpoint, status: status)
            if let found = cache[key] { return found }
            let made = (counter("feast_feature_server_request_total", "Requests, by endpoint and status", [("endpoint", endpoint), ("status", String(status))]),
                        histogram("feast_feature_server_request_latency_seconds", "Request latency, by endpoint", [("endpoint", endpoint)],
                                  buckets: Self.latencyBuckets))
            cache[key] = made
            return made
        }
        count.increment()
        latency.record(elapsed)
    }

    private struct RequestSeries: Hashable {
        let endpoint: String
        let status: Int
    }

    private struct StatusSeries: Hashable {
        let view: String
        let status: FeatureStatus
    }

    private let requestSeries = NIOLockedValueBox<[RequestSeries: (Counter, DurationHistogram)]>([:])
    private let statusSeries = NIOLockedValueBox<[StatusSeries: Counter]>([:])

    /// An online lookup's answer: its entity rows, and its statuses per view.
    func online(_ response: OnlineResponse) {
        entityCount.record(Double(response.rowCount))
        for column in response.names.indices {
            // A view's columns are counted together, in one pass over their cells: one counter
            // update per view and status.
            let view = response.views[column]
            guard response.views.firstIndex(of: view) == column else { continue }
            var counts = InlineArray<4, Int>(repeating: 0)
            for other in column..<response.names.count where response.views[other] == view {
                for row in 0..<response.rowCount { counts[Self.index(of: response[row, other].status)] += 1 }
            }
            for (index, status) in Self.statuses.enumerated() where counts[index] > 0 {
                let series = statusSeries.withLockedValue { cache in
                    let key = StatusSeries(view: view, status: status)
                    if let found = cache[key] { return found }
                    let made = counter("feast_online_features_status_total", "Online feature values, by view and status",
                                       [("feature_view", view), ("status", "\(OnlineFeaturesResponse.name(status))")])
                    cache[key] = made
                    return made
                }
                series.increment(by: Int64(counts[index]))
            }
        }
    }

    private static let statuses: [FeatureStatus] = [.present, .null, .notFound, .outsideMaxAge]

    /// `status`'s place in `statuses`.
    private static func index(of status: FeatureStatus) -> Int {
        switch status {
        case .present: 0
        case .null: 1
        case .notFound: 2
        case .outsideMaxAge: 3
        }
    }

    /// A materialization run through the server.
    func materialization(elapsed: Duration, succeeded: Bool) {
        counter("larder_materialization_total", "Materialization runs through the server, by outcome",
                [("outcome", succeeded ? "success" : "failure")]).increment()
        histogram("feast_materialization_duration_seconds", "Materialization run durations", [],
                  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900].map { .milliseconds(Int64($0 * 1000)) }).record(elapsed)
    }

    /// A watching server switched to a newer export.
    func storeSwitched() {
        counter("larder_store_switches_total", "Switches to a newer export (serve --watch)", []).increment()
    }

    /// The text exposition format, for `GET /metrics`, with each view's freshness — now less
    /// the newest event time any run stored in it — measured at the scrape; and per feature, from
    /// the statistics of the newest snapshot that covered its view, the null rate and, against
    /// `driftBaseline`, the drift scores.
    func exposition(store: FeatureStore, driftBaseline: UInt64? = nil) -> [UInt8] {
        if let snapshots = try? store.snapshots() {
            var newest: [String: Timestamp] = [:]
            var latestRun: [String: UInt64] = [:]
            for snapshot in snapshots {
                for run in snapshot.views {
                    if let time = run.newestEventTime { newest[run.view] = max(newest[run.view] ?? time, time) }
                    latestRun[run.view] = snapshot.id
                }
            }
            let now = Timestamp.now
            for (view, time) in newest {
                gauge("feast_feature_freshness_seconds", "Now less the newest event time stored, by view", [("feature_view", view)])
                    .set(to: Double(now.microseconds - time.microseconds) / 1_000_000)
            }
            featureGauges(store: store, latestRun: latestRun, driftBaseline: driftBaseline)
        }
        return registry.emitToBuffer()
    }

    /// The per-feature gauges, recomputed only when a view's newest snapshot changes.
    private func featureGauges(store: FeatureStore, latestRun: [String: UInt64], driftBaseline: UInt64?) {
        let stale = latestRun.filter { view, id in featureGaugesMade.withLockedValue { $0[view] } != id }
        guard !stale.isEmpty else { return }
        // The baseline is read only when some view has a newer snapshot to compare.
        let baseline = driftBaseline.flatMap { try? store.statistics(snapshot: $0) }
        let definitions = try? store.registry.definitions
        // A snapshot that covered several views is read once for all of them.
        var snapshots: [UInt64: [String: [String: FeatureStatistics]]] = [:]
        for (view, id) in stale {
            if snapshots[id] == nil { snapshots[id] = (try? store.statistics(snapshot: id)) ?? [:] }
            guard let statistics = snapshots[id]?[view] else { continue }
            for (feature, current) in statistics {
                let labels = [("feature_view", view), ("feature", feature)]
                if let rate = current.nullRate {
                    gauge("larder_feature_null_rate", "Share of null values in the newest snapshot's rows, by feature", labels).set(to: rate)
                }
                guard let base = baseline?[view]?[feature], let scores = try? Drift.scores(baseline: base, current: current) else { continue }
                gauge("larder_feature_drift_psi", "PSI of the newest snapshot against the drift baseline, by feature", labels).set(to: scores.psi)
                gauge("larder_feature_drift_jensen_shannon", "Jensen-Shannon distance against the drift baseline, by feature", labels)
                    .set(to: scores.jensenShannon)
                if let wasserstein = scores.wasserstein {
                    gauge("larder_feature_drift_wasserstein", "Wasserstein distance over the baseline's standard deviation, by feature", labels)
                        .set(to: wasserstein)
                }
                // Judged by the view's `monitoring:` thresholds, as `larder drift` judges it.
                let thresholds = definitions?.view(named: view)?.driftThresholds(for: feature) ?? .standard
                gauge("larder_feature_drifting", "1 when a drift score reaches its threshold (the view's monitoring block, else 0.1), by feature", labels)
                    .set(to: thresholds.areReached(by: scores) ? 1 : 0)
            }
            featureGaugesMade.withLockedValue { $0[view] = id }
        }
    }

    /// The snapshot each view's feature gauges were last set from.
    private let featureGaugesMade = NIOLockedValueBox<[String: UInt64]>([:])
}
