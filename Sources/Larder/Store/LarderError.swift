import LMDBKit

/// An error from the feature store, naming what and where.
public enum LarderError: Error, Sendable, CustomStringConvertible {
    /// The directory holds an LMDB environment that Larder did not create.
    case notALarderStore(path: String)
    /// The store was written by a format this version cannot read.
    case unsupportedFormat(path: String, found: UInt32, supported: UInt32)
    /// The definitions are invalid.
    case invalidDefinitions(DefinitionError)
    /// `apply` would change views that hold data in ways old rows cannot follow.
    case breakingChanges([String])
    /// A name or reference that the registry does not know.
    case unknown(String)
    /// Another materialization or push is between its first and last commit.
    case runInProgress(snapshot: UInt64, process: Int32)
    /// The store itself failed.
    case storage(LMDBError)

    public var description: String {
        switch self {
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
        case .runInProgress(let snapshot, let process):
            "a materialization (snapshot \(snapshot), process \(process)) is in progress; try again when it has finished"
        case .storage(let error):
            error.description
        }
    }
}
