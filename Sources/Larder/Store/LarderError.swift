import LMDBKit

/// An error from the feature store, naming what and where.
public enum LarderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// There is no store at the path (no `data.mdb`, or an empty one), and none was to be created.
    case noStore(path: String)
    /// The directory holds an LMDB environment that Larder did not create.
    case notALarderStore(path: String)
    /// Larder's own records in the store cannot be read as written: a metadata value of the
    /// wrong size, a counter at its limit. Nothing is changed; `verify` says more.
    case damagedStore(path: String, reason: String)
    /// The store was written by a format this version cannot read.
    case unsupportedFormat(path: String, found: UInt32, supported: UInt32)
    /// The definitions are invalid.
    case invalidDefinitions(DefinitionError)
    /// `apply` would change views that hold data in ways old rows cannot follow.
    case breakingChanges([String])
    /// A name or reference that the registry does not know.
    case unknown(String)
    /// An argument of a call is out of its range: which argument, and why.
    case invalidArgument(name: String, reason: String)
    /// The definitions have more views than a store holds.
    case tooManyViews(count: Int, limit: Int)
    /// A read as of a snapshot that was never committed.
    case unknownSnapshot(id: UInt64, latest: UInt64)
    /// Another materialization or push is between its first and last commit.
    case runInProgress(snapshot: UInt64, process: Int32)
    /// The run lock (a `flock` on the store's directory) could not be taken.
    case lockFailed(path: String, reason: String)
    /// The store itself failed.
    case storage(LMDBError)

    public var description: String {
        switch self {
        case .noStore(let path):
            "no Larder store at \(path) (data.mdb is missing or empty); `larder apply` or FeatureStore.open creates one"
        case .damagedStore(let path, let reason):
            "store metadata damaged in \(path): \(reason); nothing was changed (run `larder verify` for a full check)"
        case .notALarderStore(let path):
            "\(path) is an LMDB environment but not a Larder store (no Larder metadata); refusing to touch it"
        case .unsupportedFormat(let path, let found, let supported):
            "\(path) has store format \(found); this version of Larder reads format \(supported)"
        case .invalidDefinitions(let error):
            error.description
        case .breakingChanges(let changes):
            "apply refused: these changes break data already stored (pass allowBreakingChanges to apply them anyway; Docs/Definitions.md says what happens to the rows):\n"
                + changes.map { "  \($0)" }.joined(separator: "\n")
        case .unknown(let what):
            what
        case .invalidArgument(let name, let reason):
            "\(name): \(reason)"
        case .tooManyViews(let count, let limit):
            "the definitions have \(count) views; a store holds at most \(limit) (two LMDB databases each)"
        case .unknownSnapshot(let id, let latest):
            "no snapshot \(id): " + (latest == 0 ? "the store has none yet" : "snapshots run up to \(latest) (`larder snapshots` lists them; ids of failed runs are never committed)")
        case .runInProgress(let snapshot, let process):
            snapshot == 0
                ? "another materialization or push is starting; try again when it has finished"
                : "a materialization or push (snapshot \(snapshot), process \(process)) is in progress; try again when it has finished"
        case .lockFailed(let path, let reason):
            "cannot lock the store directory \(path) for a run: \(reason)"
        case .storage(let error):
            error.description
        }
    }
}
