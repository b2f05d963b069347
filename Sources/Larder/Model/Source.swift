/// Where a feature view's batch rows come from.
///
/// ```swift
/// let trips = Source.csv("driver_stats", path: "data/driver_stats.csv")
/// let live = Source.push("driver_live")         // rows handed over in Swift
/// ```
public struct Source: Hashable, Sendable, Codable {
    /// The kind of input and its location.
    public enum Kind: Hashable, Sendable {
        /// A CSV file with a header row (RFC 4180), fields separated by `delimiter`.
        case csv(path: String, delimiter: Character)
        /// A JSON Lines file: one JSON object per line.
        case jsonLines(path: String)
        /// A Parquet file, every `*.parquet` file below a directory, or the files a glob
        /// matches; Hive `key=value` directories give columns (Docs/Parquet.md).
        case parquet(path: String)
        /// Rows handed over in Swift (`store.push`), for values computed by a service.
        case push
    }

    public var name: String
    public var kind: Kind
    /// Renames source columns to the view's column names: `["ts": "event_timestamp"]`.
    public var columnMapping: [String: String]
    /// How timestamps are written in the source.
    public var timestampFormat: TimestampFormat
    public var description: String

    public init(
        _ name: String,
        kind: Kind,
        columnMapping: [String: String] = [:],
        timestampFormat: TimestampFormat = .iso8601,
        description: String = ""
    ) {
        self.name = name
        self.kind = kind
        self.columnMapping = columnMapping
        self.timestampFormat = timestampFormat
        self.description = description
    }

    /// A CSV file source.
    public static func csv(
        _ name: String,
        path: String,
        delimiter: Character = ",",
        columnMapping: [String: String] = [:],
        timestampFormat: TimestampFormat = .iso8601
    ) -> Source {
        Source(name, kind: .csv(path: path, delimiter: delimiter), columnMapping: columnMapping, timestampFormat: timestampFormat)
    }

    /// A JSON Lines file source.
    public static func jsonLines(
        _ name: String,
        path: String,
        columnMapping: [String: String] = [:],
        timestampFormat: TimestampFormat = .iso8601
    ) -> Source {
        Source(name, kind: .jsonLines(path: path), columnMapping: columnMapping, timestampFormat: timestampFormat)
    }

    /// A Parquet source: a file, a directory whose `*.parquet` files are read in sorted path
    /// order, or a glob. Columns keep their Parquet types (see the table in Docs/Definitions.md);
    /// `timestampFormat` applies only to timestamps stored as text (and partition values).
    public static func parquet(
        _ name: String,
        path: String,
        columnMapping: [String: String] = [:],
        timestampFormat: TimestampFormat = .iso8601
    ) -> Source {
        Source(name, kind: .parquet(path: path), columnMapping: columnMapping, timestampFormat: timestampFormat)
    }

    /// A source for rows handed over in Swift.
    public static func push(_ name: String) -> Source {
        Source(name, kind: .push)
    }
}

/// How a source writes timestamps.
public enum TimestampFormat: Hashable, Sendable, Codable, CustomStringConvertible {
    /// ISO-8601 with `Z` or an offset (`2024-05-01T12:00:00Z`, `…+02:00`). A timestamp without a
    /// zone is an error, unless the source declares one with `iso8601AssumingOffset`.
    case iso8601
    /// ISO-8601 where a timestamp without a zone is read at this offset from UTC (0 = UTC).
    case iso8601AssumingOffset(seconds: Int)
    /// Seconds since the Unix epoch (fractions allowed).
    case epochSeconds
    /// Milliseconds since the Unix epoch.
    case epochMilliseconds
    /// Microseconds since the Unix epoch.
    case epochMicroseconds

    public var description: String {
        switch self {
        case .iso8601: "iso8601"
        case .iso8601AssumingOffset(let seconds):
            "iso8601, zone-less read at \(seconds >= 0 ? "+" : "-")\(String(abs(seconds) / 3600).leftPadded(to: 2)):\(String(abs(seconds) / 60 % 60).leftPadded(to: 2))"
        case .epochSeconds: "epoch_seconds"
        case .epochMilliseconds: "epoch_millis"
        case .epochMicroseconds: "epoch_micros"
        }
    }
}
