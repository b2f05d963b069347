// Names the reading layer had before it served history reads as well as online lookups.

@available(*, deprecated, renamed: "ReadSession")
public typealias OnlineSession = ReadSession

@available(*, deprecated, renamed: "PreparedView")
public typealias OnlineView = PreparedView

@available(*, deprecated, renamed: "FeatureRowView")
public typealias OnlineRowView = FeatureRowView

extension FeatureStore {
    @available(*, deprecated, renamed: "preparedView(_:features:)")
    public func onlineView(_ view: String, features: [String]? = nil) throws -> PreparedView {
        try preparedView(view, features: features)
    }
}

extension FeatureStore {
    /// Entity rows of keys only; an entity row is `[String: FeatureValue]` in every API now.
    @_disfavoredOverload
    @available(*, deprecated, message: "pass entity rows as [[String: FeatureValue]]")
    public func onlineFeatures(_ references: [FeatureReference], for entities: [[String: EntityKeyValue]], options: OnlineOptions = OnlineOptions()) throws -> OnlineResponse {
        try onlineFeatures(references, for: entities.map { $0.mapValues(FeatureValue.init) }, options: options)
    }

    @_disfavoredOverload
    @available(*, deprecated, message: "pass entity rows as [[String: FeatureValue]]")
    public func onlineFeatures(service: String, for entities: [[String: EntityKeyValue]], options: OnlineOptions = OnlineOptions()) throws -> OnlineResponse {
        try onlineFeatures(service: service, for: entities.map { $0.mapValues(FeatureValue.init) }, options: options)
    }
}
