/// The objects of a ``Definitions`` by name, for code that looks names up in a loop: the
/// `named:` methods scan their arrays, which made applying thousands of entities quadratic.
/// The first object of a name wins, as with those methods.
struct DefinitionsIndex {
    let entities: [String: Entity]
    let sources: [String: Source]
    let views: [String: FeatureView]
    let services: [String: FeatureService]

    init(_ definitions: Definitions) {
        entities = Dictionary(definitions.entities.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        sources = Dictionary(definitions.sources.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        views = Dictionary(definitions.views.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        services = Dictionary(definitions.services.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
