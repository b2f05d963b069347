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
        let object: [String: JSONValue]
        do { object = try JSONDecoder().decode([String: JSONValue].self, from: body) } catch {
            throw .detail(.unprocessableContent, "the body is not a JSON object")
        }
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
        guard case .object(let columns)? = object["entities"] else {
            throw .detail(.unprocessableContent, "entities must be an object of one list per join key")
        }
        keys = columns.keys.sorted()
        var count: Int?
        var values: [String: [FeatureValue]] = [:]
        for key in keys {
            guard case .array(let items) = columns[key]! else { throw .detail(.unprocessableContent, "entities.\(key) is \(columns[key]!.kind), not a list") }
            if let count, count != items.count {
                throw .detail(.unprocessableContent, "entities.\(key) has \(items.count) values where entities.\(keys[0]) has \(count): every join key needs one value per row")
            }
            count = items.count
            values[key] = try items.enumerated().map { (index, item) throws(ServerError) in
                switch item {
                case .null: return .null
                case .int(let number): return .int64(number)
                case .string(let text): return .string(text)
                case .double(let number) where number.rounded() == number && abs(number) < 9.2e18: return .int64(Int64(number))
                default: throw .detail(.unprocessableContent, "entities.\(key)[\(index)] is \(item.kind): join keys are integers or strings")
                }
            }
        }
        rows = (0..<(count ?? 0)).map { row in Dictionary(uniqueKeysWithValues: keys.map { ($0, values[$0]![row]) }) }
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
