import Foundation
import LMDBKit

/// The statistics each run computed, in the `statistics` database: key = snapshot id (8 bytes,
/// big-endian, as `SnapshotKey`) + the view's name in UTF-8; value = JSON of feature name →
/// `FeatureStatistics`. Kept apart from the snapshot records so that listing snapshots never
/// reads sketches (a view's statistics are kilobytes per feature).
enum StatisticsStorage {
    static func key(snapshot: UInt64, view: String) -> [UInt8] {
        SnapshotKey.make(snapshot) + Array(view.utf8)
    }

    static func save(_ statistics: [String: FeatureStatistics], snapshot: UInt64, view: String, in database: Database,
                     _ txn: borrowing WriteTransaction) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try txn.put(Array(try encoder.encode(statistics)), for: key(snapshot: snapshot, view: view), in: database)
    }

    /// View name → feature name → statistics, for every view the snapshot's run covered.
    static func load(snapshot: UInt64, from database: Database, _ txn: borrowing some ReadableTransaction) throws -> [String: [String: FeatureStatistics]] {
        var views: [String: [String: FeatureStatistics]] = [:]
        let prefix = SnapshotKey.make(snapshot)
        try txn.withCursor(on: database) { cursor in
            try cursor.forEach(prefix: prefix) { entry in
                let view = String(decoding: entry.key.dropFirst(prefix.count), as: UTF8.self)
                views[view] = try JSONDecoder().decode([String: FeatureStatistics].self, from: Data(entry.value))
                return true
            }
        }
        return views
    }
}
