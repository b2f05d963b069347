import Foundation
import Larder

/// A `POST /get-online-features` answer in Feast's shape: `metadata.feature_names` (join keys
/// first), then one result per name with `values`, `statuses` and `event_timestamps` (RFC 3339
/// with `Z`; the epoch where there is none). Written as text directly: it is on every request.
enum OnlineFeaturesResponse {
    static let epoch = "\"1970-01-01T00:00:00Z\""

    static func json(_ request: OnlineFeaturesRequest, _ response: OnlineResponse) -> String {
        let rows = response.rowCount
        var text = "{\"metadata\":{\"feature_names\":["
        text += (request.keys + response.names).map(quoted).joined(separator: ",")
        text += "]},\"results\":["
        text.reserveCapacity(text.utf8.count + (request.keys.count + response.names.count) * (rows * 48 + 64))
        // Written straight into the one string: no array or string per cell but the value's text.
        func result(value: (Int) -> String, status: (Int) -> String, time: (Int) -> String) {
            text += "{\"values\":["
            for row in 0..<rows { if row > 0 { text += "," }; text += value(row) }
            text += "],\"statuses\":["
            for row in 0..<rows { if row > 0 { text += "," }; text += "\""; text += status(row); text += "\"" }
            text += "],\"event_timestamps\":["
            for row in 0..<rows { if row > 0 { text += "," }; text += time(row) }
            text += "]}"
        }
        var first = true
        for key in request.keys {
            if !first { text += "," }
            first = false
            result(value: { json(request.rows[$0][key] ?? .null) }, status: { _ in "PRESENT" }, time: { _ in epoch })
        }
        for column in response.names.indices {
            if !first { text += "," }
            first = false
            result(value: { json(response[$0, column].value) }, status: { Self.status(response[$0, column].status) },
                   time: { response[$0, column].eventTime.map { quoted($0.description) } ?? epoch })
        }
        return text + "]}"
    }

    static func status(_ status: FeatureStatus) -> String {
        switch status {
        case .present: "PRESENT"
        case .null: "NULL_VALUE"
        case .notFound: "NOT_FOUND"
        case .outsideMaxAge: "OUTSIDE_MAX_AGE"
        }
    }

    /// A value as native JSON: numbers as numbers (non-finite as null), bytes in base64, times
    /// as RFC 3339 strings, lists as arrays.
    static func json(_ value: FeatureValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .int32(let number): String(number)
        case .int64(let number): String(number)
        case .float32(let number): number.isFinite ? String(number) : "null"
        case .float64(let number): number.isFinite ? String(number) : "null"
        case .string(let text): quoted(text)
        case .bytes(let bytes): quoted(Data(bytes).base64EncodedString())
        case .timestamp(let time): quoted(time.description)
        case .int64List(let list): "[" + list.map(String.init).joined(separator: ",") + "]"
        case .float32List(let list): "[" + list.map { $0.isFinite ? String($0) : "null" }.joined(separator: ",") + "]"
        case .float64List(let list): "[" + list.map { $0.isFinite ? String($0) : "null" }.joined(separator: ",") + "]"
        case .stringList(let list): "[" + list.map(quoted).joined(separator: ",") + "]"
        }
    }

    /// A JSON string: quotes, backslashes and control characters escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
