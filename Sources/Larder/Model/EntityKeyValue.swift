/// The value of one join key: an `int64` or a `string`, as its entity declares.
public enum EntityKeyValue: Hashable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    case int64(Int64)
    case string(String)

    public init(integerLiteral value: Int64) { self = .int64(value) }
    public init(stringLiteral value: String) { self = .string(value) }

    public var description: String {
        switch self {
        case .int64(let value): String(value)
        case .string(let value): value
        }
    }

    /// The key an entity row's cell holds: an integer (`int64`, or `int32` widened) or a string;
    /// nil for any other value, which is no key.
    public init?(_ cell: FeatureValue) {
        switch cell {
        case .int64(let number): self = .int64(number)
        case .int32(let number): self = .int64(Int64(number))
        case .string(let text): self = .string(text)
        default: return nil
        }
    }

    var keyType: Entity.KeyType {
        switch self {
        case .int64: .int64
        case .string: .string
        }
    }
}
