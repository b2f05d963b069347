import CLMDBRaw
import Foundation

/// The floor of any load into LMDB: `rows` history keys (entity, event time, created time,
/// snapshot: 32 bytes) with `valueBytes`-byte values, `rowsPerEntity` per entity, presorted and
/// written with `MDB_APPEND` in one transaction into a fresh environment. `start` and `stop`
/// bracket the writes (the environment's creation and removal are not timed).
public func rawBulkLoad(rows: Int, rowsPerEntity: Int, valueBytes: Int,
                        start: () -> Void, stop: () -> Void) throws {
    let directory = NSTemporaryDirectory() + "/larder-bench-raw-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var env: OpaquePointer?
    mdb_env_create(&env)
    mdb_env_set_mapsize(env, 1 << 32)
    mdb_env_open(env, directory, 0, 0o644)
    defer { mdb_env_close(env) }
    var value = [UInt8](repeating: 7, count: valueBytes)
    var key = [UInt8](repeating: 0, count: 32)
    start()
    var txn: OpaquePointer?
    mdb_txn_begin(env, nil, 0, &txn)
    var dbi: MDB_dbi = 0
    mdb_dbi_open(txn, nil, 0, &dbi)
    for index in 0..<rows {
        withUnsafeBytes(of: (UInt64(index / rowsPerEntity) | (1 << 63)).bigEndian) { key.replaceSubrange(0..<8, with: $0) }
        withUnsafeBytes(of: (UInt64(index % rowsPerEntity) | (1 << 63)).bigEndian) { key.replaceSubrange(8..<16, with: $0) }
        key.withUnsafeMutableBytes { keyBytes in
            value.withUnsafeMutableBytes { valueBytes in
                var k = MDB_val(mv_size: keyBytes.count, mv_data: keyBytes.baseAddress)
                var v = MDB_val(mv_size: valueBytes.count, mv_data: valueBytes.baseAddress)
                _ = mdb_put(txn, dbi, &k, &v, UInt32(MDB_APPEND))
            }
        }
    }
    mdb_txn_commit(txn)
    stop()
}
