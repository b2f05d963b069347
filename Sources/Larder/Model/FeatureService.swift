/// A named set of features that a model consumes, used for online and historical retrieval
/// alike so both see the same columns.
///
/// ```swift
/// let activity = FeatureService("driver_activity", features: ["driver_hourly_stats:conv_rate", "driver_profile"])
/// ```
public struct FeatureService: Hashable, Sendable, Codable {
    public var name: String
    public var features: [FeatureReference]
    public var description: String
    public var tags: [String: String]

    public init(_ name: String, features: [FeatureReference], description: String = "", tags: [String: String] = [:]) {
        self.name = name
        self.features = features
        self.description = description
        self.tags = tags
    }
}
