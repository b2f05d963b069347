/// The layout of a row written with one version of a view's schema.
struct SchemaVersion: Codable, Hashable, Sendable {
    var version: UInt16
    var fieldIDs: [UInt32]
    var types: [ValueType]
}
