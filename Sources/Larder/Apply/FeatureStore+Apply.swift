import Foundation
import LMDBKit

/// How `apply` treats objects it would remove and changes that break stored rows.
public struct ApplyOptions: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Delete stored objects the definitions do not mention (otherwise they are kept).
    public static let deleteMissing = ApplyOptions(rawValue: 1)
    /// Apply changes that old rows cannot follow: removing or retyping a feature of a view with
    /// data, changing its entities, deleting it. `Docs/Definitions.md` says what happens to rows.
    public static let allowBreakingChanges = ApplyOptions(rawValue: 2)
}

/// What an `apply` or `delete` did.
public struct ApplyResult: Sendable, Equatable {
    public let plan: Plan
    /// The registry version after the call (unchanged when the plan was empty).
    public let registryVersion: UInt64
}

extension FeatureStore {
    /// What `apply(definitions, options:)` would change, without changing anything.
    public func plan(_ definitions: Definitions, options: ApplyOptions = []) throws -> Plan {
        try read { txn, registry, handles in
            let change = try RegistryChange(current: registry, applying: definitions, options: options)
            try checkCapacity(change.target)
            return change.plan(viewsWithData: try viewsWithData(registry) { id in
                try handles[id].map { try txn.statistics(of: $0.history).entries > 0 } ?? false
            })
        }
    }

    /// Commits `definitions` atomically: objects they add or change are written, the registry
    /// version goes up by one, and the databases of new views are created. Applying the same
    /// definitions again changes nothing. Stored objects the definitions do not mention are kept
    /// unless `options` contains `.deleteMissing`.
    ///
    /// Concurrent applies, from threads or processes, are serialized by LMDB's single writer and
    /// each one compares against the registry as the previous one left it: no update is lost.
    /// - Throws: ``LarderError/invalidDefinitions(_:)`` naming each problem;
    ///   ``LarderError/breakingChanges(_:)`` for changes to views holding data that their rows
    ///   cannot follow, unless `options` contains `.allowBreakingChanges`.
    @discardableResult
    public func apply(_ definitions: Definitions, options: ApplyOptions = []) throws -> ApplyResult {
        try commit(options: options) { current in
            try RegistryChange(current: current, applying: definitions, options: options)
        }
    }

    /// Deletes registry objects explicitly; a deleted view's stored rows go with it.
    /// - Throws: ``LarderError/invalidDefinitions(_:)`` if what remains refers to a deleted object
    ///   (a view using a deleted entity, a service naming a deleted view), or
    ///   ``LarderError/unknownObject(kind:name:)`` for an object that does not exist.
    @discardableResult
    public func delete(_ objects: [RegistryObject], options: ApplyOptions = []) throws -> ApplyResult {
        try commit(options: options.union(.allowBreakingChanges)) { current in
            try RegistryChange(current: current, deleting: objects)
        }
    }

    /// The most views a store holds: each takes two of the environment's named databases, and
    /// `meta`, `registry`, `snapshots` and `statistics` take four.
    public var maxViews: Int { Self.maxViews(databases: environment.options.maxDatabases) }

    /// The most views a store opened with the default options holds (510).
    public static var defaultMaxViews: Int { maxViews(databases: Environment.Options().maxDatabases) }

    private static func maxViews(databases: Int) -> Int { (databases - 4) / 2 }

    private func checkCapacity(_ target: Definitions) throws {
        if target.views.count > maxViews { throw LarderError.tooManyViews(count: target.views.count, limit: maxViews) }
    }

    private func commit(options: ApplyOptions, change: (Registry) throws -> RegistryChange) throws -> ApplyResult {
        try environment.write { txn in
            try PendingRun.checkNoneAlive(store: self, txn)
            let current = try registry(in: txn)
            let change = try change(current)
            try checkCapacity(change.target)
            var databases: [UInt32: ViewDatabases] = [:]
            for record in current.views.values.map(\.spec) {
                databases[record.id] = try self.databases(of: record, in: txn)
            }
            let plan = change.plan(viewsWithData: try viewsWithData(current) { id in
                try databases[id].map { try txn.statistics(of: $0.history).entries > 0 } ?? false
            })
            if !plan.breakingChanges.isEmpty, !options.contains(.allowBreakingChanges) {
                throw LarderError.breakingChanges(plan.breakingChanges)
            }
            guard !plan.isEmpty else { return ApplyResult(plan: plan, registryVersion: current.version) }

            guard current.version < .max else {
                throw LarderError.damagedStore(path: path, reason: "meta 'registry_version' is at its limit (\(current.version))")
            }
            let version = current.version + 1
            let writer = RegistryWriter(store: self, current: current, version: version,
                                        target: DefinitionsIndex(change.target), existingDatabases: databases)
            for change in plan.changes { try writer.write(change, txn) }
            try StoreMeta.writeUInt64(version, StoreMeta.registryVersionKey, in: meta, txn)
            return ApplyResult(plan: plan, registryVersion: version)
        }
    }

    private func viewsWithData(_ registry: Registry, hasRows: (UInt32) throws -> Bool) throws -> Set<String> {
        var names = Set<String>()
        for (name, stored) in registry.views where try hasRows(stored.spec.id) { names.insert(name) }
        return names
    }
}

/// The registry as it should be after an apply or delete, checked as a whole.
struct RegistryChange {
    let current: Registry
    let target: Definitions
    /// Objects the caller named, to tell "unchanged" from "kept but not mentioned".
    let mentioned: Set<RegistryObject>

    init(current: Registry, applying definitions: Definitions, options: ApplyOptions) throws {
        self.current = current
        let stored = options.contains(.deleteMissing) ? Definitions() : current.definitions
        // The caller's objects first, then stored ones of other names: duplicates the caller
        // wrote twice stay visible to validation instead of collapsing.
        let given = DefinitionsIndex(definitions)
        self.target = Definitions(
            entities: definitions.entities + stored.entities.filter { given.entities[$0.name] == nil },
            sources: definitions.sources + stored.sources.filter { given.sources[$0.name] == nil },
            views: definitions.views + stored.views.filter { given.views[$0.name] == nil },
            services: definitions.services + stored.services.filter { given.services[$0.name] == nil })
        self.mentioned = Set(
            definitions.entities.map { .entity($0.name) } + definitions.sources.map { .source($0.name) }
                + definitions.views.map { .view($0.name) } + definitions.services.map { .service($0.name) })
        try Self.validate(target)
    }

    init(current: Registry, deleting objects: [RegistryObject]) throws {
        self.current = current
        for object in objects where current.history(of: object) == nil {
            throw LarderError.unknownObject(kind: object.kind, name: object.name)
        }
        let removed = Set(objects)
        let stored = current.definitions
        self.target = Definitions(
            entities: stored.entities.filter { !removed.contains(.entity($0.name)) },
            sources: stored.sources.filter { !removed.contains(.source($0.name)) },
            views: stored.views.filter { !removed.contains(.view($0.name)) },
            services: stored.services.filter { !removed.contains(.service($0.name)) })
        self.mentioned = []
        try Self.validate(target)
    }

    private static func validate(_ definitions: Definitions) throws {
        do {
            try definitions.validate()
        } catch {
            throw LarderError.invalidDefinitions(error)
        }
    }

    func plan(viewsWithData: Set<String>) -> Plan {
        Planner(current: current, target: target, viewsWithData: viewsWithData).plan(mentioned: mentioned)
    }
}
