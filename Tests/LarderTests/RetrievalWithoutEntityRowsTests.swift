import Foundation
@testable import Larder
import TestSupport
import Testing

/// Training sets without entity rows: every (entity, event time) of the requested views'
/// history in a window becomes an entity row, valued point in time like any other.
@Suite struct RetrievalWithoutEntityRowsTests {
    static func time(_ hour: Int) -> Timestamp { Timestamp(seconds: 1_714_521_600 + Int64(hour) * 3600) }

    /// `rates` (drivers 1, 2): driver 1 at hours 1 and 3, driver 2 at hour 2 (twice: a later
    /// snapshot rewrites it). `trips` (drivers): driver 1 at hours 1 and 2. `orders` (customers).
    func withStore(_ body: (FeatureStore, String) throws -> Void) throws {
        try withTemporaryDirectory { directory in
            let store = try FeatureStore.open(directory + "/store")
            let driver = Entity("driver", joinKey: "driver_id")
            let customer = Entity("customer", joinKey: "customer_id", type: .string)
            try store.apply(Definitions(
                entities: [driver, customer], sources: [Source.push("pushed")],
                views: [
                    FeatureView("rates", entityNames: ["driver"], sourceName: "pushed", features: [Field("rate", .float64)]),
                    FeatureView("trips", entityNames: ["driver"], sourceName: "pushed", features: [Field("trips", .int64)], ttl: .seconds(3600)),
                    FeatureView("orders", entityNames: ["customer"], sourceName: "pushed", features: [Field("orders", .int64)]),
                ]))
            func row(_ id: Int64, _ hour: Int, _ name: String, _ value: FeatureValue) -> [String: FeatureValue] {
                ["driver_id": .int64(id), "event_timestamp": .timestamp(Self.time(hour)), name: value]
            }
            try store.push([row(1, 1, "rate", .float64(0.1)), row(1, 3, "rate", .float64(0.3)), row(2, 2, "rate", .float64(0.2))], to: "rates")
            try store.push([row(1, 1, "trips", .int64(10)), row(1, 2, "trips", .int64(20))], to: "trips")
            try store.push([row(2, 2, "rate", .float64(0.25))], to: "rates")  // snapshot 3: a newer value for the same row
            try store.push([["customer_id": .string("c"), "event_timestamp": .timestamp(Self.time(1)), "orders": .int64(5)]], to: "orders")
            try body(store, directory)
        }
    }

    @Test func everyEntityAndTimeOfTheViewsOnceInKeyOrder() throws {
        try withStore { store, _ in
            let table = try store.historicalFeatures(features: ["rates:rate", "trips:trips"], from: Self.time(0), to: Self.time(24))
            #expect(table.columns == ["driver_id", "event_timestamp", "rate", "trips"])
            #expect(table.rows == [
                [.int64(1), .timestamp(Self.time(1)), .float64(0.1), .int64(10)],
                [.int64(1), .timestamp(Self.time(2)), .float64(0.1), .int64(20)],  // a trips time: rate as of then
                [.int64(1), .timestamp(Self.time(3)), .float64(0.3), .int64(20)],  // trips' ttl is one hour: 20 is exactly 1h old
                [.int64(2), .timestamp(Self.time(2)), .float64(0.25), .null],  // written twice: one row, the newer value
            ])
        }
    }

    @Test func theWindowAndTheSnapshotLimitTheRows() throws {
        try withStore { store, _ in
            let window = try store.historicalFeatures(features: ["rates"], from: Self.time(2), to: Self.time(3))
            #expect(window.rows == [[.int64(2), .timestamp(Self.time(2)), .float64(0.25)]])
            let before = try store.historicalFeatures(features: ["rates"], from: Self.time(0), to: Self.time(24),
                                                      options: HistoricalOptions(asOfSnapshot: 2))
            #expect(before.column("rate") == [.float64(0.1), .float64(0.3), .float64(0.2)])
            let empty = try store.historicalFeatures(features: ["rates"], from: Self.time(10), to: Self.time(20))
            #expect(empty.rows.isEmpty)
            #expect(empty.columns == ["driver_id", "event_timestamp", "rate"])
        }
    }

    @Test func viewsOfOtherEntitiesAreRefused() throws {
        try withStore { store, _ in
            #expect {
                try store.historicalFeatures(features: ["rates", "orders"], from: Self.time(0), to: Self.time(24))
            } throws: { error in
                "\(error)".contains("needs views of the same entities: rates has driver, orders has customer")
            }
        }
    }

    @Test func writtenAsParquetWithTypedKeys() throws {
        try withStore { store, directory in
            let path = directory + "/history.parquet"
            let temporary = directory + "/tmp"
            try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
            let summary = try store.writeHistoricalFeatures(features: ["orders"], from: Self.time(0), to: Self.time(24), to: path, format: .parquet,
                                                            options: HistoricalOptions(temporaryDirectory: temporary))
            #expect(summary.rows == 1)
            let output = try PythonReaders.run("""
                import sys, pyarrow.parquet as pq
                t = pq.read_table(sys.argv[1])
                print(t.schema.to_string(show_schema_metadata=False).replace("\\n", "|"), t.to_pylist()[0]["orders"])
                """, [path])
            #expect(output == "customer_id: string|event_timestamp: timestamp[us, tz=UTC]|orders: int64 5\n")
            // The entity rows' temporary file is gone.
            #expect(try FileManager.default.contentsOfDirectory(atPath: temporary).isEmpty)
        }
    }
}
