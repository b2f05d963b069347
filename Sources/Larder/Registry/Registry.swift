/// The applied definitions at one registry version: parsed once, cached, shared.
///
/// Lookups never parse JSON: the store keeps the last `Registry` it loaded and checks its
/// version inside each transaction.
public struct Registry: Sendable {
    /// Bumped by every `apply` or `delete` that changes something.
    public let version: UInt64
    var entities: [String: Stored<Entity>]
    var sources: [String: Stored<Source>]
    var views: [String: Stored<ViewRecord>]
    var services: [String: Stored<FeatureService>]

    static let empty = Registry(version: 0, entities: [:], sources: [:], views: [:], services: [:])

    /// The applied definitions, each list sorted by name.
    public var definitions: Definitions {
        Definitions(
            entities: entities.values.map(\.spec).sorted { $0.name < $1.name },
            sources: sources.values.map(\.spec).sorted { $0.name < $1.name },
            views: views.values.map(\.spec.definition).sorted { $0.name < $1.name },
            services: services.values.map(\.spec).sorted { $0.name < $1.name }
        )
    }

    public func entity(named name: String) -> Entity? { entities[name]?.spec }
    public func source(named name: String) -> Source? { sources[name]?.spec }
    public func view(named name: String) -> FeatureView? { views[name]?.spec.definition }
    public func service(named name: String) -> FeatureService? { services[name]?.spec }

    /// When an object was first applied and last changed.
    public func history(of object: RegistryObject) -> ObjectHistory? {
        switch object {
        case .entity(let name): entities[name]?.history
        case .source(let name): sources[name]?.history
        case .view(let name): views[name]?.history
        case .service(let name): services[name]?.history
        }
    }

    var objects: [RegistryObject] {
        entities.keys.map(RegistryObject.entity) + sources.keys.map(RegistryObject.source)
            + views.keys.map(RegistryObject.view) + services.keys.map(RegistryObject.service)
    }
}

/// System metadata kept beside each stored definition, apart from the spec itself.
public struct ObjectHistory: Codable, Hashable, Sendable {
    /// Registry version of the apply that created the object.
    public var createdInVersion: UInt64
    /// Registry version of the last apply that changed it.
    public var updatedInVersion: UInt64
    /// Wall-clock times, microseconds since the Unix epoch (UTC).
    public var createdAt: Int64
    public var updatedAt: Int64
}

/// A registry value: the spec and its history.
struct Stored<Spec: Codable & Hashable & Sendable>: Codable, Hashable, Sendable {
    var spec: Spec
    var history: ObjectHistory
}
