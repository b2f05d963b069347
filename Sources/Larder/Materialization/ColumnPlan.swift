/// Where each column a view needs is found in a source, resolved once per run from the header
/// and the source's column mapping.
struct ColumnPlan {
    let joinKeys: [(name: String, type: Entity.KeyType, column: Int)]
    let eventTime: (name: String, column: Int)
    let createdTime: (name: String, column: Int)?
    let features: [(field: Field, column: Int)]

    init(view: FeatureView, entities: [Entity], source: Source, columns: [String], sourceName: String) throws {
        var index: [String: Int] = [:]
        for (position, column) in columns.enumerated() {
            if let first = index[column] {
                throw SourceError(file: sourceName, line: 1, column: column,
                                  reason: "appears twice in the header (fields \(first + 1) and \(position + 1)); which one is meant?")
            }
            index[column] = position
        }
        for sourceColumn in source.columnMapping.keys.sorted() where index[sourceColumn] == nil {
            throw SourceError(file: sourceName, line: 1, column: sourceColumn,
                              reason: "unknown column in the mapping of source \(source.name); the header has: \(columns.joined(separator: ", "))")
        }
        // The source column for a view column: the one mapped onto it, else the same name.
        var mapped: [String: String] = [:]
        for (sourceColumn, viewColumn) in source.columnMapping { mapped[viewColumn] = sourceColumn }
        func locate(_ viewColumn: String) throws -> Int {
            let sourceColumn = mapped[viewColumn] ?? viewColumn
            guard let position = index[sourceColumn] else {
                throw SourceError(file: sourceName, line: 1, column: sourceColumn,
                                  reason: "missing from the header (view \(view.name) needs it); the header has: \(columns.joined(separator: ", "))")
            }
            return position
        }
        joinKeys = try entities.map { ($0.joinKey, $0.keyType, try locate($0.joinKey)) }
        eventTime = (view.timestampColumn, try locate(view.timestampColumn))
        createdTime = try view.createdTimestampColumn.map { ($0, try locate($0)) }
        features = try view.features.map { ($0, try locate($0.name)) }
    }
}
