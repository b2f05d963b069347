import Foundation
import LMDBKit

/// Reads and writes registry objects in the `registry` database: key = kind byte ‖ name,
/// value = JSON of the stored spec and its history.
enum RegistryStorage {
    static func load(version: UInt64, from database: Database, _ txn: borrowing some ReadableTransaction) throws -> Registry {
        var registry = Registry.empty
        let decoder = JSONDecoder()
        try txn.withCursor(on: database) { cursor in
            try cursor.forEach(prefix: []) { entry in
                guard let (kind, name) = RegistryKey.parse(entry.key) else { return true }
                let data = Data(entry.value)
                do {
                    switch kind {
                    case .entity:
                        registry.entities[name] = try decoder.decode(Stored<Entity>.self, from: data)
                    case .source:
                        registry.sources[name] = try decoder.decode(Stored<Source>.self, from: data)
                    case .view:
                        registry.views[name] = try decoder.decode(Stored<ViewRecord>.self, from: data)
                    case .service:
                        registry.services[name] = try decoder.decode(Stored<FeatureService>.self, from: data)
                    case nil:
                        break  // a kind a newer version added; the format version guards real incompatibility
                    }
                } catch {
                    throw LarderError.damagedStore(path: txn.path, reason: "registry entry '\(name)' is unreadable: \(error)")
                }
                return true
            }
        }
        return Registry(version: version, entities: registry.entities, sources: registry.sources,
                        views: registry.views, services: registry.services)
    }

    static func save<Spec>(_ stored: Stored<Spec>, as object: RegistryObject, in database: Database, _ txn: borrowing WriteTransaction) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try txn.put(Array(try encoder.encode(stored)), for: object.storageKey, in: database)
    }

    static func remove(_ object: RegistryObject, from database: Database, _ txn: borrowing WriteTransaction) throws {
        try txn.delete(object.storageKey, in: database)
    }
}
