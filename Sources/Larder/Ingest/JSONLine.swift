import Foundation

/// One line of a JSON Lines file read as an object, or what is wrong with it in words a person
/// can act on.
enum JSONLine {
    static func object(_ line: Data) -> Result<[String: Any], ValueParseError> {
        guard line.withUnsafeBytes({ $0.isValidUTF8 }) else {
            return .failure(ValueParseError(message: "not valid UTF-8 (JSON Lines files are UTF-8)"))
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: line, options: [.fragmentsAllowed])
        } catch {
            // Foundation says what and where ("Invalid value around character 6."); NaN and
            // Infinity are not JSON, and neither is nesting past 512 levels.
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            return .failure(ValueParseError(message: "not valid JSON" + (detail.map { ": " + $0.trimmingCharacters(in: CharacterSet(charactersIn: ".")) } ?? "")))
        }
        guard let dictionary = object as? [String: Any] else {
            return .failure(ValueParseError(message: "expected a JSON object, found \(kind(of: object))"))
        }
        if let duplicate = duplicateTopLevelKey(line) {
            return .failure(ValueParseError(message: "key \(ValueParseError.quote(duplicate)) appears twice; which value is meant?"))
        }
        return .success(dictionary)
    }

    private static func kind(of value: Any) -> String {
        switch value {
        case is [Any]: "an array"
        case is String: "a string"
        case is NSNull: "null"
        case is NSNumber: "a number"
        default: "another value"
        }
    }

    /// The first key that appears twice in the outermost object, for valid JSON (Foundation
    /// would silently keep one of the values).
    private static func duplicateTopLevelKey(_ line: Data) -> String? {
        line.withUnsafeBytes { bytes -> String? in
            var seen: Set<String> = []
            var depth = 0
            var index = 0
            var expectingKey = false
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "{"):
                    depth += 1
                    expectingKey = depth == 1
                case UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                case UInt8(ascii: ","): expectingKey = depth == 1
                case UInt8(ascii: "\""):
                    var end = index + 1
                    var escaped = false
                    while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                        if bytes[end] == UInt8(ascii: "\\") {
                            escaped = true
                            end += 1
                        }
                        end += 1
                    }
                    if expectingKey {
                        expectingKey = false
                        let literal = UnsafeRawBufferPointer(rebasing: bytes[index...min(end, bytes.count - 1)])
                        let key = escaped
                            ? (try? JSONSerialization.jsonObject(with: Data(literal), options: [.fragmentsAllowed])) as? String
                            : String(decoding: literal.dropFirst().dropLast(), as: UTF8.self)
                        if let key, !seen.insert(key).inserted { return key }
                    }
                    index = end
                default: break
                }
                index += 1
            }
            return nil
        }
    }
}
