import Foundation
import Larder

/// A `POST /materialize` or `/materialize-incremental` body: `start_ts` (not for incremental
/// runs) and `end_ts` — ISO 8601, a time without a zone read as UTC, as Feast sends them — and
/// `feature_views` (null: every view).
struct MaterializeRequest {
    var start: Timestamp?
    var end: Timestamp
    var views: [String]?

    init(json body: Data, incremental: Bool) throws(ServerError) {
        let object = try JSONValue.object(body)
        func time(_ field: String) throws(ServerError) -> Timestamp {
            guard case .string(let text)? = object[field] else { throw .detail(.unprocessableContent, "give \(field), a time") }
            do { return try Timestamp(parsing: text, format: .iso8601AssumingOffset(seconds: 0)) } catch {
                throw .detail(.unprocessableContent, "\(field): \(error.reason)")
            }
        }
        start = incremental ? nil : try time("start_ts")
        end = try time("end_ts")
        switch object["feature_views"] {
        case nil, .null?: views = nil
        case .array(let items)?:
            views = try items.map { (item) throws(ServerError) in
                guard case .string(let name) = item else { throw .detail(.unprocessableContent, "feature_views holds \(item.kind), not a view name") }
                return name
            }
        case let other?: throw .detail(.unprocessableContent, "feature_views is \(other.kind), not a list of view names")
        }
    }

    /// The views' names as Feast lists them in its answers.
    var viewList: String {
        "[" + (views ?? []).map(jsonQuoted).joined(separator: ",") + "]"
    }
}
