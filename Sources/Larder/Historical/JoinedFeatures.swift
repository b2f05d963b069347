/// The history row one view matched for the current entity row: its stored bytes, copied out
/// of the sorter into a buffer reused from row to row (no allocation per row).
final class MatchedRow {
    let plan: PreparedViewPlan
    // Set once per matched row: the runtime's exclusivity checks would cost more than the copy
    // (no access to it escapes this class).
    @exclusivity(unchecked) private var storage = GrowableBytes(capacity: 256)
    /// The current entity row's match, decodable field by field (read once per match, not per
    /// cell); nil when there is none (or its bytes are not a row).
    private(set) var view: RowView?

    init(plan: PreparedViewPlan) {
        self.plan = plan
    }

    func set(_ row: UnsafeRawBufferPointer) {
        storage.removeAll()
        storage.append(row)
        view = RowView(UnsafeRawBufferPointer(start: storage.base, count: storage.count))
    }

    func clear() { view = nil }

    /// Requested feature `feature` of the match, or null.
    func value(_ feature: Int) -> FeatureValue {
        guard let view else { return .null }
        let slot = plan.slot(feature, inVersion: view.schemaVersion)
        return slot < 0 ? .null : view.value(slot, as: plan.types[feature])
    }

    /// Requested feature `feature` of the match, read straight from its slot when it is null or
    /// a number (CSV writes those without quotes); `.other` for the rest, which `value(_:)`
    /// decodes. Most cells of a training set are read this way. Only reads: with no call to
    /// make, the compiler neither retains nor releases this row per cell.
    @inline(__always)
    func plainCell(_ feature: Int) -> PlainCell {
        guard let view else { return .null }
        let slot = plan.slot(feature, inVersion: view.schemaVersion)
        guard slot >= 0, !view.isNull(slot) else { return .null }
        switch plan.types[feature] {
        case .float64: return .float64(Double(bitPattern: view.fixed(slot, as: UInt64.self)))
        case .int64: return .int64(view.fixed(slot, as: Int64.self))
        case .int32: return .int64(Int64(view.fixed(slot, as: Int32.self)))
        default: return .other
        }
    }
}

/// The feature columns of one output row, read from the matched rows on demand.
struct JoinedFeatures {
    /// For each output feature column, the view (index into `matches`) and its feature there.
    let sources: [(view: Int, feature: Int)]
    let matches: [MatchedRow]

    var count: Int { sources.count }

    func value(_ column: Int) -> FeatureValue {
        let source = sources[column]
        guard source.view >= 0 else { return .null }
        return matches[source.view].value(source.feature)
    }

    var values: [FeatureValue] { (0..<count).map(value) }

    /// See `MatchedRow.plainCell`.
    @inline(__always)
    func plainCell(_ column: Int) -> PlainCell {
        let source = sources[column]
        guard source.view >= 0 else { return .null }
        return matches[source.view].plainCell(source.feature)
    }
}

/// A cell that CSV writes without quotes, or `.other`.
enum PlainCell {
    case null
    case float64(Double)
    case int64(Int64)
    case other
}
