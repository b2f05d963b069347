import Foundation
import NIOConcurrencyHelpers
import Larder

/// The rows of a write (`POST /push`, `POST /write-to-online-store`): Feast's `df`, one
/// equal-length list per column, turned into rows. Values keep their JSON kind (integers,
/// numbers, strings, booleans, null, lists); the store converts them to each feature's type as
/// it converts pushed rows, and times may be strings (`"2024-05-01 10:59:42+00:00"`).
struct WriteRequest {
    var target: String
    var rows: [[String: FeatureValue]]
    /// `/push`'s `to`: `online`, `offline` or `online_and_offline` (Larder writes both always).
    var to: String?

    init(json body: Data, targetField: String) throws(ServerError) {
        let object = try JSONValue.object(body)
        guard case .string(let name)? = object[targetField] else { throw .detail(.unprocessableContent, "give \(targetField), a string") }
        target = name
        switch object["to"] {
        case nil, .null?: to = nil
        case .string(let value)? where ["online", "offline", "online_and_offline"].contains(value): to = value
        case let other?: throw .detail(.unprocessableContent, "to is \(other.kind); give online, offline or online_and_offline")
        }
        rows = try ColumnTable(object["df"], field: "df", unit: "column", refusal: ", which no feature type holds", cell: Self.value).rows
    }

    /// The rows with the times of `view` read as Feast writes them: a string without a zone in
    /// the event or created timestamp column is UTC (Feast's clients send naive UTC times).
    func rows(for view: FeatureView) throws(ServerError) -> [[String: FeatureValue]] {
        let columns = [view.timestampColumn] + (view.createdTimestampColumn.map { [$0] } ?? [])
        var rows = self.rows
        for index in rows.indices {
            for column in columns {
                guard case .string(let text)? = rows[index][column] else { continue }
                do {
                    rows[index][column] = .timestamp(try Timestamp(parsing: text, format: .iso8601AssumingOffset(seconds: 0)))
                } catch {
                    throw .detail(.unprocessableContent, "df.\(column)[\(index)]: \(error.reason)")
                }
            }
        }
        return rows
    }

    /// A cell as a value: lists of numbers become float64 (or int64) lists, lists of strings
    /// string lists; objects and mixed lists hold no feature type.
    static func value(_ json: JSONValue) -> FeatureValue? {
        switch json {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .int64(number)
        case .double(let number): return .float64(number)
        case .string(let text): return .string(text)
        case .object: return nil
        case .array(let items):
            if items.allSatisfy({ if case .int = $0 { true } else { false } }) {
                return .int64List(items.map { if case .int(let number) = $0 { number } else { 0 } })
            }
            if items.allSatisfy({ switch $0 { case .int, .double: true; default: false } }) {
                return .float64List(items.map { switch $0 { case .int(let number): Double(number); case .double(let number): number; default: 0 } })
            }
            if items.allSatisfy({ if case .string = $0 { true } else { false } }) {
                return .stringList(items.map { if case .string(let text) = $0 { text } else { "" } })
            }
            return nil
        }
    }
}

/// The one writer. Pushes that arrive together are written together: every request's rows
/// for a view go into one run (one commit and one snapshot) instead of one each. A request is
/// answered only once its rows are committed; if the shared run fails, each request's rows are
/// written on their own, so that one bad request fails alone. It runs on a thread of its own.
actor StoreWriter {
    let store: FeatureStore
    private let thread = WriterThread(name: "larder-writer")
    nonisolated var unownedExecutor: UnownedSerialExecutor { thread.asUnownedSerialExecutor() }
    private var pending: [(views: [String: [[String: FeatureValue]]], done: CheckedContinuation<Void, any Error>)] = []
    private var draining = false

    init(store: FeatureStore) {
        self.store = store
    }

    /// Pushes the request's rows into each view; returns once they are committed.
    func push(_ write: WriteRequest, to views: [FeatureView]) async throws {
        var rows: [String: [[String: FeatureValue]]] = [:]
        for view in views { rows[view.name] = try write.rows(for: view) }
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            pending.append((rows, done))
            if !draining {
                draining = true
                Task { self.drain() }
            }
        }
    }

    /// Writes everything queued, a batch at a time (no other request enters meanwhile).
    private func drain() {
        while !pending.isEmpty {
            let batch = pending
            pending = []
            var failures = [Int: any Error]()
            let views = Set(batch.flatMap { $0.views.keys }).sorted()
            for view in views {
                let members = batch.indices.filter { batch[$0].views[view] != nil }
                do {
                    try store.push(members.flatMap { batch[$0].views[view]! }, to: view)
                } catch where members.count > 1 {
                    for member in members {
                        do { try store.push(batch[member].views[view]!, to: view) } catch { failures[member] = failures[member] ?? error }
                    }
                } catch {
                    failures[members[0]] = failures[members[0]] ?? error
                }
            }
            for (index, item) in batch.enumerated() {
                if let failure = failures[index] { item.done.resume(throwing: failure) } else { item.done.resume() }
            }
        }
        draining = false
    }

    /// Runs a materialization, one at a time with the pushes.
    func materialize(_ request: MaterializeRequest) throws -> Snapshot {
        if let start = request.start {
            return try store.materialize(request.views, from: start, to: request.end)
        }
        return try store.materializeIncremental(request.views, to: request.end)
    }
}

/// Whether a materialization is running (set by the request that starts one).
final class MaterializationFlag: Sendable {
    private let state = NIOLockedValueBox(false)

    /// Marks one as running; false if one already is.
    func start() -> Bool {
        state.withLockedValue { running in
            if running { return false }
            running = true
            return true
        }
    }

    func finish() {
        state.withLockedValue { $0 = false }
    }
}
