import Foundation
import LMDBKit

/// Snapshot records in the `snapshots` database: key = `SnapshotKey`, value = JSON.
enum SnapshotStorage {
    static func key(_ id: UInt64) -> [UInt8] { SnapshotKey.make(id) }

    static func save(_ snapshot: Snapshot, in database: Database, _ txn: borrowing WriteTransaction) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try txn.put(Array(try encoder.encode(snapshot)), for: key(snapshot.id), in: database, options: .noOverwrite)
    }

    static func load(_ id: UInt64, from database: Database, _ txn: borrowing some ReadableTransaction) throws -> Snapshot? {
        try txn.withValue(for: key(id), in: database) { try JSONDecoder().decode(Snapshot.self, from: Data($0)) }
    }

    static func all(from database: Database, _ txn: borrowing some ReadableTransaction) throws -> [Snapshot] {
        var snapshots: [Snapshot] = []
        try txn.withCursor(on: database) { cursor in
            try cursor.forEach(prefix: []) { entry in
                snapshots.append(try JSONDecoder().decode(Snapshot.self, from: Data(entry.value)))
                return true
            }
        }
        return snapshots
    }

    /// Refuses a snapshot id that no reader can see: one never committed (a later id, a failed
    /// run's) — reading "as of" it would return today's data, and other data tomorrow. Id 0 is the
    /// empty store before the first snapshot.
    static func requireVisible(_ id: UInt64?, visible: UInt64, in database: Database, _ txn: borrowing some ReadableTransaction) throws {
        guard let id, id != 0 else { return }
        if id <= visible, try txn.contains(key(id), in: database) { return }
        let latest = try latestID(in: database, txn)
        throw LarderError.unknownSnapshot(id: id, latest: min(latest, visible))
    }

    /// The id of the newest committed snapshot, 0 if none.
    static func latestID(in database: Database, _ txn: borrowing some ReadableTransaction) throws -> UInt64 {
        try txn.withCursor(on: database) { cursor in
            try cursor.last().flatMap { SnapshotKey.id($0.key) } ?? 0
        }
    }
}
