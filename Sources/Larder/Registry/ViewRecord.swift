/// A feature view as the registry stores it: the definition plus what the store needs to keep
/// every row ever written decodable.
///
/// Each feature has a field id that never changes while the feature keeps its name and type;
/// retyping or removing and re-adding a feature gives it a new id, so old values are never
/// read back under a new meaning. Every schema a row was ever written with is kept, by version.
struct ViewRecord: Codable, Hashable, Sendable {
    var definition: FeatureView
    /// Names the view's LMDB databases (`h.<id>`, `o.<id>`), so a deleted and re-created view
    /// starts empty.
    var id: UInt32
    /// Parallel to `definition.features`.
    var fieldIDs: [UInt32]
    var nextFieldID: UInt32
    /// Every schema rows were written with; the last is the current one.
    var schemas: [SchemaVersion]
    /// The key types of the view's entities, in key order, as the stored keys were encoded.
    var keyTypes: [Entity.KeyType]

    var currentSchema: SchemaVersion { schemas[schemas.count - 1] }

    var historyDatabaseName: String { "h.\(id)" }
    var onlineDatabaseName: String { "o.\(id)" }
}
