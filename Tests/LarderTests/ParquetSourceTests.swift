import Foundation
import Larder
import TestSupport
import Testing

/// Views materialized from Parquet files written by pyarrow (the fixtures of ParquetKitTests):
/// every column's type mapped to its feature type, nulls kept, a directory read as one source,
/// and columns that cannot be read refused with the file and the column.
@Suite struct ParquetSourceTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../ParquetKitTests/Fixtures").standardized.path

    static let driver = Entity("driver", joinKey: "driver_id")

    func store(_ path: String, source: Source, features: [Field]) throws -> FeatureStore {
        let store = try FeatureStore.open(path + "/store")
        let view = FeatureView("stats", entityNames: ["driver"], sourceName: source.name, features: features)
        try store.apply(Definitions(entities: [Self.driver], sources: [source], views: [view]))
        return store
    }

    func materialize(_ store: FeatureStore) throws -> Snapshot {
        try store.materialize(from: try Timestamp(parsing: "2024-01-01"), to: try Timestamp(parsing: "2025-01-01"))
    }

    @Test func everyTypeBecomesItsFeatureType() throws {
        try withTemporaryDirectory { path in
            let source = Source.parquet("stats", path: Self.fixtures + "/types-snappy.parquet")
            let store = try store(path, source: source, features: [
                Field("conv_rate", .float64), Field("acc_rate", .float32), Field("trips", .int64), Field("small", .int32),
                Field("city", .string), Field("active", .bool), Field("day", .timestamp), Field("price", .float64),
                Field("embedding", .float32List),
            ])
            let snapshot = try materialize(store)
            #expect(snapshot.rowsWritten == 4)
            #expect(snapshot.views.first?.source?.size == (try FileManager.default.attributesOfItem(atPath: Self.fixtures + "/types-snappy.parquet")[.size] as? Int))
            let rows = try store.historyRows(of: "stats")
            #expect(rows.map(\.entity) == [[1001], [1002], [1003], [1004]])
            #expect(rows.map(\.eventTime) == (0..<4).map { Timestamp(seconds: 1_714_521_600 + Int64($0) * 3_600) })
            let day = { (d: Int64) in FeatureValue.timestamp(Timestamp(seconds: 1_714_521_600 + d * 86_400)) }
            #expect(rows[0].values == [.float64(0.5), .float32(0.5), .int64(10), .int32(1), .string("a"), .bool(true), day(0), .float64(1), .float32List([1, 2])])
            #expect(rows[1].values == [.null, .float32(0.75), .int64(20), .int32(2), .null, .bool(false), day(1), .float64(2), .float32List([])])
            #expect(rows[2].values == [.float64(0.25), .null, .int64(30), .int32(3), .string("c"), .null, day(2), .float64(3), .null])
            #expect(rows[3].values == [.float64(1), .float32(1), .null, .int32(4), .string("d"), .bool(true), day(3), .float64(4), .float32List([3])])
        }
    }

    /// A directory: its `*.parquet` files in sorted order, one source; v2 pages and GZIP too.
    @Test func aDirectoryIsOneSource() throws {
        try withTemporaryDirectory { path in
            let directory = path + "/export"
            try FileManager.default.createDirectory(atPath: directory + "/part", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Self.fixtures + "/types-snappy.parquet", toPath: directory + "/part/b.parquet")
            try FileManager.default.copyItem(atPath: Self.fixtures + "/types-gzip-v2.parquet", toPath: directory + "/a.parquet")
            try "not parquet".write(toFile: directory + "/_SUCCESS", atomically: true, encoding: .utf8)
            let store = try store(path, source: .parquet("stats", path: directory), features: [Field("trips", .int64), Field("city", .string)])
            let snapshot = try materialize(store)
            // The same four rows twice: the second file's repeat them unchanged.
            #expect(snapshot.rowsRead == 8)
            #expect(snapshot.rowsWritten == 4)
            #expect(try store.onlineRow(of: "stats", entity: [1003])?.values == [.int64(30), .string("c")])
        }
    }

    /// Row groups whose event-time statistics lie outside the interval are not read at all; the
    /// others are read whole, and their rows outside the interval counted as such.
    @Test func rowGroupsOutsideTheIntervalAreSkipped() throws {
        try withTemporaryDirectory { path in
            let source = Source.parquet("stats", path: Self.fixtures + "/types-snappy.parquet")
            let store = try store(path, source: source, features: [Field("trips", .int64)])
            // Two row groups: 00:00-01:00 and 02:00-03:00.
            let late = try store.materialize(from: try Timestamp(parsing: "2024-05-01T02:00:00Z"), to: try Timestamp(parsing: "2024-05-02"))
            #expect(late.rowsRead == 2)
            #expect(late.views.first?.rowsOutsideInterval == 0)
            #expect(try store.historyRows(of: "stats").map(\.entity) == [[1003], [1004]])
            let both = try store.materialize(from: try Timestamp(parsing: "2024-05-01T00:30:00Z"), to: try Timestamp(parsing: "2024-05-01T02:30:00Z"))
            #expect(both.rowsRead == 4)
            #expect(both.views.first?.rowsOutsideInterval == 2)
            #expect(try store.historyRows(of: "stats").map(\.entity) == [[1002], [1003], [1004]])
        }
    }

    @Test func aMissingColumnNamesTheFileAndColumn() throws {
        try withTemporaryDirectory { path in
            let file = Self.fixtures + "/types-snappy.parquet"
            let store = try store(path, source: .parquet("stats", path: file), features: [Field("speed", .float64)])
            #expect {
                _ = try materialize(store)
            } throws: { error in
                guard let error = error as? SourceError else { return false }
                return error.file == file && error.column == "speed" && error.reason.contains("no such column")
            }
            #expect(try store.snapshots().isEmpty)
        }
    }

    /// A column whose type cannot become the feature's is refused from the file's schema, naming
    /// the file, the column and both types, before any row is read.
    @Test func aColumnOfTheWrongTypeIsRefusedBeforeAnyRowIsRead() throws {
        try withTemporaryDirectory { path in
            let file = Self.fixtures + "/types-snappy.parquet"
            let store = try store(path, source: .parquet("stats", path: file), features: [Field("trips", .int64), Field("conv_rate", .int32)])
            #expect {
                _ = try materialize(store)
            } throws: { error in
                guard let error = error as? SourceError else { return false }
                return error.file == file && error.line == 0 && error.column == "conv_rate"
                    && error.reason == "a Parquet DOUBLE column cannot hold int32 values"
            }
            #expect(try store.snapshots().isEmpty)
        }
    }

    @Test func aNaiveTimestampIsRefusedWithHowToWriteIt() throws {
        try withTemporaryDirectory { path in
            let file = Self.fixtures + "/types-snappy.parquet"
            let store = try store(path, source: .parquet("stats", path: file), features: [Field("naive_ms", .timestamp)])
            #expect {
                _ = try materialize(store)
            } throws: { error in
                guard let error = error as? SourceError else { return false }
                return error.column == "naive_ms" && error.reason.contains("without a time zone")
            }
        }
    }

    @Test func aFileThatIsNotParquetIsASourceError() throws {
        try withTemporaryDirectory { path in
            try "driver_id,event_timestamp\n1,2024-05-01T00:00:00Z\n".write(toFile: path + "/x.parquet", atomically: true, encoding: .utf8)
            let store = try store(path, source: .parquet("stats", path: path + "/x.parquet"), features: [Field("trips", .int64)])
            #expect {
                _ = try materialize(store)
            } throws: { error in
                (error as? SourceError)?.reason.contains("PAR1") == true
            }
        }
    }
}

/// Hive-partitioned directories and globs: `key=value` directories give columns (percent-decoded,
/// parsed as the column's type), here the event time and a feature.
@Suite struct ParquetPartitionTests {
    func layout(_ path: String) throws -> String {
        let root = path + "/export"
        for (day, region, name) in [("2024-05-01", "eu", "a"), ("2024-05-02", "us%2Dwest", "b")] {
            let directory = root + "/event_timestamp=\(day)/region=\(region)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: ParquetSourceTests.fixtures + "/two-columns-zstd.parquet", toPath: directory + "/\(name).parquet")
        }
        return root
    }

    func materialize(_ path: String, source: String) throws -> FeatureStore {
        let store = try FeatureStore.open(path + "/store")
        let driver = Entity("driver", joinKey: "driver_id")
        let view = FeatureView("stats", entityNames: ["driver"], sourceName: "stats", features: [Field("city", .string), Field("region", .string)])
        try store.apply(Definitions(entities: [driver], sources: [.parquet("stats", path: source)], views: [view]))
        try store.materialize(from: try Timestamp(parsing: "2024-05-01"), to: try Timestamp(parsing: "2024-05-03"))
        return store
    }

    @Test func partitionDirectoriesAreColumns() throws {
        try withTemporaryDirectory { path in
            let store = try materialize(path, source: try layout(path))
            let rows = try store.historyRows(of: "stats")
            #expect(rows.count == 8)
            let online = try #require(try store.onlineRow(of: "stats", entity: [1001]))
            #expect(online.eventTime == (try Timestamp(parsing: "2024-05-02")))
            #expect(online.values == [.string("a"), .string("us-west")])
            #expect(rows.filter { $0.entity == [1002] }.map(\.values) == [[.null, .string("eu")], [.null, .string("us-west")]])
        }
    }

    @Test func aGlobReadsTheFilesItMatches() throws {
        try withTemporaryDirectory { path in
            let root = try layout(path)
            let store = try materialize(path, source: root + "/event_timestamp=2024-05-01/*/*.parquet")
            let rows = try store.historyRows(of: "stats")
            #expect(rows.count == 4)
            #expect(Set(rows.map { $0.values[1] }) == [.string("eu")])
            #expect {
                _ = try materialize(path + "/other", source: root + "/event_timestamp=2030-*/*/*.parquet")
            } throws: { error in
                (error as? SourceError)?.reason == "the pattern matches no file"
            }
        }
    }
}
