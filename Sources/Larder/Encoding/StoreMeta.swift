import Foundation
import LMDBKit

/// The `meta` database: the store's identity, format and counters.
enum StoreMeta {
    /// The on-disk format this code writes and reads. Bump on any incompatible change.
    static let formatVersion: UInt32 = 1

    static let formatKey = Array("format_version".utf8)
    static let storeIDKey = Array("store_id".utf8)
    static let registryVersionKey = Array("registry_version".utf8)
    static let nextViewIDKey = Array("next_view_id".utf8)
    static let nextSnapshotIDKey = Array("next_snapshot_id".utf8)
    /// The highest snapshot whose rows readers see; rows of a run in progress have a higher id.
    static let visibleSnapshotKey = Array("visible_snapshot".utf8)
    /// The run in progress: its snapshot id (8 bytes) and the process id (4 bytes), present
    /// from its first commit to its last.
    static let pendingRunKey = Array("pending_run".utf8)

    /// Stores written before runs were made visible in one step have no `visible_snapshot`:
    /// every snapshot in them is complete.
    static func visibleSnapshot(in meta: Database, _ txn: borrowing some ReadableTransaction) throws -> UInt64 {
        try readUInt64(visibleSnapshotKey, in: meta, txn) ?? .max
    }

    /// A counter every store has from its creation on.
    static func requiredUInt64(_ key: [UInt8], in meta: Database, _ txn: borrowing some ReadableTransaction) throws -> UInt64 {
        guard let value = try readUInt64(key, in: meta, txn) else {
            throw LarderError.damagedStore(path: txn.path, reason: "meta '\(String(decoding: key, as: UTF8.self))' is missing")
        }
        return value
    }

    /// The next id from counter `key`, which is advanced past it.
    static func takeNextID(_ key: [UInt8], limit: UInt64, in meta: Database, _ txn: borrowing WriteTransaction) throws -> UInt64 {
        let id = try requiredUInt64(key, in: meta, txn)
        guard id >= 1, id < limit else {
            throw LarderError.damagedStore(path: txn.path, reason: "meta '\(String(decoding: key, as: UTF8.self))' is \(id), outside 1..<\(limit)")
        }
        try writeUInt64(id + 1, key, in: meta, txn)
        return id
    }

    /// The end of the latest interval materialized for a view (event-time microseconds).
    static func watermarkKey(view id: UInt32) -> [UInt8] { Array("watermark.\(id)".utf8) }

    /// Whether `key` is a watermark's (a `watermark.` key, its view id readable or not).
    static func isWatermarkKey(_ key: [UInt8]) -> Bool { key.starts(with: watermarkPrefix) }

    /// The view id a watermark key names, or nil when `key` is none.
    static func watermarkView(_ key: [UInt8]) -> UInt32? {
        guard isWatermarkKey(key) else { return nil }
        return UInt32(String(decoding: key.dropFirst(watermarkPrefix.count), as: UTF8.self))
    }

    private static let watermarkPrefix = Array("watermark.".utf8)

    /// The 8-byte big-endian value of `key`, or nil when there is none. A value of another size
    /// is damage, never read as a default.
    static func readUInt64(_ key: [UInt8], in database: Database, _ txn: borrowing some ReadableTransaction) throws -> UInt64? {
        // nil: no such key; .some(nil): a value of another size.
        let stored: UInt64?? = try txn.withValue(for: key, in: database) { bytes in
            uint64(bytes)
        }
        guard let present = stored else { return nil }
        guard let value = present else {
            let size = try txn.withValue(for: key, in: database) { $0.count } ?? 0
            throw LarderError.damagedStore(path: txn.path, reason: "meta '\(String(decoding: key, as: UTF8.self))' has \(size) bytes, not 8")
        }
        return value
    }

    /// A counter or watermark value: 8 bytes big-endian, nil for another size.
    static func uint64(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
        bytes.count == 8 ? UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)) : nil
    }

    /// The `format_version` value: 4 bytes big-endian, nil for another size.
    static func formatVersion(_ bytes: UnsafeRawBufferPointer) -> UInt32? {
        bytes.count == 4 ? UInt32(bigEndian: bytes.loadUnaligned(as: UInt32.self)) : nil
    }

    static func writeUInt64(_ value: UInt64, _ key: [UInt8], in database: Database, _ txn: borrowing WriteTransaction) throws {
        try txn.put(withUnsafeBytes(of: value.bigEndian) { Array($0) }, for: key, in: database)
    }

    /// Creates the metadata of a new store, or checks that an existing one is Larder's and of a
    /// format this code reads.
    static func initializeOrCheck(_ environment: Environment, _ txn: borrowing WriteTransaction) throws -> Database {
        let namedDatabasesBefore = environment.statistics.entries
        let meta = try txn.createDatabase(named: "meta")
        if try txn.statistics(of: meta).entries == 0 {
            // A new store is an empty environment; anything else belongs to another program.
            guard namedDatabasesBefore == 0 else { throw LarderError.notALarderStore(path: environment.path) }
            try txn.put(withUnsafeBytes(of: formatVersion.bigEndian) { Array($0) }, for: formatKey, in: meta)
            try txn.put(UUID().uuidString.utf8.map { $0 }, for: storeIDKey, in: meta)
            try writeUInt64(0, registryVersionKey, in: meta, txn)
            try writeUInt64(1, nextViewIDKey, in: meta, txn)
            try writeUInt64(1, nextSnapshotIDKey, in: meta, txn)
            try writeUInt64(0, visibleSnapshotKey, in: meta, txn)
        }
        try check(meta, environment, txn)
        return meta
    }

    static func check(_ meta: Database, _ environment: Environment, _ txn: borrowing some ReadableTransaction) throws {
        let format = try txn.withValue(for: formatKey, in: meta) { bytes in
            formatVersion(bytes)
        }
        guard let format, let found = format else { throw LarderError.notALarderStore(path: environment.path) }
        guard found == formatVersion else {
            throw LarderError.unsupportedFormat(path: environment.path, found: found, supported: formatVersion)
        }
    }
}
