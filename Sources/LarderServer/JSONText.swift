import Foundation
import Larder

/// JSON written straight as UTF-8 bytes: the answers on the read path, where building Swift
/// strings piece by piece cost more than the lookup itself.
struct JSONText {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// Text that is already JSON (punctuation, literals).
    mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// A JSON string (escaped as everywhere in Larder: `appendJSONQuoted`).
    mutating func string(_ text: String) {
        appendJSONQuoted(text, to: &bytes)
    }

    /// A value as native JSON: numbers as numbers (non-finite as null), bytes in base64, times
    /// as RFC 3339 strings, lists as arrays.
    mutating func value(_ value: FeatureValue) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): flag ? raw("true") : raw("false")
        case .int32(let number): raw(String(number))
        case .int64(let number): raw(String(number))
        case .float32(let number): number.isFinite ? raw(String(number)) : raw("null")
        case .float64(let number): number.isFinite ? raw(String(number)) : raw("null")
        case .string(let text): string(text)
        case .bytes(let data): string(Data(data).base64EncodedString())
        case .timestamp(let time): string(time.description)
        case .int64List(let list): array(list) { $0.raw(String($1)) }
        case .float32List(let list): array(list) { $1.isFinite ? $0.raw(String($1)) : $0.raw("null") }
        case .float64List(let list): array(list) { $1.isFinite ? $0.raw(String($1)) : $0.raw("null") }
        case .stringList(let list): array(list) { $0.string($1) }
        }
    }

    /// `[a,b,…]`, each element written by `element`.
    mutating func array<Element>(_ elements: some Sequence<Element>, _ element: (inout JSONText, Element) -> Void) {
        raw("[")
        var first = true
        for item in elements {
            if !first { raw(",") }
            first = false
            element(&self, item)
        }
        raw("]")
    }
}

extension JSONText {
    /// `value` alone as JSON text.
    static func of(_ value: FeatureValue) -> String {
        var text = JSONText(capacity: 16)
        text.value(value)
        return String(decoding: text.bytes, as: UTF8.self)
    }
}
