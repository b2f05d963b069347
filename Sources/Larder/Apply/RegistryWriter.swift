import Foundation
import LMDBKit

/// Writes one applied plan into the registry database, inside the apply's write transaction.
struct RegistryWriter {
    let store: FeatureStore
    let current: Registry
    let version: UInt64
    let target: DefinitionsIndex
    let existingDatabases: [UInt32: ViewDatabases]
    let now = Timestamp.now.microseconds

    func write(_ change: Plan.Change, _ txn: borrowing WriteTransaction) throws {
        let object = change.object
        if case .removed = change {
            if case .view(let name) = object, let record = current.views[name]?.spec, let databases = existingDatabases[record.id] {
                // Emptied, not dropped: dropping closes the handle for the whole process at once,
                // while reads of the previous registry may still use it. View ids are never
                // reused, so the empty databases are never seen again.
                try txn.clear(databases.history)
                try OnlineTable(database: databases.online).clear(txn)
            }
            try RegistryStorage.remove(object, from: store.registryDatabase, txn)
            return
        }
        let history = ObjectHistory(
            createdInVersion: current.history(of: object)?.createdInVersion ?? version,
            updatedInVersion: version,
            createdAt: current.history(of: object)?.createdAt ?? now,
            updatedAt: now)
        switch object {
        case .entity(let name):
            try save(Stored(spec: target.entities[name]!, history: history), object, txn)
        case .source(let name):
            try save(Stored(spec: target.sources[name]!, history: history), object, txn)
        case .service(let name):
            try save(Stored(spec: target.services[name]!, history: history), object, txn)
        case .view(let name):
            let record = try viewRecord(for: target.views[name]!, txn)
            try save(Stored(spec: record, history: history), object, txn)
        }
    }

    private func save<Spec>(_ stored: Stored<Spec>, _ object: RegistryObject, _ txn: borrowing WriteTransaction) throws {
        try RegistryStorage.save(stored, as: object, in: store.registryDatabase, txn)
    }

    /// The new record of a view: field ids kept for features that keep their name and type,
    /// a new schema version when the layout of rows changes, and the view's rows cleared when
    /// its key changes (old keys cannot be matched to the new entities).
    private func viewRecord(for view: FeatureView, _ txn: borrowing WriteTransaction) throws -> ViewRecord {
        let keyTypes = view.entities.compactMap { target.entities[$0]?.keyType }
        guard let previous = current.views[view.name]?.spec else {
            let id = UInt32(try StoreMeta.takeNextID(StoreMeta.nextViewIDKey, limit: UInt64(UInt32.max), in: store.meta, txn))
            let fieldIDs = (1...UInt32(view.features.count)).map { $0 }
            let record = ViewRecord(
                definition: view, id: id, fieldIDs: fieldIDs, nextFieldID: UInt32(view.features.count) + 1,
                schemas: [SchemaVersion(version: 1, fieldIDs: fieldIDs, types: view.features.map(\.type))],
                keyTypes: keyTypes)
            _ = try store.databases(of: record, in: txn)
            return record
        }
        var record = previous
        record.definition = view
        record.fieldIDs = view.features.map { field in
            if let index = previous.definition.features.firstIndex(where: { $0.name == field.name && $0.type == field.type }) {
                return previous.fieldIDs[index]
            }
            defer { record.nextFieldID += 1 }
            return record.nextFieldID
        }
        let types = view.features.map(\.type)
        if record.fieldIDs != previous.currentSchema.fieldIDs || types != previous.currentSchema.types {
            record.schemas.append(SchemaVersion(version: previous.currentSchema.version + 1, fieldIDs: record.fieldIDs, types: types))
        }
        let databases = try store.databases(of: record, in: txn)
        if keyTypes != previous.keyTypes || view.entities != previous.definition.entities {
            try txn.clear(databases.history)
            try OnlineTable(database: databases.online).clear(txn)
            record.keyTypes = keyTypes
        } else if !view.online, previous.definition.online {
            try OnlineTable(database: databases.online).clear(txn)
        } else if view.online, !previous.definition.online {
            // Runs kept writing history while the view was offline, and its online table was
            // cleared when it went offline: lookups would find nothing until later runs
            // touched each entity again.
            let visible = try StoreMeta.visibleSnapshot(in: store.meta, txn)
            let environment = store.environment
            try OnlineTable(database: databases.online).rebuild(from: databases.history, visible: visible, txn) {
                environment.releaseResidentPages()  // as materialization does
            }
        }
        return record
    }
}
