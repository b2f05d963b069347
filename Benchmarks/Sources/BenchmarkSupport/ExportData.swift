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
