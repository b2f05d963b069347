/// A thing that features describe (a driver, a customer), identified by one join key.
///
/// ```swift
/// let driver = Entity("driver", joinKey: "driver_id", type: .int64)
/// ```
public struct Entity: Hashable, Sendable, Codable {
    /// The type of an entity's join key.
    public enum KeyType: String, Hashable, Sendable, CaseIterable, Codable {
        case int64, string
    }

    public var name: String
    /// The column that identifies the entity in sources and in entity rows (`driver_id`).
    public var joinKey: String
    public var keyType: KeyType
    public var description: String
    public var tags: [String: String]

    public init(_ name: String, joinKey: String, type: KeyType = .int64, description: String = "", tags: [String: String] = [:]) {
        self.name = name
        self.joinKey = joinKey
        self.keyType = type
        self.description = description
        self.tags = tags
    }
}
