import Foundation
import Larder
import LMDBKit

/// The benchmark data set: `entities` drivers with ten float64 features (~100-byte rows) and
/// two history rows each (a day apart), materialized from a generated CSV into a Larder store,
/// plus the same online rows in a raw LMDB environment and a SQLite table for the baselines.
///
/// Built once under `Benchmarks/.data/` and reused by later runs.
public struct GeneratedStore: Sendable {
    public static let featureCount = 10
    public static let day1 = Timestamp(seconds: 1_714_521_600)  // 2024-05-01
    public static let day2 = Timestamp(seconds: 1_714_608_000)  // 2024-05-02

    public let directory: String
    public let entities: Int
    /// The materialized store, as built.
    public var builtPath: String { directory + "/larder-built" }
    /// Its compacted export (`larder export`), what a serving host opens read-only.
    public var larderPath: String { directory + "/larder" }
    public var rawPath: String { directory + "/raw" }
    public var sqlitePath: String { directory + "/features.sqlite" }
    public var csvPath: String { directory + "/driver_stats.csv" }

    public init(entities: Int = 1_000_000, directory: String? = nil) {
        self.entities = entities
        self.directory = directory ?? Self.defaultDirectory + "/entities-\(entities)"
    }

    public static var defaultDirectory: String {
        // The package directory, found from this source file, so any working directory works.
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".data").path
    }

    public static let definitions: Definitions = {
        let driver = Entity("driver", joinKey: "driver_id")
        let source = Source.csv("driver_stats", path: "driver_stats.csv")
        let view = FeatureView("driver_stats", entities: [driver], source: source, ttl: .seconds(30 * 86_400)) {
            (0..<featureCount).map { Field("f\($0)", .float64) }
        }
        return Definitions(entities: [driver], sources: [source], views: [view])
    }()

    /// Builds whatever is missing: the CSV, the Larder store, the raw copy, the SQLite table.
    public func prepare() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: csvPath) {
            try writeCSV(to: csvPath, rows: entities, rowsPerEntity: 2)
        }
        if !FileManager.default.fileExists(atPath: larderPath + "/data.mdb") {
            let store = try FeatureStore.open(builtPath)
            var definitions = Self.definitions
            definitions.sources[0] = Source.csv("driver_stats", path: csvPath)
            try store.apply(definitions)
            try store.materialize(from: Self.day1, to: Self.day2 + .seconds(86_400))
            try store.environment.copy(to: larderPath)
        }
        if !FileManager.default.fileExists(atPath: rawPath + "/data.mdb") {
            // Another compacting copy: page for page the same B-trees as the Larder store.
            let built = try FeatureStore.open(builtPath)
            try built.environment.copy(to: rawPath)
        }
        if !FileManager.default.fileExists(atPath: sqlitePath) {
            try SQLiteTable.create(at: sqlitePath, fromLarderStore: larderPath, view: "driver_stats")
        }
    }

    /// `rowsPerEntity` rows per driver, a day apart, features derived from the id.
    public func writeCSV(to path: String, rows entities: Int, rowsPerEntity: Int) throws {
        guard let file = FileHandle(forWritingAtPath: path) ?? {
            FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path)
        }() else { throw CocoaError(.fileWriteUnknown) }
        defer { try? file.close() }
        let header = "driver_id,event_timestamp," + (0..<Self.featureCount).map { "f\($0)" }.joined(separator: ",") + "\n"
        var buffer = header
        let days = ["2024-05-01T00:00:00Z", "2024-05-02T00:00:00Z"]
        for day in 0..<rowsPerEntity {
            for id in 0..<entities {
                buffer += "\(id),\(days[day % 2])"
                for feature in 0..<Self.featureCount {
                    buffer += ",\(Double((id &* 31 &+ feature &* 7 &+ day) % 10_000) / 100)"
                }
                buffer += "\n"
                if buffer.utf8.count > 1 << 20 {
                    try file.write(contentsOf: Data(buffer.utf8))
                    buffer.removeAll(keepingCapacity: true)
                }
            }
        }
        try file.write(contentsOf: Data(buffer.utf8))
    }
}

/// Fixed-seed key sequences: uniform over all entities (memory-bound) or a small hot set
/// (CPU-bound, everything in cache).
public enum KeySets {
    public static func random(count: Int, entities: Int, seed: UInt64 = 42) -> [Int64] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in Int64(generator.next() % UInt64(entities)) }
    }

    public static func hot(count: Int, hotSet: Int = 1_000, entities: Int, seed: UInt64 = 7) -> [Int64] {
        let hot = random(count: hotSet, entities: entities, seed: seed)
        var generator = SplitMix64(seed: seed &+ 1)
        return (0..<count).map { _ in hot[Int(generator.next() % UInt64(hotSet))] }
    }
}

/// A tiny, deterministic generator so every run and every baseline uses the same keys.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
