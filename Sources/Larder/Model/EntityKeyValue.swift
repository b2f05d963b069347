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

    var keyType: Entity.KeyType {
        switch self {
        case .int64: .int64
        case .string: .string
        }
    }
}
