/// One feature of a feature view: a name and a value type.
///
/// ```swift
/// Field("conv_rate", .float32, description: "conversion rate over the last hour")
/// ```
public struct Field: Hashable, Sendable, Codable {
    public var name: String
    public var type: ValueType
    public var description: String
    public var tags: [String: String]

    public init(_ name: String, _ type: ValueType, description: String = "", tags: [String: String] = [:]) {
        self.name = name
        self.type = type
        self.description = description
        self.tags = tags
    }
}

/// Collects the fields of a feature view written one per line.
@resultBuilder
public enum FieldsBuilder {
    public static func buildExpression(_ field: Field) -> [Field] { [field] }
    public static func buildExpression(_ fields: [Field]) -> [Field] { fields }
    public static func buildBlock(_ parts: [Field]...) -> [Field] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [Field]?) -> [Field] { part ?? [] }
    public static func buildEither(first: [Field]) -> [Field] { first }
    public static func buildEither(second: [Field]) -> [Field] { second }
    public static func buildArray(_ parts: [[Field]]) -> [Field] { parts.flatMap { $0 } }
}
