import LMDBKit

/// The online row of one entity in one view, decoded.
public struct OnlineRow: Hashable, Sendable {
    public let eventTime: Timestamp
    public let createdTime: Timestamp?
    /// The snapshot that wrote it.
    public let snapshot: UInt64
    /// One value per feature of the view's current schema.
    public let values: [FeatureValue]
}

extension FeatureStore {
    /// The latest row of `entity` in `view`'s online table, or `nil` when there is none.
    public func onlineRow(of view: String, entity: [EntityKeyValue]) throws -> OnlineRow? {
        try read { txn, registry, handles in
            let layout = try registry.layout(of: view)
            guard let databases = handles[layout.record.id] else { return nil }
            return try txn.withValue(for: KeyEncoding.encode(entity), in: databases.online) { bytes -> OnlineRow? in
                guard bytes.count >= OnlineRecord.headerLength, let row = RowView(OnlineRecord.row(bytes)) else { return nil }
                let created = OnlineRecord.createdTime(bytes)
                return OnlineRow(
                    eventTime: Timestamp(microseconds: OnlineRecord.eventTime(bytes)),
                    createdTime: created == .min ? nil : Timestamp(microseconds: created),
                    snapshot: OnlineRecord.snapshot(bytes), values: layout.values(of: row))
            } ?? nil
        }
    }
}
