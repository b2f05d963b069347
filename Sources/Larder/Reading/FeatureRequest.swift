/// Feature references resolved against a registry: which views to read, which of their
/// features, and the output columns. Shared by online and historical retrieval.
///
/// A class: online requests take it from the store's cache on every call, and a reference
/// is one retain where a struct of arrays would be four.
final class FeatureRequest: Sendable {
    struct ViewPart: Sendable {
        let view: PreparedView
        /// The join keys of the view's entities, in key order.
        let joinKeys: [String]
        /// Output column of each of `view.features`.
        let columns: [Int]
    }

    let parts: [ViewPart]
    let names: [String]
    /// The view of each output column (made once: every online answer carries it).
    let views: [String]
    /// The feature of each output column, by its name in its view.
    let fields: [String]

    /// The type of each output column.
    let types: [ValueType]
    /// Whether a value of some column may hold a reference (a string, bytes or a list).
    let holdsReferences: Bool
    /// Whether some view has a ttl (an online lookup then reads the clock).
    let hasTTL: Bool
    let registryVersion: UInt64

    init(_ references: [FeatureReference], fullNames: Bool, registry: Registry, databases: [UInt32: ViewDatabases]) throws {
        var order: [String] = []
        var featuresByView: [String: [String]] = [:]
        var seen = Set<String>()
        for reference in references {
            guard let view = registry.view(named: reference.view) else {
                throw LarderError.unknownView(name: reference.view, reference: "\(reference)", known: Array(registry.views.keys))
            }
            let features = reference.feature.map { [$0] } ?? view.features.map(\.name)
            for feature in features {
                guard view.feature(named: feature) != nil else {
                    throw LarderError.unknownFeature(view: view.name, feature: feature, reference: "\(reference)", known: view.features.map(\.name))
                }
                guard seen.insert("\(view.name):\(feature)").inserted else { continue }
                if featuresByView[view.name] == nil { order.append(view.name) }
                featuresByView[view.name, default: []].append(feature)
            }
        }
        var names: [String] = []
        var parts: [ViewPart] = []
        for name in order {
            let features = featuresByView[name] ?? []
            let view = try PreparedView(name: name, features: features, registry: registry, databases: databases)
            let joinKeys = (registry.view(named: name)?.entities ?? []).compactMap { registry.entity(named: $0)?.joinKey }
            let columns = features.map { feature -> Int in
                names.append(fullNames ? "\(name)__\(feature)" : feature)
                return names.count - 1
            }
            parts.append(ViewPart(view: view, joinKeys: joinKeys, columns: columns))
        }
        if !fullNames, Set(names).count != names.count {
            let duplicates = Dictionary(grouping: names, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
            throw LarderError.ambiguousFeatureNames(duplicates)
        }
        var views = [String](repeating: "", count: names.count), fields = views
        var types = [ValueType](repeating: .string, count: names.count)
        for part in parts {
            for (feature, column) in part.columns.enumerated() {
                views[column] = part.view.name
                fields[column] = part.view.features[feature].name
                types[column] = part.view.features[feature].type
            }
        }
        self.types = types
        self.holdsReferences = types.contains(where: \.valuesHoldReferences)
        self.hasTTL = parts.contains { $0.view.plan.ttl > 0 }
        self.fields = fields
        self.parts = parts
        self.names = names
        self.views = views
        self.registryVersion = registry.version
    }

    /// The references of a feature service.
    static func references(ofService name: String, in registry: Registry) throws -> [FeatureReference] {
        guard let service = registry.service(named: name) else {
            throw LarderError.unknownService(name: name, known: Array(registry.services.keys))
        }
        return service.features
    }
}

extension FeatureStore {
    /// `references` resolved in `context`: found among the store's recent requests, or
    /// resolved now and kept. An apply changes the registry version, so it never matches again.
    func resolvedRequest(for references: [FeatureReference], fullNames: Bool, in context: ReadContext) throws -> FeatureRequest {
        let key = FeatureRequestKey(references: references, fullNames: fullNames, registryVersion: context.registry.version)
        return try resolvedRequests.value(for: key, droppingWhere: { $0.registryVersion != key.registryVersion }) {
            try FeatureRequest(references, fullNames: fullNames, registry: context.registry, databases: context.databases)
        }
    }
}
