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
        try requireSnapshot(options.asOfSnapshot)
        let lookup = OnlineLookup(request: request, options: options)
        let width = request.names.count
        let cells = try OnlineCells.make(count: width * entities.count, holdsReferences: request.holdsReferences) { cells in
            // Each cell is initialized once, where its value is found; on an error the rest are
            // filled as not found, so that every cell is initialized when the cells are freed.
            var row = 0, part = 0
            do {
                while row < entities.count {
                    part = 0
                    while part < request.parts.count {
                        try lookup.read(request.parts[part], of: entities[row], row: row, in: self, into: cells + row * width)
                        part += 1
                    }
                    row += 1
                }
            } catch {
                for unread in request.parts[part...] { lookup.fillNotFound(unread, into: cells + row * width) }
                for rest in row + 1..<max(row + 1, entities.count) {
                    for unread in request.parts { lookup.fillNotFound(unread, into: cells + rest * width) }
                }
                throw error
            }
        }
        return OnlineResponse(names: request.names, views: request.views, rowCount: entities.count, cells: cells)
    }
}

/// One online request's lookups: the options resolved once, then one call per view and entity row.
private struct OnlineLookup {
    let usesHistory: Bool
    let options: OnlineOptions
    /// The time the ttl is measured from; read from the clock only when some view has a ttl.
    let now: Timestamp

    init(request: FeatureRequest, options: OnlineOptions) {
        self.options = options
        usesHistory = options.asOf != nil || options.asOfSnapshot != nil
        let needsClock = options.applyTTL && options.asOf == nil && options.now == nil && request.hasTTL
        now = options.asOf ?? options.now ?? (needsClock ? .now : Timestamp(microseconds: 0))
    }

    /// Reads `part`'s features for the entity row `entity` into `slots` (that row's columns,
    /// uninitialized).
    func read(_ part: FeatureRequest.ViewPart, of entity: [String: FeatureValue], row: Int, in session: borrowing ReadSession,
              into slots: UnsafeMutablePointer<OnlineFeatureValue>) throws {
        func keyValue(_ joinKey: String) throws -> FeatureValue {
            guard let value = Self.value(of: joinKey, in: entity), !value.isNull else {
                throw LarderError.missingJoinKey(row: row, joinKey: joinKey, view: part.view.name)
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
        let columns = part.columns, applyTTL = options.applyTTL, now = now
        func fill(_ found: FeatureRowView) {
            let expired = applyTTL && found.isOutsideMaxAge(at: now)
            columns.withUnsafeBufferPointer { columns in
                for (index, column) in columns.enumerated() {
                    let value = expired ? .null : found.value(index)
                    let status: FeatureStatus = expired ? .outsideMaxAge : (value.isNull ? .null : .present)
                    (slots + column).initialize(to: OnlineFeatureValue(value: value, status: status, eventTime: found.eventTime))
                }
            }
        }
        let found: Void?
        if !usesHistory, part.joinKeys.count == 1, part.view.plan.keyTypes.count == 1, part.view.plan.keyTypes[0] == .int64,
           case .int64(let id) = try keyValue(part.joinKeys[0]) {
            found = try session.withRow(part.view, key: id, fill)  // the common case: no key array, no allocation
        } else if usesHistory {
            found = try session.withHistoryRow(part.view, key: try part.joinKeys.map(key), asOf: options.asOf, asOfSnapshot: options.asOfSnapshot, fill)
        } else {
            found = try session.withRow(part.view, key: try part.joinKeys.map(key), fill)
        }
        if found == nil { fillNotFound(part, into: slots) }
    }

    func fillNotFound(_ part: FeatureRequest.ViewPart, into slots: UnsafeMutablePointer<OnlineFeatureValue>) {
        for column in part.columns {
            (slots + column).initialize(to: OnlineFeatureValue(value: .null, status: .notFound, eventTime: nil))
        }
    }

    /// `entity[joinKey]`, found by comparing keys when the row has few: an entity row usually
    /// holds one or two join keys, and comparing short strings costs less than hashing one.
    static func value(of joinKey: String, in entity: [String: FeatureValue]) -> FeatureValue? {
        guard entity.count <= 4 else { return entity[joinKey] }
        for (name, value) in entity where name == joinKey { return value }
        return nil
    }
}
