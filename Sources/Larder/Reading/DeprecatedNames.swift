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
