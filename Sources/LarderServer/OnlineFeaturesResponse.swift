import Larder

/// A `POST /get-online-features` answer in Feast's shape: `metadata.feature_names` (join keys
/// first), then one result per name with `values`, `statuses` and `event_timestamps` (RFC 3339
/// with `Z`; the epoch where there is none). Written as bytes directly: it is on every request.
enum OnlineFeaturesResponse {
    static func json(_ request: OnlineFeaturesRequest, _ response: OnlineResponse) -> [UInt8] {
        let rows = response.rowCount
        var text = JSONText(capacity: 64 + (request.keys.count + response.names.count) * (rows * 48 + 64))
        text.raw("{\"metadata\":{\"feature_names\":")
        text.array(request.keys + response.names) { $0.string($1) }
        text.raw("},\"results\":[")
        // Written straight into the one buffer: no array or string per cell.
        func result(value: (inout JSONText, Int) -> Void, status: (Int) -> FeatureStatus, time: (inout JSONText, Int) -> Void) {
            text.raw("{\"values\":")
            text.array(0..<rows, value)
            text.raw(",\"statuses\":")
            text.array(0..<rows) { text, row in
                text.raw("\"")
                text.raw(Self.name(status(row)))
                text.raw("\"")
            }
            text.raw(",\"event_timestamps\":")
            text.array(0..<rows, time)
            text.raw("}")
        }
        var first = true
        for key in request.keys {
            if !first { text.raw(",") }
            first = false
            result(value: { $0.value(request.rows[$1][key] ?? .null) }, status: { _ in .present }, time: { text, _ in text.raw(epoch) })
        }
        for column in response.names.indices {
            if !first { text.raw(",") }
            first = false
            result(value: { $0.value(response[$1, column].value) }, status: { response[$0, column].status },
                   time: { text, row in
                       if let time = response[row, column].eventTime { text.string(time.description) } else { text.raw(epoch) }
                   })
        }
        text.raw("]}")
        return text.bytes
    }

    static let epoch: StaticString = "\"1970-01-01T00:00:00Z\""

    /// Feast's name of a status.
    static func name(_ status: FeatureStatus) -> StaticString {
        switch status {
        case .present: "PRESENT"
        case .null: "NULL_VALUE"
        case .notFound: "NOT_FOUND"
        case .outsideMaxAge: "OUTSIDE_MAX_AGE"
        }
    }
}
