/// The type of a feature's values.
///
/// Scalars and four list types; lists of `float32` are the usual embedding type. The textual
/// names (`int64`, `[float32]`) are the ones definitions files use.
public enum ValueType: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case bool, int32, int64, float32, float64, string, bytes, timestamp
    case int64List, float32List, float64List, stringList

    /// The definitions-file spelling: `float32`, `[float32]`.
    public var description: String {
        switch self {
        case .bool: "bool"
        case .int32: "int32"
        case .int64: "int64"
        case .float32: "float32"
        case .float64: "float64"
        case .string: "string"
        case .bytes: "bytes"
        case .timestamp: "timestamp"
        case .int64List: "[int64]"
        case .float32List: "[float32]"
        case .float64List: "[float64]"
        case .stringList: "[string]"
        }
    }

    /// Parses the spelling `description` produces; `nil` for anything else.
    public init?(name: String) {
        guard let match = ValueType.allCases.first(where: { $0.description == name }) else { return nil }
        self = match
    }

    /// Whether a ``FeatureValue`` of this type holds a heap reference (a string, bytes or a list).
    var valuesHoldReferences: Bool {
        switch self {
        case .bool, .int32, .int64, .float32, .float64, .timestamp: false
        case .string, .bytes, .int64List, .float32List, .float64List, .stringList: true
        }
    }

    /// The type of a list's elements, or `nil` for a scalar.
    public var element: ValueType? {
        switch self {
        case .int64List: .int64
        case .float32List: .float32
        case .float64List: .float64
        case .stringList: .string
        default: nil
        }
    }

    /// The list of `element`, if Larder has one.
    public static func list(of element: ValueType) -> ValueType? {
        ValueType.allCases.first { $0.element == element }
    }
}
