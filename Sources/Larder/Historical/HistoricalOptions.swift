/// Which features a retrieval asks for: references, or a feature service.
public enum FeatureSelection: Sendable, ExpressibleByArrayLiteral {
    case references([FeatureReference])
    case service(String)

    public init(arrayLiteral references: FeatureReference...) { self = .references(references) }
}

/// Options of a historical (point-in-time) retrieval.
public struct HistoricalOptions: Sendable {
    /// Name feature columns `view__feature` instead of `feature`.
    public var fullFeatureNames: Bool
    /// Ignore rows written by snapshots after this one: the training set as it would have been
    /// built right after that snapshot committed.
    public var asOfSnapshot: UInt64?
    /// The entity rows' timestamp column.
    public var timestampColumn: String
    /// How that column writes times.
    public var timestampFormat: TimestampFormat
    /// Memory for sorting lookups and holding matches; past it, sorted runs spill to
    /// `temporaryDirectory`.
    public var memoryBudget: Int
    /// Where spilled runs go (the system's temporary directory when nil).
    public var temporaryDirectory: String?
    /// Called now and then with the number of entity rows done, for progress reports.
    public var progress: (@Sendable (Int) -> Void)?
    /// Who may read a written training set (private to its owner by default).
    public var outputAccess: FileAccess
    /// The codec of a Parquet training set.
    public var parquetCompression: ParquetCompression
    /// For benchmarks: run the join but drop its rows instead of writing them, so that the
    /// cost of each output format can be told from the join's.
    @_spi(Benchmarks) public var discardsRows = false
    /// Compute each feature column's statistics as the training set is written, returned in
    /// ``HistoricalSummary/statistics`` (Docs/Monitoring.md): a baseline for drift and skew.
    public var computesStatistics = false

    public init(
        fullFeatureNames: Bool = false,
        asOfSnapshot: UInt64? = nil,
        timestampColumn: String = "event_timestamp",
        timestampFormat: TimestampFormat = .iso8601,
        memoryBudget: Int = 256 << 20,
        temporaryDirectory: String? = nil,
        progress: (@Sendable (Int) -> Void)? = nil,
        outputAccess: FileAccess = .owner,
        parquetCompression: ParquetCompression = .snappy
    ) {
        self.parquetCompression = parquetCompression
        self.fullFeatureNames = fullFeatureNames
        self.asOfSnapshot = asOfSnapshot
        self.timestampColumn = timestampColumn
        self.timestampFormat = timestampFormat
        self.memoryBudget = memoryBudget
        self.temporaryDirectory = temporaryDirectory
        self.progress = progress
        self.outputAccess = outputAccess
    }
}

/// Output formats of ``FeatureStore/writeHistoricalFeatures(entities:features:to:format:options:)``.
///
/// Parquet and Arrow columns are typed: a feature column has its feature's type (`int64`,
/// `int32`, `float64`, `float32`, `bool`, `string`, `binary`, `timestamp[us, UTC]`, lists);
/// the entity rows' timestamp column is a timestamp; their other columns are text from CSV, and
/// keep their type from Parquet, JSON Lines and Swift rows (taken from the first 131,072 rows:
/// integers `int64`, integers mixed with decimals `float64`, values of several other kinds text).
public enum HistoricalOutputFormat: String, Sendable, CaseIterable {
    case csv
    case jsonLines = "jsonl"
    case parquet
    /// An Arrow IPC file (Feather v2), what `pyarrow.ipc.open_file` and `pandas.read_feather` read.
    case arrow

    /// The format a path's extension names: `.csv`, `.jsonl` or `.ndjson`, `.parquet`,
    /// `.arrow`, `.feather` or `.ipc`; nil for any other.
    public init?(pathExtensionOf path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "csv": self = .csv
        case "jsonl", "ndjson": self = .jsonLines
        case "parquet": self = .parquet
        case "arrow", "feather", "ipc": self = .arrow
        default: return nil
        }
    }
}

/// The codec of a Parquet training set's pages.
public enum ParquetCompression: String, Sendable, CaseIterable {
    /// What pyarrow and Spark write by default: fast, light compression.
    case snappy
    /// Smaller files, a little slower to write.
    case zstd
    case gzip
    case none
}

/// A training set in memory: the entity rows' columns, then one column per feature.
public struct HistoricalTable: Sendable, Equatable {
    public let columns: [String]
    /// Row-major, in input order.
    public let rows: [[FeatureValue]]

    /// The values of one column, or nil if there is no such column.
    public func column(_ name: String) -> [FeatureValue]? {
        columns.firstIndex(of: name).map { index in rows.map { $0[index] } }
    }

    /// The values of one column as `T`, nil for a null (see `FeatureValueRepresentable` for the
    /// types and what each reads); nil for the whole column when there is no such column or a
    /// value cannot be read as `T`. Entity-row columns hold what the input held: strings from
    /// CSV; from JSON Lines, strings, `Int64` or `Double` numbers and booleans.
    ///
    /// ```swift
    /// let rates = table.column("conv_rate", as: Double.self)  // [Double?]?
    /// ```
    public func column<T: FeatureValueRepresentable>(_ name: String, as type: T.Type) -> [T?]? {
        guard let values = column(name) else { return nil }
        var typed: [T?] = []
        typed.reserveCapacity(values.count)
        for value in values {
            guard !value.isNull else {
                typed.append(nil)
                continue
            }
            guard let converted = T(featureValue: value) else { return nil }
            typed.append(converted)
        }
        return typed
    }
}

/// What a written historical retrieval produced.
public struct HistoricalSummary: Sendable, Equatable {
    public let path: String
    public let rows: Int
    /// Sorted runs written to disk because the data exceeded the memory budget (0: all in memory).
    public let spilledRuns: Int
    /// With ``HistoricalOptions/computesStatistics``: view → feature → the statistics of the
    /// feature's column in the written rows (nulls where no feature row matched included).
    public var statistics: [String: [String: FeatureStatistics]]? = nil
}
