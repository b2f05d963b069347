import CLMDBRaw
import Foundation
import Larder
import LMDBKit

/// The physical limit: LMDB's C API called directly, on a compacted copy of the Larder store
/// (the same B-trees, page for page). A separate environment, because LMDB allows one handle
/// per environment per process and Larder holds the store's.
public final class RawLMDB: @unchecked Sendable {
    let env: OpaquePointer
    let dbi: MDB_dbi
    public let txn: OpaquePointer

    public init(path: String) throws {
        var env: OpaquePointer?
        mdb_env_create(&env)
        mdb_env_set_maxdbs(env, 16)
        mdb_env_set_mapsize(env, 1 << 34)
        guard mdb_env_open(env, path, UInt32(MDB_RDONLY | MDB_NOTLS), 0o644) == 0 else { throw CocoaError(.fileReadUnknown) }
        // The handle is opened in a transaction that commits, so it outlives it.
        var opener: OpaquePointer?
        mdb_txn_begin(env, nil, UInt32(MDB_RDONLY), &opener)
        var dbi: MDB_dbi = 0
        // `o.1`: the online table of the store's only view (Docs/StorageFormat.md).
        guard mdb_dbi_open(opener, "o.1", 0, &dbi) == 0, mdb_txn_commit(opener) == 0 else { throw CocoaError(.fileReadUnknown) }
        var txn: OpaquePointer?
        guard mdb_txn_begin(env, nil, UInt32(MDB_RDONLY), &txn) == 0, let txn else { throw CocoaError(.fileReadUnknown) }
        self.env = env!
        self.dbi = dbi
        self.txn = txn
    }

    /// `mdb_get` with a key built on the stack, then one float64 decoded from the row: the
    /// first feature's slot sits 28 (online header) + 5 (row header) + 2 (null bitmap) bytes in.
    @inline(__always)
    public func firstFeature(of id: Int64) -> Double {
        var keyBytes = (UInt64(bitPattern: id) ^ (1 << 63)).bigEndian
        return withUnsafeMutableBytes(of: &keyBytes) { key in
            var k = MDB_val(mv_size: 8, mv_data: key.baseAddress)
            var v = MDB_val()
            guard mdb_get(txn, dbi, &k, &v) == 0 else { return .nan }
            return Double(bitPattern: UInt64(littleEndian: v.mv_data.loadUnaligned(fromByteOffset: 35, as: UInt64.self)))
        }
    }

    /// A fresh snapshot, as a service would take per request.
    @inline(__always) public func renew() { mdb_txn_reset(txn); mdb_txn_renew(txn) }
}
