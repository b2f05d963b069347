/// The history row one view matched for the current entity row: its stored bytes, copied out
/// of the sorter into a buffer reused from row to row (no allocation per row).
final class MatchedRow {
    let plan: OnlineViewPlan
    private var storage: UnsafeMutableRawPointer
    private var capacity = 256
    /// The current entity row's match, decodable field by field (read once per match, not per
    /// cell); nil when there is none (or its bytes are not a row).
    private(set) var view: RowView?

    init(plan: OnlineViewPlan) {
        self.plan = plan
        storage = .allocate(byteCount: capacity, alignment: 8)
    }

    deinit { storage.deallocate() }

    func set(_ row: UnsafeRawBufferPointer) {
        if row.count > capacity {
            storage.deallocate()
            capacity = row.count
            storage = .allocate(byteCount: capacity, alignment: 8)
        }
        if let base = row.baseAddress { storage.copyMemory(from: base, byteCount: row.count) }
        view = RowView(UnsafeRawBufferPointer(start: storage, count: row.count))
    }

    func clear() { view = nil }

    /// Requested feature `feature` of the match, or null.
    func value(_ feature: Int) -> FeatureValue {
        guard let view else { return .null }
        let slot = plan.slot(feature, inVersion: view.schemaVersion)
        return slot < 0 ? .null : view.value(slot, as: plan.types[feature])
    }

    /// Appends the CSV text of requested feature `feature` straight from its slot when it is
    /// null (nothing) or a number that needs no quotes; false, with nothing appended, for the
    /// other values, which go through `value(_:)`. Most cells of a training set take this way.
    /// Inlined into the writer's loop, where the compiler then drops the retain and release of
    /// this row around every cell (a tenth of the output pass).
    @inline(__always)
    func appendUnquotedText(_ feature: Int, to buffer: inout OutputBuffer) -> Bool {
        guard let view else { return true }
        let slot = plan.slot(feature, inVersion: view.schemaVersion)
        guard slot >= 0, !view.isNull(slot) else { return true }
        switch plan.types[feature] {
        case .float64: return buffer.appendPlainDecimal(Double(bitPattern: view.fixed(slot, as: UInt64.self)))
        case .int64: buffer.appendDecimal(view.fixed(slot, as: Int64.self))
        case .int32: buffer.appendDecimal(Int64(view.fixed(slot, as: Int32.self)))
        default: return false
        }
        return true
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

    /// See `MatchedRow.appendUnquotedText`.
    func appendUnquotedText(_ column: Int, to buffer: inout OutputBuffer) -> Bool {
        let source = sources[column]
        guard source.view >= 0 else { return true }
        return matches[source.view].appendUnquotedText(source.feature, to: &buffer)
    }
}
