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
        try readWithContext { txn, context, visible in
            let layout = try context.registry.layout(of: view)
            guard let databases = context.databases[layout.record.id], KeyEncoding.fits(entity) else { return nil }
            return try txn.withValue(for: KeyEncoding.encode(entity), in: databases.online) { bytes -> OnlineRow? in
                guard let record = OnlineRecord.visible(bytes, upTo: visible), let row = RowView(OnlineRecord.row(record)) else { return nil }
                let created = OnlineRecord.createdTime(record)
                return OnlineRow(
                    eventTime: Timestamp(microseconds: OnlineRecord.eventTime(record)),
                    createdTime: created == .min ? nil : Timestamp(microseconds: created),
                    snapshot: OnlineRecord.snapshot(record), values: layout.values(of: row))
            } ?? nil
        }
    }
}
