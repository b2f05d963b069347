/// A view and some of its features, resolved once for many lookups: the database handles,
/// the slots of the features in the current row layout, and the ttl.
///
/// Preparing is what keeps a lookup free of dictionary lookups, parsing and allocation. A
/// prepared view stays usable after an `apply`: a session notices the registry version moved
/// and resolves it again (at the cost of that resolution; prepare it again to get it back).
public struct PreparedView: Sendable {
    @usableFromInline let plan: PreparedViewPlan

    public var name: String { plan.name }
    /// The requested features, in request order; accessors of ``FeatureRowView`` take indices
    /// into this list.
    public var features: [Field] { plan.features }
}

/// The resolved form of a ``PreparedView``. Its per-feature tables are plain buffers so that
/// reading them on the hot path costs no reference counting and no bounds-checked array copy.
@usableFromInline
final class PreparedViewPlan: @unchecked Sendable {
    let name: String
    let features: [Field]
    @usableFromInline let registryVersion: UInt64
    @usableFromInline let databases: ViewDatabases
    let keyTypes: [Entity.KeyType]
    /// Microseconds; 0 = no limit.
    @usableFromInline let ttl: Int64
    let layout: ViewLayout
    /// Index of each requested feature among the view's current features.
    let featureIndices: [Int]
    @usableFromInline let currentVersion: UInt16
    @usableFromInline let count: Int
    /// Each requested feature's type, and its slot in the current schema (-1: none).
    @usableFromInline let types: UnsafeMutableBufferPointer<ValueType>
    @usableFromInline let currentSlots: UnsafeMutableBufferPointer<Int>

    init(name: String, features names: [String]?, registry: Registry, databases handles: [UInt32: ViewDatabases]) throws {
        let layout = try registry.layout(of: name)
        guard let databases = handles[layout.record.id] else {
            throw LarderError.damagedStore(path: "", reason: "view \(name): its databases are not open")
        }
        let all = layout.features
        let indices = try (names ?? all.map(\.name)).map { feature in
            guard let index = layout.featureIndex(named: feature) else {
                throw LarderError.unknownFeature(view: name, feature: feature, known: all.map(\.name))
            }
            return index
        }
        self.name = name
        self.features = indices.map { all[$0] }
        self.registryVersion = registry.version
        self.databases = databases
        self.keyTypes = layout.record.keyTypes
        self.ttl = layout.record.definition.ttl.microseconds
        self.layout = layout
        self.featureIndices = indices
        self.currentVersion = layout.record.currentSchema.version
        self.count = indices.count
        self.types = .allocate(capacity: indices.count)
        _ = self.types.initialize(from: indices.map { all[$0].type })
        self.currentSlots = .allocate(capacity: indices.count)
        _ = self.currentSlots.initialize(from: indices.map { layout.slot(ofFeature: $0, inVersion: layout.record.currentSchema.version) ?? -1 })
    }

    deinit {
        types.deallocate()
        currentSlots.deallocate()
    }

    /// The slot of requested feature `index` in a row of `version`, or -1 if that row lacks it.
    @inlinable
    func slot(_ index: Int, inVersion version: UInt16) -> Int {
        if version == currentVersion { return currentSlots[index] }
        return slot(ofOlderVersion: version, index)
    }

    @usableFromInline
    func slot(ofOlderVersion version: UInt16, _ index: Int) -> Int {
        layout.slot(ofFeature: featureIndices[index], inVersion: version) ?? -1
    }
}

extension PreparedView {
    init(name: String, features: [String]?, registry: Registry, databases: [UInt32: ViewDatabases]) throws {
        plan = try PreparedViewPlan(name: name, features: features, registry: registry, databases: databases)
    }
}

extension FeatureStore {
    /// Prepares `view` (and `features`, all of them when `nil`) for fast lookups in a ``ReadSession``.
    /// - Throws: ``LarderError/unknownView(name:reference:known:)`` or
    ///   ``LarderError/unknownFeature(view:feature:reference:known:)``.
    public func preparedView(_ view: String, features: [String]? = nil) throws -> PreparedView {
        try read { _, registry, handles in try PreparedView(name: view, features: features, registry: registry, databases: handles) }
    }
}
