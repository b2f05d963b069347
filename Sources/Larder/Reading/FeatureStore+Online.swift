extension FeatureStore {
    /// The latest values of `references` for each entity row, with a status per value.
    ///
    /// Each entity row maps join keys to values (`["driver_id": 1001]`), as the entity rows of a
    /// training set do (other columns are ignored); views with several entities read their
    /// composite key from the same row. A key is an integer for an `int64` entity and a string
    /// for a `string` one. One B-tree lookup per view and row,
    /// all in one consistent session. With `options.asOf` or `options.asOfSnapshot` the values
    /// come from history instead. The view's ttl is applied unless `options.applyTTL` is off.
    /// - Throws: ``LarderError/unknownView(name:reference:known:)`` or
    ///   ``LarderError/unknownFeature(view:feature:reference:known:)`` for an unknown view or
    ///   feature, ``LarderError/missingJoinKey(row:joinKey:view:)`` for an entity row without a
    ///   join key a requested view needs (or a null one), ``LarderError/keyTypeMismatch(view:expected:found:)``
    ///   for a key of another type.
    public func onlineFeatures(_ references: [FeatureReference], for entities: [[String: FeatureValue]], options: OnlineOptions = OnlineOptions()) throws -> OnlineResponse {
        try withSession { session in
            let request = try resolvedRequest(for: references, fullNames: options.fullFeatureNames, in: session.context)
            return try session.onlineFeatures(request, for: entities, options: options)
        }
    }

    /// The latest values of a feature service's features; see ``onlineFeatures(_:for:options:)-(_,[[String:FeatureValue]],_)``.
    public func onlineFeatures(service: String, for entities: [[String: FeatureValue]], options: OnlineOptions = OnlineOptions()) throws -> OnlineResponse {
        try withSession { session in
            let references = try FeatureRequest.references(ofService: service, in: session.registry)
            let request = try resolvedRequest(for: references, fullNames: options.fullFeatureNames, in: session.context)
            return try session.onlineFeatures(request, for: entities, options: options)
        }
    }
}

extension ReadSession {
    func onlineFeatures(_ request: FeatureRequest, for entities: [[String: FeatureValue]], options: OnlineOptions) throws -> OnlineResponse {
        let width = request.names.count
        let notFound = OnlineFeatureValue(value: .null, status: .notFound, eventTime: nil)
        var results = [OnlineFeatureValue](repeating: notFound, count: width * entities.count)
        let now = options.asOf ?? options.now ?? .now
        let usesHistory = options.asOf != nil || options.asOfSnapshot != nil
        try requireSnapshot(options.asOfSnapshot)
        for (rowIndex, entity) in entities.enumerated() {
            for part in request.parts {
                func keyValue(_ joinKey: String) throws -> FeatureValue {
                    guard let value = entity[joinKey], value != .null else {
                        throw LarderError.missingJoinKey(row: rowIndex, joinKey: joinKey, view: part.view.name)
                    }
                    return value
                }
                func key(_ joinKey: String) throws -> EntityKeyValue {
                    let value = try keyValue(joinKey)
                    guard let key = EntityKeyValue(value) else {
                        throw LarderError.keyTypeMismatch(view: part.view.name, expected: part.view.plan.keyTypes.map(\.rawValue),
                                                          found: part.joinKeys.map { entity[$0].map { "\($0.type.map(String.init(describing:)) ?? "null") \($0)" } ?? "nothing" })
                    }
                    return key
                }
                func fill(_ row: FeatureRowView) {
                    let expired = options.applyTTL && row.isOutsideMaxAge(at: now)
                    for (index, column) in part.columns.enumerated() {
                        let value = expired ? .null : row.value(index)
                        let status: FeatureStatus = expired ? .outsideMaxAge : (value == .null ? .null : .present)
                        results[rowIndex * width + column] = OnlineFeatureValue(value: value, status: status, eventTime: row.eventTime)
                    }
                }
                if !usesHistory, part.joinKeys.count == 1, case .int64(let id) = try keyValue(part.joinKeys[0]),
                   part.view.plan.keyTypes.count == 1, part.view.plan.keyTypes[0] == .int64 {
                    _ = try withRow(part.view, key: id, fill)  // the common case: no key array, no allocation
                    continue
                }
                let key = try part.joinKeys.map(key)
                if usesHistory {
                    _ = try withHistoryRow(part.view, key: key, asOf: options.asOf, asOfSnapshot: options.asOfSnapshot, fill)
                } else {
                    _ = try withRow(part.view, key: key, fill)
                }
            }
        }
        return OnlineResponse(names: request.names, views: request.views, rowCount: entities.count, results: results)
    }
}
