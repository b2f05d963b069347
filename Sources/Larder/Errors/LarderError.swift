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
    /// A view the registry does not know; `reference` is the feature reference that named it.
    case unknownView(name: String, reference: String? = nil, known: [String])
    /// A feature the view does not have; `reference` is the feature reference that named it.
    case unknownFeature(view: String, feature: String, reference: String? = nil, known: [String])
    /// A feature service the registry does not know.
    case unknownService(name: String, known: [String])
    /// A registry object to delete that the store does not have (`kind` is entity, source,
    /// view or service).
    case unknownObject(kind: String, name: String)
    /// Features of several views share these names: the output needs full feature names.
    case ambiguousFeatureNames([String])
    /// A feature column of a training set would repeat a column of the entity rows.
    case featureColumnCollision(String)
    /// An entity key of other types than the view's key.
    case keyTypeMismatch(view: String, expected: [String], found: [String])
    /// An entity row without a join key a requested view needs (`row` counts from 0).
    case missingJoinKey(row: Int, joinKey: String, view: String)
    /// `materialize` was asked for a view whose source is pushed in Swift.
    case pushSourceMaterialized(view: String)
    /// A run's pending marker disappeared before its last commit (another writer removed it):
    /// its rows were not made visible.
    case runInterrupted(snapshot: UInt64)
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

    public var description: String {
        switch self {
        case .noStore(let path):
            "no Larder store at \(path) (data.mdb is missing or empty); `larder apply` or FeatureStore.open creates one"
        case .damagedStore(let path, let reason):
            "store metadata damaged\(path.isEmpty ? "" : " in \(path)"): \(reason); nothing was changed (run `larder verify` for a full check)"
        case .notALarderStore(let path):
            "\(path) is an LMDB environment but not a Larder store (no Larder metadata); refusing to touch it"
        case .unsupportedFormat(let path, let found, let supported):
            "\(path) has store format \(found); this version of Larder reads format \(supported)"
        case .invalidDefinitions(let error):
            error.description
        case .breakingChanges(let changes):
            "apply refused: these changes break data already stored (pass allowBreakingChanges to apply them anyway; Docs/Definitions.md says what happens to the rows):\n"
                + changes.map { "  \($0)" }.joined(separator: "\n")
        case .unknownView(let name, let reference, let known):
            (reference.map { "unknown feature reference '\($0)': no view '\(name)'" } ?? "unknown view '\(name)'") + Definitions.known(known)
        case .unknownFeature(let view, let feature, let reference, let known):
            (reference.map { "unknown feature reference '\($0)': view \(view)" } ?? "view \(view)") + " has no feature '\(feature)'" + Definitions.known(known)
        case .unknownService(let name, let known):
            "unknown feature service '\(name)'" + Definitions.known(known)
        case .unknownObject(let kind, let name):
            "cannot delete \(kind) \(name): the store has no such \(kind)"
        case .ambiguousFeatureNames(let names):
            "feature names \(names.joined(separator: ", ")) appear in several views; use full feature names"
        case .featureColumnCollision(let name):
            "feature column '\(name)' would repeat an entity-row column; use full feature names"
        case .keyTypeMismatch(let view, let expected, let found):
            "view \(view) is keyed by (\(expected.joined(separator: ", "))); got (\(found.joined(separator: ", ")))"
        case .missingJoinKey(let row, let joinKey, let view):
            "entity row \(row) has no '\(joinKey)', which view \(view) needs"
        case .pushSourceMaterialized(let view):
            "view '\(view)' has a push source: write to it with push(_:to:), not materialize"
        case .runInterrupted(let snapshot):
            "materialization \(snapshot) lost its pending-run marker (another writer removed it); its rows were not made visible"
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
        }
    }
}
