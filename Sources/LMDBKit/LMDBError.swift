import CLMDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error from LMDB or from LMDBKit's guards around it.
///
/// Every LMDB return code maps to one named ``Code``; codes from the operating system
/// (`ENOENT`, `EACCES`, `ENOMEM`, …) arrive as ``Code/system(_:)``. The error also says which
/// operation failed and on which environment path, so a message read in a log is enough to act on.
public struct LMDBError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, one case per LMDB return code.
    public enum Code: Sendable, Hashable {
        /// `MDB_KEYEXIST`: a put with no-overwrite found the key already present.
        case keyExists
        /// `MDB_NOTFOUND`: no such key or database. `get` reports this as `nil`, not as an error.
        case notFound
        /// `MDB_PAGE_NOTFOUND`: a requested page is missing; the file is damaged.
        case pageNotFound
        /// `MDB_CORRUPTED`: a located page has the wrong type; the file is damaged.
        case corrupted
        /// `MDB_PANIC`: an earlier fatal error left the environment unusable; reopen it.
        case panic
        /// `MDB_VERSION_MISMATCH`: the file was written by an incompatible LMDB version.
        case versionMismatch
        /// `MDB_INVALID`: the file is not an LMDB data file (foreign, truncated or corrupt header).
        case invalidFile
        /// `MDB_MAP_FULL`: the map size is exhausted. `Environment.write` grows the map and retries.
        case mapFull
        /// `MDB_DBS_FULL`: more named databases than the environment's `maxDatabases`.
        case databasesFull
        /// `MDB_READERS_FULL`: every reader slot is taken (`maxReaders`).
        case readersFull
        /// `MDB_TLS_FULL`: too many thread-local reader slots (not used with `MDB_NOTLS`).
        case threadLocalStorageFull
        /// `MDB_TXN_FULL`: the write transaction touched too many dirty pages; commit in smaller steps.
        case transactionFull
        /// `MDB_CURSOR_FULL`: the cursor stack is too deep (a damaged tree).
        case cursorStackFull
        /// `MDB_PAGE_FULL`: internal page space exhausted.
        case pageFull
        /// `MDB_MAP_RESIZED`: another process grew the map; LMDBKit adopts the new size and retries.
        case mapResized
        /// `MDB_INCOMPATIBLE`: the database was opened with incompatible flags, or is not a named database.
        case incompatible
        /// `MDB_BAD_RSLOT`: a reader slot was reused wrongly.
        case badReaderSlot
        /// `MDB_BAD_TXN`: the transaction has failed earlier and can only be aborted.
        case badTransaction
        /// `MDB_BAD_VALSIZE`: a key or value has an unsupported size (an empty key, or a key over 511 bytes).
        case badValueSize
        /// `MDB_BAD_DBI`: the database handle was closed or changed.
        case badDatabase
        /// The environment is already open in this process with options that cannot be shared.
        case alreadyOpen
        /// The environment was opened read-only and a write was attempted.
        case readOnly
        /// `data.mdb` is shorter than its meta page says: the file was cut short (a failed copy,
        /// a full disk); LMDB would crash reading the missing pages, so it is not opened.
        case truncated(fileSize: Int, expectedSize: Int)
        /// An operating-system error number (`errno`), such as `EACCES` or `ENOENT`.
        case system(Int32)

        init(lmdbCode rc: Int32) {
            switch rc {
            case MDB_KEYEXIST: self = .keyExists
            case MDB_NOTFOUND: self = .notFound
            case MDB_PAGE_NOTFOUND: self = .pageNotFound
            case MDB_CORRUPTED: self = .corrupted
            case MDB_PANIC: self = .panic
            case MDB_VERSION_MISMATCH: self = .versionMismatch
            case MDB_INVALID: self = .invalidFile
            case MDB_MAP_FULL: self = .mapFull
            case MDB_DBS_FULL: self = .databasesFull
            case MDB_READERS_FULL: self = .readersFull
            case MDB_TLS_FULL: self = .threadLocalStorageFull
            case MDB_TXN_FULL: self = .transactionFull
            case MDB_CURSOR_FULL: self = .cursorStackFull
            case MDB_PAGE_FULL: self = .pageFull
            case MDB_MAP_RESIZED: self = .mapResized
            case MDB_INCOMPATIBLE: self = .incompatible
            case MDB_BAD_RSLOT: self = .badReaderSlot
            case MDB_BAD_TXN: self = .badTransaction
            case MDB_BAD_VALSIZE: self = .badValueSize
            case MDB_BAD_DBI: self = .badDatabase
            default: self = .system(rc)
            }
        }
    }

    /// What went wrong.
    public let code: Code
    /// The LMDB or LMDBKit operation that failed, such as `mdb_env_open` or `put`.
    public let operation: String
    /// The environment's directory, when known.
    public let path: String

    public init(_ code: Code, operation: String, path: String) {
        self.code = code
        self.operation = operation
        self.path = path
    }

    @usableFromInline
    init(returnCode rc: Int32, operation: String, path: String) {
        self.init(Code(lmdbCode: rc), operation: operation, path: path)
    }

    /// A sentence for people: what failed, where, and what it means.
    public var description: String {
        let location = path.isEmpty ? "" : " on \(path)"
        return "\(operation) failed\(location): \(reason)"
    }

    /// LMDB's own message for the code, or LMDBKit's for the codes it adds.
    public var reason: String {
        switch code {
        case .alreadyOpen:
            return "the environment is already open in this process with different options (LMDB allows one handle per process)"
        case .readOnly:
            return "the environment is open read-only"
        case .invalidFile:
            return "not an LMDB environment (foreign, truncated or corrupt file)"
        case .mapFull:
            return "the map is full and could not be grown further"
        case .databasesFull:
            return "the environment holds no more named databases (raise Options.maxDatabases)"
        case .readersFull:
            return "every reader slot is taken (Options.maxReaders, 126 by default, across all processes): end idle read transactions or processes, or raise it"
        case .system(ENOSPC):
            return "no space left on the device; the transaction was rolled back, free space and try again"
        case .system(EIO):
            return "input/output error: a write to the disk failed (a full disk or a failing device); the transaction was rolled back"
        case .system(EACCES) where operation == "mdb_env_open":
            return "permission denied: every user of a store, readers too, must be able to write its lock.mdb (and writers its data.mdb)"
        case .truncated(let size, let expected):
            return "data.mdb is truncated: it has \(size) bytes, but its last commit uses \(expected); restore the store from a copy (larder export makes one)"
        case .system(let errno):
            return String(cString: strerror(errno))
        default:
            return String(cString: mdb_strerror(rawCode))
        }
    }

    private var rawCode: Int32 {
        switch code {
        case .keyExists: MDB_KEYEXIST
        case .notFound: MDB_NOTFOUND
        case .pageNotFound: MDB_PAGE_NOTFOUND
        case .corrupted: MDB_CORRUPTED
        case .panic: MDB_PANIC
        case .versionMismatch: MDB_VERSION_MISMATCH
        case .invalidFile: MDB_INVALID
        case .mapFull: MDB_MAP_FULL
        case .databasesFull: MDB_DBS_FULL
        case .readersFull: MDB_READERS_FULL
        case .threadLocalStorageFull: MDB_TLS_FULL
        case .transactionFull: MDB_TXN_FULL
        case .cursorStackFull: MDB_CURSOR_FULL
        case .pageFull: MDB_PAGE_FULL
        case .mapResized: MDB_MAP_RESIZED
        case .incompatible: MDB_INCOMPATIBLE
        case .badReaderSlot: MDB_BAD_RSLOT
        case .badTransaction: MDB_BAD_TXN
        case .badValueSize: MDB_BAD_VALSIZE
        case .badDatabase: MDB_BAD_DBI
        case .alreadyOpen, .readOnly, .truncated: 0
        case .system(let errno): errno
        }
    }
}

/// Turns an LMDB return code into a thrown ``LMDBError``; every FFI result passes through here
/// but those of the inlinable hot paths (`withValue`, the cursor's moves), which throw the same
/// error themselves.
@inline(__always)
func check(_ rc: Int32, _ operation: @autoclosure () -> String, path: @autoclosure () -> String) throws(LMDBError) {
    if rc != 0 { throw LMDBError(returnCode: rc, operation: operation(), path: path()) }
}
