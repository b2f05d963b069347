/// One stored row, read in place: typed accessors by the index of a feature in the
/// ``PreparedView``'s `features`.
///
/// - Warning: Lent to a closure; it points into the memory map and must not escape it.
public struct FeatureRowView {
    /// When the row's values were observed.
    public let eventTime: Timestamp
    /// `nil` when the source had no created time for the row.
    public let createdTime: Timestamp?
    /// The snapshot that wrote the row.
    public let snapshot: UInt64
    @usableFromInline let row: RowView
    /// Kept alive by the ``PreparedView`` the caller passed for the whole lookup.
    @usableFromInline unowned(unsafe) let plan: PreparedViewPlan

    @inlinable init(eventTime: Int64, createdTime: Int64, snapshot: UInt64, row: RowView, plan: PreparedViewPlan) {
        self.eventTime = Timestamp(microseconds: eventTime)
        self.createdTime = createdTime == .min ? nil : Timestamp(microseconds: createdTime)
        self.snapshot = snapshot
        self.row = row
        self.plan = plan
    }

    /// The slot of feature `index` if it holds a value of `type`; nil when null, absent, of
    /// another type, or out of range.
    @inlinable
    func slot(_ index: Int, _ type: ValueType) -> Int? {
        guard index >= 0, index < plan.count, plan.types[index] == type else { return nil }
        let slot = plan.slot(index, inVersion: row.schemaVersion)
        return slot < 0 || row.isNull(slot) ? nil : slot
    }

    @inlinable public func isNull(_ index: Int) -> Bool {
        guard index >= 0, index < plan.count else { return true }
        let slot = plan.slot(index, inVersion: row.schemaVersion)
        return slot < 0 || row.isNull(slot)
    }

    @inlinable public func float64(_ index: Int) -> Double? { slot(index, .float64).map { Double(bitPattern: row.fixed($0, as: UInt64.self)) } }
    @inlinable public func float32(_ index: Int) -> Float? { slot(index, .float32).map { Float(bitPattern: row.fixed($0, as: UInt32.self)) } }
    @inlinable public func int64(_ index: Int) -> Int64? { slot(index, .int64).map { row.fixed($0, as: Int64.self) } }
    @inlinable public func int32(_ index: Int) -> Int32? { slot(index, .int32).map { row.fixed($0, as: Int32.self) } }
    @inlinable public func bool(_ index: Int) -> Bool? { slot(index, .bool).map { row.fixed($0, as: UInt8.self) != 0 } }
    @inlinable public func timestamp(_ index: Int) -> Timestamp? { slot(index, .timestamp).map { Timestamp(microseconds: row.fixed($0, as: Int64.self)) } }

    /// Lends the UTF-8 bytes of a string feature (or the raw bytes of a bytes feature) without
    /// copying; `nil` when null. The bytes must not escape `body`.
    public func withBytes<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        guard index >= 0, index < plan.count else { return nil }
        let type = plan.types[index]
        guard type == .string || type == .bytes, let slot = slot(index, type) else { return nil }
        return try body(row.variable(slot))
    }

    /// Feature `index` as a value (copies strings, bytes and lists).
    public func value(_ index: Int) -> FeatureValue {
        guard index >= 0, index < plan.count else { return .null }
        let slot = plan.slot(index, inVersion: row.schemaVersion)
        return slot < 0 ? .null : row.value(slot, as: plan.types[index])
    }

    /// Whether the row is older than the view's ttl at `time` (always false without a ttl).
    @inlinable public func isOutsideMaxAge(at time: Timestamp) -> Bool {
        // A cutoff before the beginning of time (a far-past `time`) leaves every row inside.
        let (cutoff, overflow) = time.microseconds.subtractingReportingOverflow(plan.ttl)
        return plan.ttl > 0 && !overflow && eventTime.microseconds < cutoff
    }
}
