/// One row of a view's history, decoded.
public struct HistoryRow: Hashable, Sendable {
    /// Join-key values in the view's entity order.
    public let entity: [EntityKeyValue]
    public let eventTime: Timestamp
    /// `nil` when the source had no created time for the row.
    public let createdTime: Timestamp?
    /// The snapshot that wrote the row.
    public let snapshot: UInt64
    /// One value per feature of the view's current schema, in its order.
    public let values: [FeatureValue]
}

extension ViewLayout {
    /// Decodes every current feature of a stored row, whatever schema version wrote it.
    func values(of row: RowView) -> [FeatureValue] {
        let version = row.schemaVersion
        return features.indices.map { index in
            guard let slot = slot(ofFeature: index, inVersion: version) else { return .null }
            return row.value(slot, as: features[index].type)
        }
    }
}
