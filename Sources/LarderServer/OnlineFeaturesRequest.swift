import Foundation
import Larder

/// A `POST /get-online-features` body, as Feast's clients send it: `features` (`view:feature`)
/// or `feature_service` (which wins when both are set), `entities` as one equal-length list per
/// join key, `full_feature_names`; and Larder's own `as_of` (a time) and `at_snapshot` (an id).
/// Fields Larder does not know are ignored, as Feast ignores them.
struct OnlineFeaturesRequest {
    var features: [FeatureReference] = []
    var service: String?
    /// Join keys in name order, and each row's values.
    var keys: [String] = []
    var rows: [[String: FeatureValue]] = []
    var options = OnlineOptions()

    init(json body: Data) throws(ServerError) {
        let object = try JSONValue.object(body)
        switch object["feature_service"] {
        case nil, .null?: break
        case .string(let name)?: service = name
        case let other?: throw .detail(.unprocessableContent, "feature_service is \(other.kind), not a string")
        }
        switch object["features"] {
        case nil, .null?: break
        case .array(let items)?:
            features = try items.enumerated().map { (index, item) throws(ServerError) in
                guard case .string(let reference) = item else { throw .detail(.unprocessableContent, "features[\(index)] is \(item.kind), not a string") }
                return FeatureReference(parsing: reference)
            }
        case let other?: throw .detail(.unprocessableContent, "features is \(other.kind), not an array of strings")
        }
        if service == nil && features.isEmpty { throw .detail(.unprocessableContent, "give features or feature_service") }
        let table = try ColumnTable(object["entities"], field: "entities", unit: "join key", refusal: ": join keys are integers or strings") { item in
            switch item {
            case .null: .null
            case .int(let number): .int64(number)
            case .string(let text): .string(text)
            case .double(let number) where number.rounded() == number && abs(number) < 9.2e18: .int64(Int64(number))
            default: nil
            }
        }
        (keys, rows) = (table.columns, table.rows)
        switch object["full_feature_names"] {
        case nil, .null?: break
        case .bool(let flag)?: options.fullFeatureNames = flag
        case let other?: throw .detail(.unprocessableContent, "full_feature_names is \(other.kind), not a boolean")
        }
        switch object["as_of"] {
        case nil, .null?: break
        case .string(let text)?:
            do { options.asOf = try Timestamp(parsing: text) } catch { throw .detail(.unprocessableContent, "as_of: \(error.reason)") }
        case let other?: throw .detail(.unprocessableContent, "as_of is \(other.kind), not a time")
        }
        switch object["at_snapshot"] {
        case nil, .null?: break
        case .int(let id)? where id >= 0: options.asOfSnapshot = UInt64(id)
        case let other?: throw .detail(.unprocessableContent, "at_snapshot is \(other.kind), not a snapshot id")
        }
    }
}
