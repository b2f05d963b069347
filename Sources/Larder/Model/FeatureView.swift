/// A named, typed group of features about one or more entities, read from one source.
///
/// ```swift
/// let stats = FeatureView("driver_hourly_stats", entities: [driver], source: trips, ttl: .seconds(86_400)) {
///     Field("conv_rate", .float32)
///     Field("acc_rate", .float32)
///     Field("avg_daily_trips", .int64)
/// }
/// ```
///
/// Several entities make a composite key, in the order given. `ttl` bounds how old a value may
/// be when it is served (zero: no limit).
public struct FeatureView: Hashable, Sendable, Codable {
    public var name: String
    /// Entity names, in key order.
    public var entities: [String]
    public var features: [Field]
    /// The name of the source the rows come from.
    public var source: String
    /// The view's column holding each row's event time.
    public var timestampColumn: String
    /// The view's column holding each row's creation time, used to break ties on event time.
    public var createdTimestampColumn: String?
    /// How old a value may be when served or joined; `.zero` means no limit.
    public var ttl: Duration
    /// Whether materialization keeps an online (latest value) table for the view.
    public var online: Bool
    public var owner: String
    public var description: String
    public var tags: [String: String]
    /// Drift thresholds for the view's features; nil: the standard ones (``FeatureView/driftThresholds(for:)``).
    public var monitoring: Monitoring?

    public init(
        _ name: String,
        entities: [Entity],
        source: Source,
        ttl: Duration = .zero,
        timestampColumn: String = "event_timestamp",
        createdTimestampColumn: String? = nil,
        @FieldsBuilder features: () -> [Field]
    ) {
        self.init(
            name, entityNames: entities.map(\.name), sourceName: source.name, features: features(),
            ttl: ttl, timestampColumn: timestampColumn, createdTimestampColumn: createdTimestampColumn)
    }

    /// The initializer definitions files use, naming entities and the source.
    public init(
        _ name: String,
        entityNames: [String],
        sourceName: String,
        features: [Field],
        ttl: Duration = .zero,
        timestampColumn: String = "event_timestamp",
        createdTimestampColumn: String? = nil
    ) {
        self.name = name
        self.entities = entityNames
        self.features = features
        self.source = sourceName
        self.timestampColumn = timestampColumn
        self.createdTimestampColumn = createdTimestampColumn
        self.ttl = ttl
        self.online = true
        self.owner = ""
        self.description = ""
        self.tags = [:]
        self.monitoring = nil
    }

    /// The feature called `name`, if the view has one.
    public func feature(named name: String) -> Field? {
        features.first { $0.name == name }
    }

    // Modifiers, so optional details read as sentences instead of a dozen initializer arguments.

    public func owner(_ owner: String) -> FeatureView { with { $0.owner = owner } }
    public func description(_ text: String) -> FeatureView { with { $0.description = text } }
    public func tags(_ tags: [String: String]) -> FeatureView { with { $0.tags = tags } }
    /// Keeps history only: no online table, so no online lookups.
    public func offline() -> FeatureView { with { $0.online = false } }

    private func with(_ change: (inout FeatureView) -> Void) -> FeatureView {
        var copy = self
        change(&copy)
        return copy
    }
}
