import ArrowKit
import Foundation
import Larder
import ParquetKit

/// The sample feature repository `init` and `demo` write: a features.yaml with a driver and a
/// customer entity, two views and one service, and data generated from a fixed seed, so every
/// run writes the same bytes.
///
/// - `data/driver_stats.csv`: hourly statistics of each driver. Drivers whose id ends in 7
///   stop reporting after the first day (their values are stale: outside the 1d ttl at the end);
///   about 1% of `acc_rate` values are empty, and so is the last one of drivers `…03`.
/// - `data/customer_profile.jsonl`: one profile per customer per day.
/// - `data/entity_rows.csv`: labelled events (driver, customer, time, `trip_completed`) to
///   build a training set from.
///
/// With `parquet`, the driver statistics are Parquet files partitioned by day, as a Spark job
/// writes them (`data/driver_stats/dt=2024-05-01/part-0.parquet`, …), and the entity rows are
/// `data/entity_rows.parquet`: the same rows, typed.
struct SampleData {
    var drivers = 1_000
    var customers = 500
    var days = 3
    var entityRows = 5_000
    var seed: UInt64 = 42
    var parquet = false

    /// The first hour of the data.
    static let start = Timestamp(seconds: 1_714_521_600)  // 2024-05-01T00:00:00Z
    var end: Timestamp { SampleData.start + .seconds(days * 86_400) }

    /// Why these sizes cannot be generated, or nil: each count has a ceiling, and so has the
    /// driver-statistics file (a row per driver and hour), so a typo cannot ask for petabytes.
    static func sizeProblem(drivers: Int, customers: Int, days: Int, entityRows: Int) -> String? {
        if drivers > 10_000_000 || customers > 10_000_000 { return "--drivers and --customers are at most 10,000,000" }
        if days > 3_660 { return "--days is at most 3,660 (ten years)" }
        if entityRows > 100_000_000 { return "--entity-rows is at most 100,000,000" }
        if drivers * days * 24 > 500_000_000 {
            return "\(drivers) drivers over \(days) days make \(drivers * days * 24) hourly rows; at most 500,000,000"
        }
        return nil
    }

    static let firstDriver = 1001
    static let firstCustomer = 1001
    static func customerID(_ index: Int) -> String { "C\(firstCustomer + index)" }

    /// What one file holds, for the report.
    struct File {
        let path: String
        let rows: Int
        let bytes: Int
        let note: String
    }

    /// Writes features.yaml and the data files into `directory`, returning what it wrote.
    func write(to directory: String) throws -> [File] {
        let data = (directory as NSString).appendingPathComponent("data")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        var files: [File] = []
        func save(_ relative: String, _ text: String, rows: Int, note: String) throws {
            let path = (directory as NSString).appendingPathComponent(relative)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            files.append(File(path: relative, rows: rows, bytes: text.utf8.count, note: note))
        }
        let definitions = parquet
            ? SampleData.definitions.replacingOccurrences(of: "csv: data/driver_stats.csv", with: "parquet: data/driver_stats")
            : SampleData.definitions
        try save("features.yaml", definitions, rows: 0, note: "2 entities, 2 sources, 2 views, 1 service")
        let statsNote = "hourly driver stats, \(Format.count(drivers)) drivers × \(days * 24) hours"
        if parquet {
            for day in 0..<days {
                let date = String((SampleData.start + .seconds(day * 86_400)).description.prefix(10))
                let relative = "data/driver_stats/dt=\(date)/part-0.parquet"
                let path = (directory as NSString).appendingPathComponent(relative)
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                let (bytes, rows) = try writeParquet(path, driverStatColumns(hours: day * 24..<(day + 1) * 24))
                files.append(File(path: relative, rows: rows, bytes: bytes, note: day == 0 ? statsNote + ", a file per day" : ""))
            }
        } else {
            let (stats, statRows) = driverStats()
            try save("data/driver_stats.csv", stats, rows: statRows, note: statsNote)
        }
        let (profiles, profileRows) = customerProfiles()
        try save("data/customer_profile.jsonl", profiles, rows: profileRows, note: "daily customer profiles")
        if parquet {
            let relative = "data/entity_rows.parquet"
            let (bytes, rows) = try writeParquet((directory as NSString).appendingPathComponent(relative), entityRowColumns())
            files.append(File(path: relative, rows: rows, bytes: bytes, note: "labelled events for a training set"))
        } else {
            let (events, eventRows) = entityRowsCSV()
            try save("data/entity_rows.csv", events, rows: eventRows, note: "labelled events for a training set")
        }
        return files
    }

    /// Writes one row group of `columns` to a Parquet file; returns its size and row count.
    private func writeParquet(_ path: String, _ columns: [(String, ArrowColumn)]) throws -> (bytes: Int, rows: Int) {
        var bytes: [UInt8] = []
        let writer = try ParquetWriter(fields: columns.map { ArrowField($0.0, $0.1.type) }, options: ParquetWriteOptions(createdBy: "larder init")) {
            bytes.append(contentsOf: $0)
        }
        try writer.write(rowGroup: columns.map(\.1))
        try writer.finish()
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (bytes.count, columns.first?.1.count ?? 0)
    }

    static let definitions = """
        # A Larder feature repository, generated by `larder init`.
        # Relative paths are read from this file's directory. Docs/Definitions.md describes every key.

        entities:
          - name: driver
            join_key: driver_id
            description: A driver on the platform
          - name: customer
            join_key: customer_id
            type: string
            description: A rider, keyed by account id

        sources:
          - name: driver_stats
            csv: data/driver_stats.csv
            description: Hourly statistics exported by the trips pipeline
          - name: customer_profiles
            jsonl: data/customer_profile.jsonl
            description: Daily snapshot of customer accounts

        views:
          - name: driver_hourly_stats
            entities: [driver]
            source: driver_stats
            created_timestamp_field: created
            ttl: 1d
            owner: rides-ml@example.com
            description: Driver quality over the last hour
            features:
              - name: conv_rate
                type: float32
                description: Share of offers accepted
              - name: acc_rate
                type: float32
                description: Share of accepted trips completed
              - name: avg_daily_trips
                type: int64
          - name: customer_profile
            entities: [customer]
            source: customer_profiles
            ttl: 7d
            description: Account facts, refreshed daily
            features:
              - name: current_balance
                type: float64
              - name: lifetime_trip_count
                type: int64
              - name: avg_passenger_count
                type: float32
              - name: segment
                type: string

        services:
          - name: driver_activity
            features:
              - driver_hourly_stats
              - customer_profile:current_balance
              - customer_profile:segment
            description: What the trip-completion model reads

        """

    // MARK: - Generators

    /// Whether a driver stops reporting after the first day.
    static func isStale(driver: Int) -> Bool { driver % 10 == 7 }

    /// One hourly row of a driver's statistics; rates are rounded to 4 digits, as the CSV writes them.
    struct DriverStat {
        let driver: Int
        let time: Timestamp
        let created: Timestamp
        let conversion: String
        let acceptance: String?
        let trips: Int
    }

    /// The driver statistics of the given hours, in order (the random stream always runs
    /// from the first hour, so every hour's values are the same however they are written).
    func forEachDriverStat(hours: Range<Int>? = nil, _ body: (DriverStat) -> Void) {
        var random = SplitMix64(seed: seed)
        let allHours = days * 24
        for hour in 0..<allHours {
            let time = SampleData.start + .seconds(hour * 3600)
            let created = time + .seconds(300 + Int(random.next() % 600))
            for index in 0..<drivers {
                let driver = SampleData.firstDriver + index
                if SampleData.isStale(driver: driver), hour >= 24 { continue }
                let base = Double((driver * 7919) % 1000) / 1000
                let conv = min(1, max(0, 0.2 + 0.6 * base + random.normal() * 0.05))
                let acc = min(1, max(0, 0.5 + 0.4 * (1 - base) + random.normal() * 0.05))
                let trips = Int(10 + 30 * base) + Int(random.next() % 7) - 3
                let nullAcc = random.uniform() < 0.01 || (hour == allHours - 1 && driver % 100 == 3)
                if hours?.contains(hour) ?? true {
                    body(DriverStat(driver: driver, time: time, created: created, conversion: fixed(conv, 4),
                                    acceptance: nullAcc ? nil : fixed(acc, 4), trips: trips))
                }
            }
        }
    }

    func driverStats() -> (String, Int) {
        var text = "driver_id,event_timestamp,created,conv_rate,acc_rate,avg_daily_trips\n"
        text.reserveCapacity(drivers * days * 24 * 64)
        var rows = 0
        forEachDriverStat { row in
            text += "\(row.driver),\(row.time),\(row.created),\(row.conversion),\(row.acceptance ?? ""),\(row.trips)\n"
            rows += 1
        }
        return (text, rows)
    }

    /// The same rows as typed Parquet columns: ids and trips int64, times UTC timestamps,
    /// rates float64.
    func driverStatColumns(hours: Range<Int>) -> [(String, ArrowColumn)] {
        var ids = ArrowColumn(.int64), times = ArrowColumn(.timestampMicrosecondsUTC), created = ArrowColumn(.timestampMicrosecondsUTC)
        var conversion = ArrowColumn(.float64), acceptance = ArrowColumn(.float64), trips = ArrowColumn(.int64)
        forEachDriverStat(hours: hours) { row in
            ids.append(Int64(row.driver))
            times.append(row.time.microseconds)
            created.append(row.created.microseconds)
            conversion.append(Double(row.conversion)!)
            if let rate = row.acceptance { acceptance.append(Double(rate)!) } else { acceptance.appendNull() }
            trips.append(Int64(row.trips))
        }
        return [("driver_id", ids), ("event_timestamp", times), ("created", created), ("conv_rate", conversion),
                ("acc_rate", acceptance), ("avg_daily_trips", trips)]
    }

    func customerProfiles() -> (String, Int) {
        var random = SplitMix64(seed: seed &+ 1)
        let segments = ["standard", "standard", "standard", "plus", "business"]
        var text = ""
        var rows = 0
        var trips = (0..<customers).map { _ in Int(random.next() % 200) }
        let balances = (0..<customers).map { _ in random.uniform() * 500 }
        let segment = (0..<customers).map { _ in segments[Int(random.next() % UInt64(segments.count))] }
        for day in 0..<days {
            for index in 0..<customers {
                let time = SampleData.start + .seconds(day * 86_400 + Int(random.next() % 3600))
                trips[index] += Int(random.next() % 4)
                let balance = balances[index] + random.normal() * 20
                let passengers = 1 + random.uniform() * 2
                text += "{\"customer_id\": \"\(SampleData.customerID(index))\", \"event_timestamp\": \"\(time)\", "
                    + "\"current_balance\": \(fixed(balance, 2)), \"lifetime_trip_count\": \(trips[index]), "
                    + "\"avg_passenger_count\": \(fixed(passengers, 2)), \"segment\": \"\(segment[index])\"}\n"
                rows += 1
            }
        }
        return (text, rows)
    }

    func forEachEntityRow(_ body: (_ driver: Int, _ customer: String, _ time: Timestamp, _ completed: Int) -> Void) {
        var random = SplitMix64(seed: seed &+ 2)
        let span = UInt64(days * 86_400 - 1800)
        for _ in 0..<entityRows {
            let driver = SampleData.firstDriver + Int(random.next() % UInt64(drivers))
            let customer = SampleData.customerID(Int(random.next() % UInt64(customers)))
            let time = SampleData.start + .seconds(1800 + Int(random.next() % span))
            let base = Double((driver * 7919) % 1000) / 1000
            body(driver, customer, time, random.uniform() < 0.3 + 0.6 * base ? 1 : 0)
        }
    }

    func entityRowsCSV() -> (String, Int) {
        var text = "driver_id,customer_id,event_timestamp,trip_completed\n"
        forEachEntityRow { driver, customer, time, completed in text += "\(driver),\(customer),\(time),\(completed)\n" }
        return (text, entityRows)
    }

    /// The entity rows as typed Parquet columns.
    func entityRowColumns() throws -> [(String, ArrowColumn)] {
        var drivers = ArrowColumn(.int64), customers = ArrowColumn(.string), times = ArrowColumn(.timestampMicrosecondsUTC)
        var completed = ArrowColumn(.int64)
        var failure: Error?
        forEachEntityRow { driver, customer, time, label in
            drivers.append(Int64(driver))
            do { try customers.append(customer) } catch { failure = error }
            times.append(time.microseconds)
            completed.append(Int64(label))
        }
        if let failure { throw failure }
        return [("driver_id", drivers), ("customer_id", customers), ("event_timestamp", times), ("trip_completed", completed)]
    }
}

/// `x` with `digits` decimals (faster than `String(format:)`, which matters for 100k rows).
func fixed(_ x: Double, _ digits: Int) -> String {
    var scale = 1
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int((abs(x) * Double(scale)).rounded())
    let fraction = String(scaled % scale)
    let sign = x < 0 && scaled != 0 ? "-" : ""
    return sign + String(scaled / scale) + "." + String(repeating: "0", count: digits - fraction.count) + fraction
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64), so sample data is
/// the same on every machine.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Standard normal (Box–Muller).
    mutating func normal() -> Double {
        let u = max(uniform(), .leastNonzeroMagnitude)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * uniform())
    }
}
