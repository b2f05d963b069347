import CSQLite
import Foundation
import Larder

/// What a user would pick instead for an embedded store: SQLite, tuned for reads (WAL, a
/// large page cache, memory-mapped I/O), one table keyed by the entity id, queried with a
/// prepared `SELECT *` by primary key.
public final class SQLiteTable: @unchecked Sendable {
    let db: OpaquePointer
    let select: OpaquePointer

    public init(path: String) throws {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK, let db else { throw CocoaError(.fileReadUnknown) }
        sqlite3_exec(db, "PRAGMA cache_size = -2000000; PRAGMA mmap_size = 17179869184;", nil, nil, nil)
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, "SELECT * FROM driver_stats WHERE driver_id = ?", -1, &statement, nil) == SQLITE_OK, let statement else {
            throw CocoaError(.fileReadUnknown)
        }
        self.db = db
        self.select = statement
    }

    /// The first feature of one row, reading the whole row as `SELECT *` does.
    @inline(__always)
    public func firstFeature(of id: Int64) -> Double {
        sqlite3_bind_int64(select, 1, id)
        defer { sqlite3_reset(select) }
        guard sqlite3_step(select) == SQLITE_ROW else { return .nan }
        return sqlite3_column_double(select, 2)
    }

    /// Ten features and the event time, as the convenience API returns them.
    @inline(__always)
    public func allFeatures(of id: Int64, into values: inout [Double]) -> Int64 {
        sqlite3_bind_int64(select, 1, id)
        defer { sqlite3_reset(select) }
        guard sqlite3_step(select) == SQLITE_ROW else { return -1 }
        for index in 0..<values.count { values[index] = sqlite3_column_double(select, Int32(index + 2)) }
        return sqlite3_column_int64(select, 1)
    }

    static func create(at path: String, fromLarderStore larderPath: String, view: String) throws {
        var db: OpaquePointer?
        guard sqlite3_open(path, &db) == SQLITE_OK, let db else { throw CocoaError(.fileWriteUnknown) }
        defer { sqlite3_close(db) }
        let columns = (0..<GeneratedStore.featureCount).map { "f\($0) REAL" }.joined(separator: ", ")
        sqlite3_exec(db, "PRAGMA journal_mode = WAL; CREATE TABLE driver_stats (driver_id INTEGER PRIMARY KEY, event_ts INTEGER, \(columns)); BEGIN;", nil, nil, nil)
        var insert: OpaquePointer?
        let placeholders = Array(repeating: "?", count: GeneratedStore.featureCount + 2).joined(separator: ", ")
        sqlite3_prepare_v2(db, "INSERT INTO driver_stats VALUES (\(placeholders))", -1, &insert, nil)
        let store = try FeatureStore.open(larderPath, readOnly: true)
        try store.forEachOnlineRow(of: view) { entity, row in
            guard case .int64(let id) = entity[0] else { return }
            sqlite3_bind_int64(insert, 1, id)
            sqlite3_bind_int64(insert, 2, row.eventTime.microseconds)
            for index in 0..<GeneratedStore.featureCount {
                sqlite3_bind_double(insert, Int32(index + 3), row.float64(index) ?? 0)
            }
            sqlite3_step(insert)
            sqlite3_reset(insert)
        }
        sqlite3_finalize(insert)
        sqlite3_exec(db, "COMMIT;", nil, nil, nil)
    }
}
