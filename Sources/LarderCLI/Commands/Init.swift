import ArgumentParser
import Foundation

/// `larder init [DIR]`: a feature repository with sample data, ready for `apply`.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a feature repository with a features.yaml and generated sample data.",
        discussion: "The data comes from a fixed random seed: every run writes the same files.")

    @Argument(help: "The directory to create it in (created if missing).")
    var directory: String = "."

    @Option(help: "Drivers in the sample data.")
    var drivers = 1_000

    @Option(help: "Customers in the sample data.")
    var customers = 500

    @Option(help: "Days of hourly driver statistics, from 2024-05-01.")
    var days = 3

    @Option(name: .customLong("entity-rows"), help: "Labelled events in data/entity_rows.csv.")
    var entityRows = 5_000

    @Flag(help: "Write the driver statistics as Parquet files partitioned by day, and the entity rows as Parquet.")
    var parquet = false

    @Flag(help: "Overwrite an existing features.yaml and data files.")
    var force = false

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard drivers > 0, customers > 0, days > 0, entityRows >= 0 else {
            throw ValidationError("--drivers, --customers and --days must be positive, --entity-rows not negative")
        }
        if let problem = SampleData.sizeProblem(drivers: drivers, customers: customers, days: days, entityRows: entityRows) {
            throw ValidationError(problem)
        }
    }

    func run() throws {
        let definitions = (directory as NSString).appendingPathComponent("features.yaml")
        if FileManager.default.fileExists(atPath: definitions), !force {
            throw CLIError.data("\(definitions) already exists; pass --force to overwrite it and the sample data")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let sample = SampleData(drivers: drivers, customers: customers, days: days, entityRows: entityRows, parquet: parquet)
        let files = try sample.write(to: directory)

        if output.json {
            JSON.object([
                ("directory", .string(directory)),
                ("files", .array(files.map { file in
                    JSON.object([("path", .string(file.path)), ("rows", .int(file.rows)), ("bytes", .int(file.bytes))])
                })),
            ]).print()
            return
        }
        print("Created a feature repository in \(directory == "." ? "the current directory" : directory):")
        var table = TableFormatter(["file", "rows>", "size>", "contents"])
        for file in files {
            table.append([file.path, file.rows == 0 ? "" : Format.count(file.rows), Format.bytes(file.bytes), file.note])
        }
        print(table.render(indent: "  "))
        print("")
        print("Next:")
        if directory != "." { print("  cd \(directory)") }
        print("  larder apply")
        print("  larder materialize \(SampleData.start) \(sample.end)")
        print("  larder get --service driver_activity --entity driver_id=1001 --entity customer_id=C1001 --now \(sample.end)")
        print(parquet
            ? "  larder historical --entities data/entity_rows.parquet --service driver_activity --out training.parquet"
            : "  larder historical --entities data/entity_rows.csv --service driver_activity --out training.csv")
    }
}
