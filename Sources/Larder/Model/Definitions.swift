/// Everything a feature repository declares: what `plan` compares and `apply` commits.
public struct Definitions: Hashable, Sendable {
    public var entities: [Entity]
    public var sources: [Source]
    public var views: [FeatureView]
    public var services: [FeatureService]

    public init(entities: [Entity] = [], sources: [Source] = [], views: [FeatureView] = [], services: [FeatureService] = []) {
        self.entities = entities
        self.sources = sources
        self.views = views
        self.services = services
    }

    public func entity(named name: String) -> Entity? { entities.first { $0.name == name } }
    public func source(named name: String) -> Source? { sources.first { $0.name == name } }
    public func view(named name: String) -> FeatureView? { views.first { $0.name == name } }
    public func service(named name: String) -> FeatureService? { services.first { $0.name == name } }
}
