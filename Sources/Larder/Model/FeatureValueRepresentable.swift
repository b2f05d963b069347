/// A Swift type that a scalar feature value can be read as, for typed columns
/// (``HistoricalTable/column(_:as:)``). Each reads the values it holds exactly:
///
/// | type | reads |
/// |---|---|
/// | `Double` | float64, float32, and int32 or int64 values a `Double` holds exactly |
/// | `Float` | float32 |
/// | `Int64`, `Int` | int64, int32 |
/// | `Int32` | int32 |
/// | `Bool` | bool |
/// | `String` | string |
/// | `Timestamp` | timestamp |
///
/// Bytes and lists are read through ``FeatureValue`` itself (``HistoricalTable/column(_:)``).
public protocol FeatureValueRepresentable {
    /// The value as this type, or nil when it is null or holds something this type cannot
    /// represent exactly.
    init?(featureValue: FeatureValue)
}

extension Double: FeatureValueRepresentable {
    public init?(featureValue: FeatureValue) {
        switch featureValue {
        case .float64(let value): self = value
        case .float32(let value): self = Double(value)
        case .int32(let value): self = Double(value)
        case .int64(let value):
            guard let exact = Double(exactly: value) else { return nil }
            self = exact
        default: return nil
        }
    }
}

extension Float: FeatureValueRepresentable {
    public init?(featureValue: FeatureValue) {
        guard case .float32(let value) = featureValue else { return nil }
        self = value
    }
}

extension Int64: FeatureValueRepresentable {
    public init?(featureValue: FeatureValue) {
        switch featureValue {
        case .int64(let value): self = value
        case .int32(let value): self = Int64(value)
        default: return nil
        }
    }
}

extension Int: FeatureValueRepresentable {
    public init?(featureValue: FeatureValue) {
        guard let value = Int64(featureValue: featureValue), let exact = Int(exactly: value) else { return nil }
        self = exact
    }
}

extension Int32: FeatureValueRepresentable {
    public init?(featureValue: FeatureValue) {
        guard case .int32(let value) = featureValue else { return nil }
        self = value
    }
}

extension Bool: FeatureValueRepresentable {
    public init?(featureValue: FeatureValue) {
        guard case .bool(let value) = featureValue else { return nil }
        self = value
    }
}

extension String: FeatureValueRepresentable {
    public init?(featureValue: FeatureValue) {
        guard case .string(let value) = featureValue else { return nil }
        self = value
    }
}

extension Timestamp: FeatureValueRepresentable {
    public init?(featureValue: FeatureValue) {
        guard case .timestamp(let value) = featureValue else { return nil }
        self = value
    }
}
