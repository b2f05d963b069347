import Foundation
import Larder
import TestSupport
import Testing

/// Each Parquet fixture — written by pyarrow (dictionary on and off, v1 and v2 pages, SNAPPY,
/// ZSTD, GZIP, none; ms, us and ns timestamps), pandas, DuckDB (PARQUET_VERSION V2), Polars and
/// as Spark writes INT96 (scripts/parquet-fixtures.sh) — materializes into exactly the history
/// its CSV twin does: every row, time, created time and value, nulls included.
@Suite struct ParquetTwinTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/parquet").path

    static let fixtures = ["pyarrow-dictionary-v1-snappy", "pyarrow-plain-v2-zstd", "pyarrow-millis-gzip", "pyarrow-nanos-uncompressed",
                           "spark-int96", "pandas", "polars", "duckdb-v2"]

    func history(_ source: Source, in path: String) throws -> [HistoryRow] {
        let store = try FeatureStore.open(path)
        let driver = Entity("driver", joinKey: "driver_id")
        let view = FeatureView("stats", entityNames: ["driver"], sourceName: source.name, features: [
            Field("conv_rate", .float64), Field("acc_rate", .float32), Field("trips", .int64), Field("city", .string), Field("active", .bool),
        ], createdTimestampColumn: "created")
        try store.apply(Definitions(entities: [driver], sources: [source], views: [view]))
        try store.materialize(from: try Timestamp(parsing: "2024-04-01"), to: try Timestamp(parsing: "2024-06-01"))
        return try store.historyRows(of: "stats")
    }

    @Test(arguments: fixtures)
    func loadsExactlyAsItsCSVTwin(name: String) throws {
        try withTemporaryDirectory { path in
            let csv = try history(.csv("stats", path: Self.directory + "/driver_stats.csv"), in: path + "/csv")
            let parquet = try history(.parquet("stats", path: Self.directory + "/\(name).parquet"), in: path + "/parquet")
            #expect(csv.count == 60)
            #expect(csv.contains { $0.createdTime != nil } && csv.contains { $0.values.contains(.null) })
            #expect(parquet == csv)
        }
    }
}

/// Entity rows for the point-in-time join read from Parquet: the same training set, feature
/// for feature, as from their CSV twin, and the input's own columns keep their Parquet types.
@Suite struct ParquetEntityRowsTests {
    @Test func aParquetFileOfEntityRowsJoinsAsItsCSVTwin() throws {
        try withTemporaryDirectory { path in
            let store = try FeatureStore.open(path + "/store")
            let driver = Entity("driver", joinKey: "driver_id")
            let source = Source.csv("stats", path: ParquetTwinTests.directory + "/driver_stats.csv")
            let view = FeatureView("stats", entityNames: ["driver"], sourceName: "stats",
                                   features: [Field("trips", .int64), Field("city", .string)], createdTimestampColumn: "created")
            try store.apply(Definitions(entities: [driver], sources: [source], views: [view]))
            try store.materialize(from: try Timestamp(parsing: "2024-04-01"), to: try Timestamp(parsing: "2024-06-01"))
            let features: FeatureSelection = ["stats:trips", "stats:city"]
            var options = HistoricalOptions()
            options.fullFeatureNames = true  // the rows carry trips and city columns of their own
            let fromCSV = try store.historicalFeatures(
                entities: .csv(path: ParquetTwinTests.directory + "/driver_stats.csv"), features: features, options: options)
            let fromParquet = try store.historicalFeatures(
                entities: .parquet(path: ParquetTwinTests.directory + "/duckdb-v2.parquet"), features: features, options: options)
            #expect(fromParquet.rows.count == 60)
            for name in ["stats__trips", "stats__city"] {
                #expect(fromParquet.column(name) == fromCSV.column(name), "\(name)")
                #expect(fromParquet.column(name)?.contains { $0 != .null } == true, "\(name)")
            }
            // The input's columns: typed from Parquet, text from CSV.
            #expect(fromParquet.column("acc_rate")?.first == .float32(1.125))
            #expect(fromCSV.column("acc_rate")?.first == .string("1.125"))
        }
    }
}
