import Foundation
import Larder
@testable import LarderServer
import Testing

/// The request bodies' JSON parser: RFC 8259, integers kept apart, errors with a byte offset,
/// and the same answer as Foundation's JSONSerialization wherever both read a value.
@Suite struct JSONParserTests {
    static func parse(_ text: String) throws(JSONParser.Failure) -> JSONValue {
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBufferPointer { buffer throws(JSONParser.Failure) in try JSONParser.parse(UnsafeBufferPointer(buffer)) }
    }

    static func parse(bytes: [UInt8]) throws(JSONParser.Failure) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONParser.Failure) in try JSONParser.parse(buffer) }
    }

    @Test func values() throws {
        #expect(try Self.parse(#" {"a": [1, -2, 0, 1.5, -0.25e2, 1E3, true, false, null, "x"]} "#) == .object(["a": .array([
            .int(1), .int(-2), .int(0), .double(1.5), .double(-25), .double(1000), .bool(true), .bool(false), .null, .string("x"),
        ])]))
        #expect(try Self.parse("9223372036854775807") == .int(.max))
        #expect(try Self.parse("-9223372036854775808") == .int(.min))
        #expect(try Self.parse("9223372036854775808") == .double(9223372036854775808))
        #expect(try Self.parse("[]") == .array([]))
        #expect(try Self.parse("{}") == .object([:]))
        #expect(try Self.parse(#"{"a": 1, "a": 2}"#) == .object(["a": .int(2)]))
    }

    @Test func strings() throws {
        #expect(try Self.parse(#""plain é 中""#) == .string("plain é 中"))
        #expect(try Self.parse(#""q\" b\\ s\/ \b\f\n\r\t""#) == .string("q\" b\\ s/ \u{8}\u{C}\n\r\t"))
        #expect(try Self.parse(#""\u00e9\u4E2D\ud83d\ude00""#) == .string("é中😀"))
    }

    @Test(arguments: [(String, String, Int)](arrayLiteral:
        ("", "unexpected end of the body", 0),
        ("{", "expected a member name in quotes", 1),
        (#"{"a" 1}"#, "expected ':' after a member name", 5),
        (#"{"a": 1,}"#, "expected a member name in quotes", 8),
        ("[1,]", "unexpected character", 3),
        ("[1 2]", "expected ',' or ']' in an array", 3),
        ("01", "a number cannot start with 0", 1),
        ("-", "a number needs digits", 1),
        ("1.", "a fraction needs digits", 2),
        ("1e", "an exponent needs digits", 2),
        ("1e999", "a number out of range", 0),
        ("tru", "unexpected character", 0),
        ("{} x", "unexpected text after the value", 3),
        ("\"a\u{1}\"", "a control character in a string must be escaped", 2),
        (#""\x""#, "an unknown escape in a string", 3),
        (#""\ud83d""#, "a lone surrogate in a \\u escape", 7),
        (#""\u12""#, "a \\u escape needs four hex digits", 3),
        ("\"abc", "a string without its closing quote", 4),
        ("NaN", "unexpected character", 0)
    ))
    func refusals(text: String, reason: String, offset: Int) {
        do {
            _ = try Self.parse(text)
            Issue.record("\(text) was accepted")
        } catch {
            #expect(error.reason == reason, "\(text)")
            #expect(error.offset == offset, "\(text)")
        }
    }

    @Test func notUTF8AndTooDeep() throws {
        #expect(throws: JSONParser.Failure.self) { try Self.parse(bytes: [0x22, 0xFF, 0x22]) }
        #expect(throws: JSONParser.Failure.self) { try Self.parse(bytes: [0x22, 0x5C, 0x6E, 0xC3, 0x22]) }
        #expect(throws: JSONParser.Failure.self) { try Self.parse(String(repeating: "[", count: 513) + String(repeating: "]", count: 513)) }
        #expect(try Self.parse(String(repeating: "[", count: 512) + String(repeating: "]", count: 512)) != .null)
    }

    /// Where Foundation reads a value, the parser reads the same one, and the reverse.
    @Test func agreesWithFoundation() throws {
        let corpus = [
            #"{"features": ["v:f"], "entities": {"driver_id": [1001, 1002]}, "full_feature_names": true}"#,
            #"{"a": -0, "b": 1.0, "c": 12345678901234567890, "d": "\u0000", "e": [[[]]], "f": {"g": null}}"#,
            "[1e-7, 2.5E+3, -1.25]", #""\/\"""#, "{\"a\":\t1\r\n}", "[1,,2]", "{'a': 1}", "[01]", "\"\u{7F}\"", "[-]", "[.5]", "[+1]",
        ]
        for text in corpus {
            let foundation = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
            let ours = try? Self.parse(text)
            #expect((foundation != nil) == (ours != nil), "\(text): Foundation \(foundation != nil), ours \(ours != nil)")
            if let foundation, let ours { #expect(Self.same(ours, foundation), "\(text): \(ours) vs \(foundation)") }
        }
    }

    static func same(_ value: JSONValue, _ object: Any) -> Bool {
        switch value {
        case .null: object is NSNull
        case .bool(let flag): (object as? NSNumber)?.boolValue == flag
        case .int(let number): (object as? NSNumber)?.int64Value == number
        case .double(let number): (object as? NSNumber)?.doubleValue == number
        case .string(let text): object as? String == text
        case .array(let items):
            (object as? [Any]).map { $0.count == items.count && zip(items, $0).allSatisfy { same($0, $1) } } ?? false
        case .object(let members):
            (object as? [String: Any]).map { dictionary in
                dictionary.count == members.count && members.allSatisfy { key, item in dictionary[key].map { same(item, $0) } ?? false }
            } ?? false
        }
    }

    /// What the answers write, the parser reads back as it was.
    @Test func writtenTextReadsBack() throws {
        for text in ["plain", "q\" b\\ /", "\u{0}\u{1f}\n\r\t\u{7f}", "é中😀", ""] {
            #expect(try Self.parse(jsonQuoted(text)) == .string(text))
        }
        #expect(JSONText.of(.float64List([1.5, .nan, -2])) == "[1.5,null,-2.0]")
        #expect(JSONText.of(.stringList(["a", "\""])) == #"["a","\""]"#)
        #expect(JSONText.of(.bytes([0, 255])) == #""AP8=""#)
        #expect(JSONText.of(.int64(-7)) == "-7")
    }
}
