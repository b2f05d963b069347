import Foundation
import Larder

/// A JSON value of a request body, kept as it was written: integers apart from other numbers,
/// so that an entity key 1001 stays an int64.
enum JSONValue: Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// A request body's top-level object, or 422.
    static func object(_ body: Data) throws(ServerError) -> [String: JSONValue] {
        let parsed = body.withUnsafeBytes { bytes in
            Result { () throws(JSONParser.Failure) in try JSONParser.parse(bytes.assumingMemoryBound(to: UInt8.self)) }
        }
        switch parsed {
        case .success(.object(let members)): return members
        case .success(let value): throw .detail(.unprocessableContent, "the body is not a JSON object: it is \(value.kind)")
        case .failure(let failure): throw .detail(.unprocessableContent, "the body is not a JSON object: \(failure.reason) at byte \(failure.offset)")
        }
    }

    /// What the value is, for messages: "a string", "an object".
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// A table as Feast sends one — `entities` of a read, `df` of a write: an object of
/// equal-length lists, one per column — turned into rows, each cell by `cell` (nil refuses it).
/// Errors name the field, the column and the row.
struct ColumnTable {
    /// Column names, sorted.
    let columns: [String]
    let rows: [[String: FeatureValue]]

    /// - Parameters:
    ///   - unit: what a column is, for messages ("join key", "column").
    ///   - refusal: why `cell` refused a value, after its place and kind.
    init(_ value: JSONValue?, field: String, unit: String, refusal: String, cell: (JSONValue) -> FeatureValue?) throws(ServerError) {
        guard case .object(let table)? = value else {
            throw .detail(.unprocessableContent, "\(field) must be an object of one list per \(unit)")
        }
        columns = table.keys.sorted()
        var count: Int?
        var values: [String: [FeatureValue]] = [:]
        for name in columns {
            guard case .array(let items) = table[name]! else { throw .detail(.unprocessableContent, "\(field).\(name) is \(table[name]!.kind), not a list") }
            if let count, count != items.count {
                throw .detail(.unprocessableContent, "\(field).\(name) has \(items.count) values where \(field).\(columns[0]) has \(count): every \(unit) needs one value per row")
            }
            count = items.count
            values[name] = try items.enumerated().map { (index, item) throws(ServerError) in
                guard let value = cell(item) else { throw .detail(.unprocessableContent, "\(field).\(name)[\(index)] is \(item.kind)\(refusal)") }
                return value
            }
        }
        let names = columns
        rows = (0..<(count ?? 0)).map { row in Dictionary(uniqueKeysWithValues: names.map { ($0, values[$0]![row]) }) }
    }
}
