extension FeatureStore {
    /// A point-in-time correct training set in memory: every entity row, in input order, with
    /// its own columns and one column per feature, valued as of the row's timestamp.
    ///
    /// For each row (keys, time `t`) and view: the history row with the largest event time
    /// `e <= t` — ties go to the larger created time, then the later snapshot — if the view has
    /// no ttl or `e >= t - ttl`; otherwise null. Rows are never dropped or merged: duplicates
    /// come back as duplicates, rows with no data come back with nulls.
    public func historicalFeatures(entities: EntityRows, features: FeatureSelection, options: HistoricalOptions = HistoricalOptions()) throws -> HistoricalTable {
        var rows: [[FeatureValue]] = []
        let columns = try join(entities: entities, features: features, options: options) { _ in
            { row, values in rows.append(row.cells + values.values) }
        }.columns.all
        return HistoricalTable(columns: columns, rows: rows)
    }

    /// The same training set streamed to a file — CSV, JSON Lines, Parquet or an Arrow IPC file
    /// (see ``HistoricalOutputFormat`` for the columns' types) — with bounded memory. The file
    /// appears at `path` only once complete, written beside it as `path.partial` and renamed into
    /// place; `-` streams to standard output instead.
    /// - Throws: ``OutputFileError`` before any work when `path` is a directory, a device, a
    ///   symbolic link or anything else but a regular file, or when `path.partial` exists.
    @discardableResult
    public func writeHistoricalFeatures(
        entities: EntityRows, features: FeatureSelection, to path: String,
        format: HistoricalOutputFormat = .csv, options: HistoricalOptions = HistoricalOptions()
    ) throws -> HistoricalSummary {
        var writer: TrainingSetWriter?
        try OutputFile.checkDestination(path, inputs: entities.files, store: self.path)
        if options.discardsRows {
            var rows = 0
            let spilled = try join(entities: entities, features: features, options: options) { _ in { _, _ in rows += 1 } }.spilledRuns
            return HistoricalSummary(path: path, rows: rows, spilledRuns: spilled)
        }
        do {
            var statistics: [FeatureStatistics] = []
            let (columns, spilled) = try join(entities: entities, features: features, options: options) { columns in
                let file = try TrainingSetWriter(path: path, format: format, columns: columns, input: entities, options: options)
                writer = file
                guard options.computesStatistics else { return file.write }
                statistics = Array(repeating: FeatureStatistics(), count: columns.features.count)
                return { row, features in
                    try file.write(row, features)
                    for column in 0..<features.count { statistics[column].add(features.value(column)) }
                }
            }
            try writer?.finish()
            var summary = HistoricalSummary(path: path, rows: writer?.rows ?? 0, spilledRuns: spilled)
            if options.computesStatistics {
                var byView: [String: [String: FeatureStatistics]] = [:]
                for (column, statistics) in statistics.enumerated() {
                    byView[columns.featureViews[column], default: [:]][columns.featureFields[column]] = statistics
                }
                summary.statistics = byView
            }
            return summary
        } catch {
            writer?.discard()
            throw error
        }
    }

    /// A training set without entity rows: every entity and event time in the requested
    /// views' history in `[start, end)` (as of ``HistoricalOptions/asOfSnapshot``) becomes an
    /// entity row — each pair once, in key order, with the views' join keys and a timestamp
    /// column named ``HistoricalOptions/timestampColumn`` — valued point in time like any other.
    /// The views must share their entities.
    @discardableResult
    public func writeHistoricalFeatures(
        features: FeatureSelection, from start: Timestamp, to end: Timestamp, to path: String,
        format: HistoricalOutputFormat = .csv, options: HistoricalOptions = HistoricalOptions()
    ) throws -> HistoricalSummary {
        try OutputFile.checkDestination(path, store: self.path)
        return try HistoryEntityRows(store: self, views: try viewNames(features), start: start, end: end, options: options).withRows { rows in
            try writeHistoricalFeatures(entities: rows, features: features, to: path, format: format, options: options.readingTimesAsStored)
        }
    }

    /// The same in memory; see ``writeHistoricalFeatures(features:from:to:to:format:options:)``.
    public func historicalFeatures(features: FeatureSelection, from start: Timestamp, to end: Timestamp,
                                   options: HistoricalOptions = HistoricalOptions()) throws -> HistoricalTable {
        try HistoryEntityRows(store: self, views: try viewNames(features), start: start, end: end, options: options).withRows { rows in
            try historicalFeatures(entities: rows, features: features, options: options.readingTimesAsStored)
        }
    }

    /// The views a selection reads, in order.
    private func viewNames(_ features: FeatureSelection) throws -> [String] {
        let references: [FeatureReference]
        switch features {
        case .references(let list): references = list
        case .service(let name): references = try FeatureRequest.references(ofService: name, in: try registry)
        }
        var views: [String] = []
        for reference in references where !views.contains(reference.view) { views.append(reference.view) }
        return views
    }

    /// Runs the join, handing each output row to the sink `makeSink` returns once it knows the
    /// output's columns.
    private func join(
        entities: EntityRows, features: FeatureSelection, options: HistoricalOptions,
        makeSink: (TrainingSetColumns) throws -> (EntityRow, JoinedFeatures) throws -> Void
    ) throws -> (columns: TrainingSetColumns, spilledRuns: Int) {
        let inputColumns = try entities.columns()
        return try withSession { session in
            try session.requireSnapshot(options.asOfSnapshot)
            let references: [FeatureReference]
            switch features {
            case .references(let list): references = list
            case .service(let name): references = try FeatureRequest.references(ofService: name, in: session.registry)
            }
            let request = try FeatureRequest(references, fullNames: options.fullFeatureNames, registry: session.registry, databases: session.databases)
            var keyTypes: [String: Entity.KeyType] = [:]
            for part in request.parts {
                for (joinKey, type) in zip(part.joinKeys, part.view.plan.keyTypes) where keyTypes[joinKey] == nil { keyTypes[joinKey] = type }
            }
            let columns = TrainingSetColumns(input: inputColumns, inputKeyTypes: inputColumns.map { keyTypes[$0] },
                                             features: request.names, featureTypes: request.types,
                                             featureViews: request.views, featureFields: request.fields)
            let sink = try makeSink(columns)
            let join = HistoricalJoin(environment: environment, request: request, input: entities, columns: inputColumns, options: options)
            return (columns, try join.run(session, emit: sink))
        }
    }
}

/// A training set's columns: the entity rows' own, then the features', with their types.
struct TrainingSetColumns {
    let input: [String]
    /// The key type of each input column that is a requested view's join key (nil for the rest).
    let inputKeyTypes: [Entity.KeyType?]
    let features: [String]
    let featureTypes: [ValueType]
    /// The view and the feature's own name (not the column's, which may be `view__feature`) of each feature column.
    let featureViews: [String]
    let featureFields: [String]

    var all: [String] { input + features }
}
