/// The Arrow types a training set's columns take: what pandas and pyarrow map to int64, int32,
/// float64, float32, bool, object/string and datetime64[us, UTC] dtypes, and lists of them.
public indirect enum ArrowType: Sendable, Equatable, CustomStringConvertible {
    case int32
    case int64
    case float32
    case float64
    case bool
    /// UTF-8 text (Arrow's `Utf8`: 32-bit offsets).
    case string
    /// Bytes (Arrow's `Binary`: 32-bit offsets).
    case binary
    /// Microseconds since the Unix epoch, UTC.
    case timestampMicrosecondsUTC
    /// A variable-length list (32-bit offsets) of non-null elements of a primitive type.
    case list(ArrowType)

    /// Whether values are bytes between offsets (strings and binary).
    public var isVariableWidth: Bool { self == .string || self == .binary }

    public var description: String {
        switch self {
        case .int32: "int32"
        case .int64: "int64"
        case .float32: "float"
        case .float64: "double"
        case .bool: "bool"
        case .string: "string"
        case .binary: "binary"
        case .timestampMicrosecondsUTC: "timestamp[us, tz=UTC]"
        case .list(let element): "list<\(element)>"
        }
    }
}

/// A named, nullable column of a schema.
public struct ArrowField: Sendable, Equatable {
    public var name: String
    public var type: ArrowType

    public init(_ name: String, _ type: ArrowType) {
        self.name = name
        self.type = type
    }
}
