import Foundation
import Larder

/// The order a feature export's rows come in.
public enum ExportOrder: String, CaseIterable, Sendable {
    /// All rows of one entity, then the next: what a sorted dump gives (and what the code likes).
    case byEntity = "grouped by entity"
    /// Hour after hour, every entity interleaved: an hourly or daily export appended to.
    case byTime = "ordered by time"
    /// No order at all: a Spark job's part files.
    case shuffled
}

/// Feature exports shaped like real ones: drivers with ten rows each, three days apart over 30
/// days, at an hour and minute of their own; seven columns — the id, the event time, a created
/// time (on a third of the rows), two rates, a trip count and a city name.
public enum ExportData {
    public static let rowsPerEntity = 10
    static let start: Int64 = 1_714_521_600  // 2024-05-01

    public static let definitions: Definitions = {
        let driver = Entity("driver", joinKey: "driver_id")
        let source = Source.csv("driver_activity", path: "driver_activity.csv")
        let view = FeatureView("driver_activity", entities: [driver], source: source, createdTimestampColumn: "created") {
            Field("conv_rate", .float64)
            Field("acc_rate", .float32)
            Field("trips", .int64)
            Field("city", .string)
        }
        return Definitions(entities: [driver], sources: [source], views: [view])
    }()

    /// Event time (epoch seconds) of row `row` of entity `entity`.
    static func eventTime(entity: Int, row: Int) -> Int64 {
        start + Int64(row) * 3 * 86_400 + Int64(entity % 24) * 3_600 + Int64(entity % 60) * 60
    }

    /// The CSV of `entities` drivers in `order`, generated under `directory` once and reused.
    public static func csv(entities: Int, order: ExportOrder, directory: String) throws -> String {
        let name = order.rawValue.replacingOccurrences(of: " ", with: "-")
        let path = directory + "/export-\(entities * rowsPerEntity)-\(name).csv"
        guard !FileManager.default.fileExists(atPath: path) else { return path }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var rows = Array(0..<entities * rowsPerEntity)  // entity * rowsPerEntity + row
        switch order {
        case .byEntity:
            break
        case .byTime:
            rows.sort { a, b in
                let (ta, tb) = (eventTime(entity: a / rowsPerEntity, row: a % rowsPerEntity), eventTime(entity: b / rowsPerEntity, row: b % rowsPerEntity))
                return ta != tb ? ta < tb : a < b
            }
        case .shuffled:
            var generator = SplitMix64(seed: 2024)
            rows.shuffle(using: &generator)
        }
        FileManager.default.createFile(atPath: path + ".partial", contents: nil)
        guard let file = FileHandle(forWritingAtPath: path + ".partial") else { throw CocoaError(.fileWriteUnknown) }
        var buffer = "driver_id,event_timestamp,created,conv_rate,acc_rate,trips,city\n"
        for item in rows {
            let (entity, row) = (item / rowsPerEntity, item % rowsPerEntity)
            let time = eventTime(entity: entity, row: row)
            let created = row % 3 == 0 ? String(time + 600) : ""
            buffer += "\(entity),\(time),\(created),\(Double((entity &* 31 &+ row &* 7) % 1_000) / 1_000),"
            buffer += "\(Double((entity &* 17 &+ row) % 100) / 100),\((entity + row) % 50),city-\(entity % 50)\n"
            if buffer.utf8.count > 1 << 20 {
                try file.write(contentsOf: Data(buffer.utf8))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try file.write(contentsOf: Data(buffer.utf8))
        try file.close()
        try FileManager.default.moveItem(atPath: path + ".partial", toPath: path)
        return path
    }

    /// `definitions` reading `path`, its times epoch seconds.
    public static func definitions(reading path: String) -> Definitions {
        var definitions = definitions
        definitions.sources[0] = Source.csv("driver_activity", path: path, timestampFormat: .epochSeconds)
        return definitions
    }

    /// Where generated exports are kept.
    public static var directory: String { GeneratedStore.defaultDirectory + "/exports" }
}

/// Daily exports for incremental runs: every driver has a row each hour, the day's rows ordered
/// by time as an hourly pipeline appends them. A store holding `days` of them is built once
/// (day by day, as a scheduler would run it) and kept under `Benchmarks/.data/daily-ENTITIES/`.
public struct DailyExports: Sendable {
    public let entities: Int
    public var directory: String { GeneratedStore.defaultDirectory + "/daily-\(entities)" }
    public var dayPath: String { directory + "/day.csv" }

    public init(entities: Int) { self.entities = entities }

    public static let start: Int64 = 1_714_521_600  // 2024-05-01

    /// The end of day `day` (exclusive), for `materializeIncremental(to:)`.
    public static func end(ofDay day: Int) -> Timestamp { Timestamp(seconds: start + Int64(day + 1) * 86_400) }

    /// Writes day `day`'s rows to `dayPath`: hour by hour, each driver at its own minute.
    public func writeDay(_ day: Int) throws {
        FileManager.default.createFile(atPath: dayPath, contents: nil)
        guard let file = FileHandle(forWritingAtPath: dayPath) else { throw CocoaError(.fileWriteUnknown) }
        defer { try? file.close() }
        var buffer = "driver_id,event_timestamp,created,conv_rate,acc_rate,trips,city\n"
        for hour in 0..<24 {
            for minute in 0..<60 {
                for entity in stride(from: minute, to: entities, by: 60) {
                    let time = Self.start + Int64(day) * 86_400 + Int64(hour) * 3_600 + Int64(minute) * 60
                    buffer += "\(entity),\(time),,\(Double((entity &* 31 &+ hour &* 7 &+ day) % 1_000) / 1_000),"
                    buffer += "\(Double((entity &* 17 &+ hour) % 100) / 100),\((entity + day) % 50),city-\(entity % 50)\n"
                    if buffer.utf8.count > 1 << 20 {
                        try file.write(contentsOf: Data(buffer.utf8))
                        buffer.removeAll(keepingCapacity: true)
                    }
                }
            }
        }
        try file.write(contentsOf: Data(buffer.utf8))
    }

    /// The store holding days `0..<days`, built if missing; the time each daily run took is
    /// written beside it (`build-DAYS.csv`: day, rows, seconds, store size), to show how a day's
    /// cost moves as the history grows.
    public func store(days: Int) throws -> String {
        let path = directory + "/store-\(days)d"
        if FileManager.default.fileExists(atPath: path + "/data.mdb") { return path }
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try FeatureStore.open(path)
        try store.apply(ExportData.definitions(reading: dayPath))
        var log = "day,rows,seconds,store_bytes\n"
        for day in 0..<days {
            try writeDay(day)
            let started = ContinuousClock.now
            let snapshot = try store.materializeIncremental(to: Self.end(ofDay: day))
            let seconds = (ContinuousClock.now - started) / .seconds(1)
            let size = (try? FileManager.default.attributesOfItem(atPath: path + "/data.mdb")[.size] as? Int) ?? 0
            log += "\(day),\(snapshot.rowsWritten),\(String(format: "%.2f", seconds)),\(size)\n"
        }
        try log.write(toFile: directory + "/build-\(days).csv", atomically: true, encoding: .utf8)
        return path
    }
}
