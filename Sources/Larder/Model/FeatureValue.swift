/// One feature value, typed: what the convenience APIs return and what pushes take.
///
/// The zero-copy read path never builds these; it reads typed values straight from the page.
public enum FeatureValue: Hashable, Sendable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int32(Int32)
    case int64(Int64)
    case float32(Float)
    case float64(Double)
    case string(String)
    case bytes([UInt8])
    case timestamp(Timestamp)
    case int64List([Int64])
    case float32List([Float])
    case float64List([Double])
    case stringList([String])

    /// The type of this value, or `nil` for `.null`.
    public var type: ValueType? {
        switch self {
        case .null: nil
        case .bool: .bool
        case .int32: .int32
        case .int64: .int64
        case .float32: .float32
        case .float64: .float64
        case .string: .string
        case .bytes: .bytes
        case .timestamp: .timestamp
        case .int64List: .int64List
        case .float32List: .float32List
        case .float64List: .float64List
        case .stringList: .stringList
        }
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value as text, the way CSV output writes it (`null` is empty).
    public var description: String {
        switch self {
        case .null: ""
        case .bool(let value): String(value)
        case .int32(let value): String(value)
        case .int64(let value): String(value)
        case .float32(let value): String(value)
        case .float64(let value): String(value)
        case .string(let value): value
        case .bytes(let value): "0x" + value.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        case .timestamp(let value): value.description
        case .int64List(let values): "[" + values.map(String.init).joined(separator: ",") + "]"
        case .float32List(let values): "[" + values.map { String($0) }.joined(separator: ",") + "]"
        case .float64List(let values): "[" + values.map { String($0) }.joined(separator: ",") + "]"
        case .stringList(let values): "[" + values.map(jsonQuoted).joined(separator: ",") + "]"
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// Literals, so that an entity row reads `["driver_id": 1001, "label": 1.5]`.
extension FeatureValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral {
    public init(integerLiteral value: Int64) { self = .int64(value) }
    public init(floatLiteral value: Double) { self = .float64(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    /// A join key as a cell of an entity row.
    public init(_ key: EntityKeyValue) {
        switch key {
        case .int64(let number): self = .int64(number)
        case .string(let text): self = .string(text)
        }
    }
}
