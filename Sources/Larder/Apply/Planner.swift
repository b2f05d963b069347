/// Compares stored definitions with new ones, object by object and field by field.
struct Planner {
    let current: Registry
    /// The definitions being applied, already merged with what they leave untouched.
    let target: Definitions
    /// Views whose history holds rows, so changes that old rows cannot follow are breaking.
    let viewsWithData: Set<String>
    private let targetIndex: DefinitionsIndex

    init(current: Registry, target: Definitions, viewsWithData: Set<String>) {
        self.current = current
        self.target = target
        self.viewsWithData = viewsWithData
        self.targetIndex = DefinitionsIndex(target)
    }

    func plan(mentioned: Set<RegistryObject>) -> Plan {
        var plan = Plan()
        let targetObjects = Set(
            target.entities.map { RegistryObject.entity($0.name) } + target.sources.map { .source($0.name) }
                + target.views.map { .view($0.name) } + target.services.map { .service($0.name) })
        for object in Set(current.objects).union(targetObjects).sorted() {
            let inTarget = targetObjects.contains(object)
            let inCurrent = current.history(of: object) != nil
            if !inTarget {
                plan.changes.append(.removed(object))
                continue
            }
            guard inCurrent else {
                plan.changes.append(.added(object))
                continue
            }
            let details = differences(of: object)
            if !details.isEmpty {
                plan.changes.append(.changed(object, details: details))
            } else if mentioned.contains(object) {
                plan.unchanged.append(object)
            } else {
                plan.notInDefinitions.append(object)
            }
        }
        plan.breakingChanges = breakingChanges()
        return plan
    }

    private func differences(of object: RegistryObject) -> [String] {
        switch object {
        case .entity(let name):
            guard let old = current.entity(named: name), let new = targetIndex.entities[name] else { return [] }
            return Diff.entity(old, new)
        case .source(let name):
            guard let old = current.source(named: name), let new = targetIndex.sources[name] else { return [] }
            return Diff.source(old, new)
        case .view(let name):
            guard let record = current.views[name]?.spec, let new = targetIndex.views[name] else { return [] }
            var details = Diff.view(record.definition, new)
            let keyTypes = keyTypes(of: new)
            if keyTypes != record.keyTypes, record.definition.entities == new.entities {
                details.append("~ entity key types: \(record.keyTypes.map(\.rawValue).joined(separator: ", ")) -> \(keyTypes.map(\.rawValue).joined(separator: ", "))")
            }
            return details
        case .service(let name):
            guard let old = current.service(named: name), let new = targetIndex.services[name] else { return [] }
            return Diff.service(old, new)
        }
    }

    /// Changes to views holding data that their stored rows cannot follow.
    private func breakingChanges() -> [String] {
        var breaking: [String] = []
        for name in viewsWithData.sorted() {
            guard let record = current.views[name]?.spec, let new = targetIndex.views[name] else {
                if current.views[name] != nil, targetIndex.views[name] == nil {
                    breaking.append("view \(name) is deleted with its stored rows")
                }
                continue
            }
            let old = record.definition
            for field in old.features {
                guard let replacement = new.feature(named: field.name) else {
                    breaking.append("view \(name): feature \(field.name) is removed; its stored values become unreadable")
                    continue
                }
                if replacement.type != field.type {
                    breaking.append("view \(name): feature \(field.name) is retyped \(field.type) -> \(replacement.type); values stored before read as null")
                }
            }
            if keyTypes(of: new) != record.keyTypes || old.entities != new.entities {
                breaking.append("view \(name): its entity key changes (\(old.entities.joined(separator: ",")) -> \(new.entities.joined(separator: ","))); its stored rows are cleared")
            }
        }
        return breaking
    }

    func keyTypes(of view: FeatureView) -> [Entity.KeyType] {
        view.entities.compactMap { targetIndex.entities[$0]?.keyType }
    }
}

/// Field-level differences between two versions of one object, one printable line each.
enum Diff {
    static func entity(_ old: Entity, _ new: Entity) -> [String] {
        var lines: [String] = []
        change(&lines, "join key", old.joinKey, new.joinKey)
        change(&lines, "key type", old.keyType.rawValue, new.keyType.rawValue)
        change(&lines, "description", old.description, new.description)
        change(&lines, "tags", describe(old.tags), describe(new.tags))
        return lines
    }

    static func source(_ old: Source, _ new: Source) -> [String] {
        var lines: [String] = []
        change(&lines, "kind", describe(old.kind), describe(new.kind))
        change(&lines, "column mapping", describe(old.columnMapping), describe(new.columnMapping))
        change(&lines, "timestamp format", old.timestampFormat.description, new.timestampFormat.description)
        change(&lines, "description", old.description, new.description)
        return lines
    }

    static func view(_ old: FeatureView, _ new: FeatureView) -> [String] {
        var lines: [String] = []
        for field in new.features {
            guard let previous = old.feature(named: field.name) else {
                lines.append("+ feature \(field.name): \(field.type)")
                continue
            }
            if previous.type != field.type { lines.append("~ feature \(field.name): \(previous.type) -> \(field.type)") }
            if previous.description != field.description { lines.append("~ feature \(field.name) description") }
            if previous.tags != field.tags { lines.append("~ feature \(field.name) tags: \(describe(previous.tags)) -> \(describe(field.tags))") }
        }
        for field in old.features where new.feature(named: field.name) == nil {
            lines.append("- feature \(field.name): \(field.type)")
        }
        if old.features.map(\.name) != new.features.map(\.name), lines.isEmpty { lines.append("~ feature order") }
        change(&lines, "entities", old.entities.joined(separator: ", "), new.entities.joined(separator: ", "))
        change(&lines, "source", old.source, new.source)
        change(&lines, "timestamp column", old.timestampColumn, new.timestampColumn)
        change(&lines, "created timestamp column", old.createdTimestampColumn ?? "none", new.createdTimestampColumn ?? "none")
        change(&lines, "ttl", formatDuration(old.ttl), formatDuration(new.ttl))
        change(&lines, "online", String(old.online), String(new.online))
        change(&lines, "owner", old.owner, new.owner)
        change(&lines, "description", old.description, new.description)
        change(&lines, "tags", describe(old.tags), describe(new.tags))
        change(&lines, "monitoring", describe(old.monitoring), describe(new.monitoring))
        return lines
    }

    /// `psi 0.2; conv_rate: wasserstein 0.3`, or `standard thresholds`.
    private static func describe(_ monitoring: Monitoring?) -> String {
        guard let monitoring else { return "standard thresholds" }
        var parts = monitoring.thresholds.description.isEmpty ? [] : [monitoring.thresholds.description]
        parts += monitoring.features.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        return parts.joined(separator: "; ")
    }

    static func service(_ old: FeatureService, _ new: FeatureService) -> [String] {
        var lines: [String] = []
        for reference in new.features where !old.features.contains(reference) { lines.append("+ \(reference)") }
        for reference in old.features where !new.features.contains(reference) { lines.append("- \(reference)") }
        change(&lines, "description", old.description, new.description)
        change(&lines, "tags", describe(old.tags), describe(new.tags))
        return lines
    }

    private static func change(_ lines: inout [String], _ what: String, _ old: String, _ new: String) {
        if old != new { lines.append("~ \(what): \(old.isEmpty ? "\"\"" : old) -> \(new.isEmpty ? "\"\"" : new)") }
    }

    private static func describe(_ map: [String: String]) -> String {
        "{" + map.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
    }

    private static func describe(_ kind: Source.Kind) -> String {
        switch kind {
        case .csv(let path, let delimiter): "csv \(path) (delimiter \(delimiter))"
        case .jsonLines(let path): "jsonl \(path)"
        case .parquet(let path): "parquet \(path)"
        case .push: "push"
        }
    }
}
