/// One stored row, read in place: typed accessors by the index of a feature in the
/// ``OnlineView``'s `features`.
///
/// - Warning: Lent to a closure; it points into the memory map and must not escape it.
public struct OnlineRowView {
    /// When the row's values were observed.
    public let eventTime: Timestamp
    /// `nil` when the source had no created time for the row.
    public let createdTime: Timestamp?
    /// The snapshot that wrote the row.
    public let snapshot: UInt64
    let row: RowView
    let view: OnlineView

    init(eventTime: Int64, createdTime: Int64, snapshot: UInt64, row: RowView, view: OnlineView) {
        self.eventTime = Timestamp(microseconds: eventTime)
        self.createdTime = createdTime == .min ? nil : Timestamp(microseconds: createdTime)
        self.snapshot = snapshot
        self.row = row
        self.view = view
    }

    /// The slot of feature `index` if it holds a value of `type`; nil when null or absent.
    @inline(__always)
    private func slot(_ index: Int, _ type: ValueType) -> Int? {
        guard view.features[index].type == type else { return nil }
        let slot = view.slot(index, inVersion: row.schemaVersion)
        return slot < 0 || row.isNull(slot) ? nil : slot
    }

    public func isNull(_ index: Int) -> Bool {
        let slot = view.slot(index, inVersion: row.schemaVersion)
        return slot < 0 || row.isNull(slot)
    }

    public func float64(_ index: Int) -> Double? { slot(index, .float64).map { Double(bitPattern: row.fixed($0, as: UInt64.self)) } }
    public func float32(_ index: Int) -> Float? { slot(index, .float32).map { Float(bitPattern: row.fixed($0, as: UInt32.self)) } }
    public func int64(_ index: Int) -> Int64? { slot(index, .int64).map { row.fixed($0, as: Int64.self) } }
    public func int32(_ index: Int) -> Int32? { slot(index, .int32).map { row.fixed($0, as: Int32.self) } }
    public func bool(_ index: Int) -> Bool? { slot(index, .bool).map { row.fixed($0, as: UInt8.self) != 0 } }
    public func timestamp(_ index: Int) -> Timestamp? { slot(index, .timestamp).map { Timestamp(microseconds: row.fixed($0, as: Int64.self)) } }

    /// Lends the UTF-8 bytes of a string feature (or the raw bytes of a bytes feature) without
    /// copying; `nil` when null. The bytes must not escape `body`.
    public func withBytes<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        let type = view.features[index].type
        guard type == .string || type == .bytes, let slot = slot(index, type) else { return nil }
        return try body(row.variable(slot))
    }

    /// Feature `index` as a value (copies strings, bytes and lists).
    public func value(_ index: Int) -> FeatureValue {
        let slot = view.slot(index, inVersion: row.schemaVersion)
        return slot < 0 ? .null : row.value(slot, as: view.features[index].type)
    }

    /// Whether the row is older than the view's ttl at `time` (always false without a ttl).
    public func isOutsideMaxAge(at time: Timestamp) -> Bool {
        view.ttl > 0 && eventTime.microseconds < time.microseconds - view.ttl
    }
}
