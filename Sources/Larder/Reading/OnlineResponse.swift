/// One feature of one entity row, as an online lookup found it.
public struct OnlineFeatureValue: Hashable, Sendable {
    /// The value; `.null` unless the status is `present`.
    public let value: FeatureValue
    public let status: FeatureStatus
    /// The event time of the row the value came from (`nil` when not found).
    public let eventTime: Timestamp?
}

/// The result of ``FeatureStore/onlineFeatures(_:for:options:)-(_,[[String:FeatureValue]],_)``: one row per entity row, one
/// column per requested feature, in request order.
public struct OnlineResponse: Sendable {
    /// Column names: `feature`, or `view__feature` with full feature names.
    public let names: [String]
    /// The view each column comes from.
    public let views: [String]
    public let rowCount: Int
    /// Row-major: row `r`, column `c` is at `r * names.count + c`. Never written after it is
    /// made, so sharing it across threads is safe (`ManagedBuffer` cannot say so itself).
    nonisolated(unsafe) let cells: OnlineCells

    public subscript(row: Int, column: Int) -> OnlineFeatureValue {
        precondition(row >= 0 && row < rowCount && column >= 0 && column < names.count, "cell (\(row), \(column)) is outside the response")
        return cells[row * names.count + column]
    }

    /// The value of the feature named `name` in `row`, or `nil` if no column has that name.
    public subscript(row: Int, name: String) -> OnlineFeatureValue? {
        names.firstIndex(of: name).map { self[row, $0] }
    }

    /// Every column of `row`.
    public func row(_ row: Int) -> [OnlineFeatureValue] {
        (0..<names.count).map { self[row, $0] }
    }
}

/// The cells of an online response, allocated in one block with the object that owns them.
///
/// Not an array: every lookup makes one, and a `[OnlineFeatureValue]` costs a generic metadata
/// lookup to allocate and a per-element destroy to free. Cells of numbers, booleans, times and
/// nulls hold no references, so when no requested feature is a string, bytes or a list the
/// cells are freed without visiting them.
final class OnlineCells: ManagedBuffer<OnlineCells.Header, OnlineFeatureValue> {
    struct Header {
        let count: Int
        let holdsReferences: Bool
    }

    /// `count` cells, every one initialized by `initialize` (also when it throws).
    static func make(count: Int, holdsReferences: Bool, _ initialize: (UnsafeMutablePointer<OnlineFeatureValue>) throws -> Void) rethrows -> OnlineCells {
        let cells = unsafeDowncast(create(minimumCapacity: count) { _ in Header(count: count, holdsReferences: holdsReferences) }, to: OnlineCells.self)
        try cells.withUnsafeMutablePointerToElements { try initialize($0) }
        return cells
    }

    subscript(index: Int) -> OnlineFeatureValue {
        withUnsafeMutablePointerToElements { $0[index] }
    }

    deinit {
        withUnsafeMutablePointers { header, elements in
            if header.pointee.holdsReferences { _ = elements.deinitialize(count: header.pointee.count) }
        }
    }
}

/// Options of an online lookup.
public struct OnlineOptions: Sendable {
    /// Name columns `view__feature` instead of `feature`.
    public var fullFeatureNames = false
    /// Look up the row current at this time in history, instead of the latest.
    public var asOf: Timestamp?
    /// Only see rows written by snapshots up to this one (as `HistoricalOptions.asOfSnapshot`).
    public var asOfSnapshot: UInt64?
    /// Report rows older than the view's ttl as `outsideMaxAge` (from `asOf`, else now).
    public var applyTTL = true
    /// The "now" the ttl is measured from when there is no `asOf`; the time of the call if nil.
    public var now: Timestamp?

    public init(fullFeatureNames: Bool = false, asOf: Timestamp? = nil, asOfSnapshot: UInt64? = nil, applyTTL: Bool = true, now: Timestamp? = nil) {
        self.fullFeatureNames = fullFeatureNames
        self.asOf = asOf
        self.asOfSnapshot = asOfSnapshot
        self.applyTTL = applyTTL
        self.now = now
    }

    @available(*, deprecated, renamed: "asOfSnapshot")
    public var atSnapshot: UInt64? {
        get { asOfSnapshot }
        set { asOfSnapshot = newValue }
    }

    @available(*, deprecated, renamed: "init(fullFeatureNames:asOf:asOfSnapshot:applyTTL:now:)")
    public init(fullFeatureNames: Bool = false, asOf: Timestamp? = nil, atSnapshot: UInt64?, applyTTL: Bool = true, now: Timestamp? = nil) {
        self.init(fullFeatureNames: fullFeatureNames, asOf: asOf, asOfSnapshot: atSnapshot, applyTTL: applyTTL, now: now)
    }
}
