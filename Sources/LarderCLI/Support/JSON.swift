import Foundation
import Larder

/// A JSON value with its keys in the order they were written, for `--json` output.
indirect enum JSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .int(Int64(value)) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(arrayLiteral elements: JSON...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, JSON)...) { self = .object(elements) }

    static func int(_ value: Int) -> JSON { .int(Int64(value)) }
    static func uint(_ value: UInt64) -> JSON { .int(Int64(clamping: value)) }
    static func string(_ value: String?) -> JSON { value.map(JSON.string) ?? .null }

    /// A time as an ISO-8601 string; `null` for nil or an open end.
    static func time(_ timestamp: Timestamp?) -> JSON {
        guard let timestamp, timestamp.microseconds != .min, timestamp.microseconds != .max else { return .null }
        return .string(timestamp.description)
    }

    /// A feature value in its natural JSON type.
    static func value(_ value: FeatureValue) -> JSON {
        switch value {
        case .null: .null
        case .bool(let v): .bool(v)
        case .int32(let v): .int(Int64(v))
        case .int64(let v): .int(v)
        case .float32(let v): .double(Double("\(v)") ?? Double(v))  // shortest decimal of the Float
        case .float64(let v): .double(v)
        case .string(let v): .string(v)
        case .bytes: .string(value.description)
        case .timestamp(let v): .string(v.description)
        case .int64List(let v): .array(v.map { .int($0) })
        case .float32List(let v): .array(v.map { .double(Double("\($0)") ?? Double($0)) })
        case .float64List(let v): .array(v.map { .double($0) })
        case .stringList(let v): .array(v.map { .string($0) })
        }
    }

    /// Pretty-printed, two spaces per level.
    func rendered(indent: String = "") -> String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .double(let value): return value.isFinite ? "\(value)" : "null"
        case .string(let value): return jsonQuoted(value)
        case .array(let values):
            if values.isEmpty { return "[]" }
            if values.allSatisfy(\.isScalar) { return "[" + values.map { $0.rendered() }.joined(separator: ", ") + "]" }
            let inner = indent + "  "
            return "[\n" + values.map { inner + $0.rendered(indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            let inner = indent + "  "
            return "{\n" + members.map { inner + jsonQuoted($0.0) + ": " + $0.1.rendered(indent: inner) }.joined(separator: ",\n") + "\n\(indent)}"
        }
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }

    /// Prints the value to standard output.
    func print() {
        Swift.print(rendered())
    }
}
