extension Definitions {
    /// Checks the definitions on their own (the registry checks them against stored data).
    ///
    /// Reports every problem at once, so a person fixes a file in one pass.
    /// - Throws: ``DefinitionError`` listing each problem with the object it concerns.
    public func validate() throws(DefinitionError) {
        var problems = Problems()

        for entity in entities {
            let object = "entity \(entity.name)"
            problems.checkIdentifier(entity.name, object: object, what: "name")
            problems.checkIdentifier(entity.joinKey, object: object, what: "join key")
        }
        problems.checkUnique(entities.map(\.name), kind: "entity")
        problems.checkUnique(sources.map(\.name), kind: "source")
        problems.checkUnique(views.map(\.name), kind: "view")
        problems.checkUnique(services.map(\.name), kind: "service")

        for source in sources {
            problems.checkIdentifier(source.name, object: "source \(source.name)", what: "name")
            if case .csv(_, let delimiter) = source.kind {
                if delimiter == "\"" || delimiter.isNewline {
                    problems.add("source \(source.name)", "the delimiter cannot be a quote or a line break")
                } else if !delimiter.isASCII || delimiter.utf8.count != 1 {
                    problems.add("source \(source.name)", "the delimiter '\(delimiter)' is not one ASCII character (a CSV delimiter is one byte)")
                }
            }
            // Two source columns feeding one view column: which one wins would be an accident.
            let targets = Dictionary(grouping: source.columnMapping, by: \.value)
            for (target, sourceColumns) in targets.sorted(by: { $0.key < $1.key }) where sourceColumns.count > 1 {
                problems.add("source \(source.name)", "maps \(sourceColumns.map { "'\($0.key)'" }.sorted().joined(separator: " and ")) to the same column '\(target)'")
            }
        }
        let index = DefinitionsIndex(self)
        for view in views { validate(view, index: index, into: &problems) }
        for service in services { validate(service, index: index, into: &problems) }

        if !problems.list.isEmpty { throw DefinitionError(problems: problems.list) }
    }

    private func validate(_ view: FeatureView, index: DefinitionsIndex, into problems: inout Problems) {
        let object = "view \(view.name)"
        problems.checkIdentifier(view.name, object: object, what: "name")
        if view.features.isEmpty { problems.add(object, "has no features") }
        for field in view.features { problems.checkIdentifier(field.name, object: object, what: "feature name") }
        problems.checkUnique(view.features.map(\.name), kind: "feature", in: object)
        if view.ttl < .zero { problems.add(object, "ttl \(view.ttl) is negative; use 0 for no limit") }
        if view.ttl.exactMicroseconds == nil { problems.add(object, "ttl \(view.ttl) is too large (at most 106751991d, about 292,000 years)") }

        var joinKeys: [String] = []
        for name in view.entities {
            guard let entity = index.entities[name] else {
                problems.add(object, "unknown entity '\(name)'\(Self.known(entities.map(\.name)))")
                continue
            }
            if joinKeys.contains(entity.joinKey) {
                problems.add(object, "two entities share the join key '\(entity.joinKey)'")
            }
            joinKeys.append(entity.joinKey)
            if view.feature(named: entity.joinKey) != nil {
                problems.add(object, "join key '\(entity.joinKey)' of entity \(entity.name) is also declared as a feature")
            }
        }
        problems.checkUnique(view.entities, kind: "entity", in: object)
        if let monitoring = view.monitoring {
            let featureNames = view.features.map(\.name)
            for name in monitoring.features.keys.sorted() where view.feature(named: name) == nil {
                problems.add(object, "monitoring names unknown feature '\(name)'\(Self.known(featureNames))")
            }
            for (name, thresholds) in [("the view", monitoring.thresholds)] + monitoring.features.sorted(by: { $0.key < $1.key }).map({ ("feature \($0.key)", $0.value) }) {
                for threshold in [thresholds.psi, thresholds.jensenShannon, thresholds.wasserstein].compactMap({ $0 }) where !(threshold > 0 && threshold.isFinite) {
                    problems.add(object, "monitoring: a drift threshold of \(name) is \(threshold); thresholds are numbers above 0")
                }
            }
        }

        let timestampColumns = [view.timestampColumn] + (view.createdTimestampColumn.map { [$0] } ?? [])
        for column in timestampColumns {
            problems.checkIdentifier(column, object: object, what: "timestamp column")
            if view.feature(named: column) != nil || joinKeys.contains(column) {
                problems.add(object, "timestamp column '\(column)' is also a feature or join key")
            }
        }
        if view.createdTimestampColumn == view.timestampColumn {
            problems.add(object, "the created-timestamp column must differ from the event-timestamp column")
        }

        guard let source = index.sources[view.source] else {
            problems.add(object, "unknown source '\(view.source)'\(Self.known(sources.map(\.name)))")
            return
        }
        let viewColumns = Set(joinKeys + view.features.map(\.name) + timestampColumns)
        for (sourceColumn, target) in source.columnMapping.sorted(by: { $0.key < $1.key }) where !viewColumns.contains(target) {
            problems.add(object, "source \(source.name) maps column '\(sourceColumn)' to '\(target)', which the view does not have")
        }
        // The event time must come from somewhere: if the mapping renames the source's column of
        // that name to something else, no column is left to read it from.
        if let renamed = source.columnMapping[view.timestampColumn], renamed != view.timestampColumn,
           !source.columnMapping.values.contains(view.timestampColumn) {
            problems.add(object, "timestamp column '\(view.timestampColumn)' is missing from source \(source.name)'s mapping (it renames that column to '\(renamed)')")
        }
    }

    private func validate(_ service: FeatureService, index: DefinitionsIndex, into problems: inout Problems) {
        let object = "service \(service.name)"
        problems.checkIdentifier(service.name, object: object, what: "name")
        if service.features.isEmpty { problems.add(object, "names no features") }
        for reference in service.features {
            guard let view = index.views[reference.view] else {
                problems.add(object, "unknown view '\(reference.view)' in '\(reference)'\(Self.known(views.map(\.name)))")
                continue
            }
            if let feature = reference.feature, view.feature(named: feature) == nil {
                problems.add(object, "view \(view.name) has no feature '\(feature)'\(Self.known(view.features.map(\.name)))")
            }
        }
    }

    static func known(_ names: [String]) -> String {
        names.isEmpty ? " (none is defined)" : " (known: \(names.sorted().joined(separator: ", ")))"
    }
}

/// Collects problems in the order they are found.
struct Problems {
    private(set) var list: [DefinitionError.Problem] = []

    mutating func add(_ object: String, _ message: String) {
        list.append(DefinitionError.Problem(object: object, message: message))
    }

    /// Names become LMDB database names, file columns and output columns: keep them plain.
    mutating func checkIdentifier(_ name: String, object: String, what: String) {
        if !Identifier.isValid(name) {
            add(object, "\(what) '\(name)' is not an identifier (letters, digits and _, not starting with a digit, at most \(Identifier.maxLength) characters)")
        }
    }

    mutating func checkUnique(_ names: [String], kind: String, in object: String? = nil) {
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            add(object ?? "\(kind) \(name)", object == nil ? "defined more than once" : "\(kind) '\(name)' appears more than once")
        }
    }
}

enum Identifier {
    static let maxLength = 128

    static func isValid(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= maxLength else { return false }
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") || byte == UInt8(ascii: "_") }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        return isLetter(first) && name.utf8.allSatisfy { isLetter($0) || isDigit($0) }
    }
}
