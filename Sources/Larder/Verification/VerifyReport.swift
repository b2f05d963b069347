/// What ``FeatureStore/verify()`` found: every problem with where it is, and how much was read.
public struct VerifyReport: Sendable {
    /// One thing that is wrong, and where.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// The database and record: `meta 'next_snapshot_id'`, `view stats: history row of
        /// driver_id=1001 at 2024-05-01T01:00:00Z (snapshot 3)`.
        public let place: String
        public let reason: String

        public var description: String { "\(place): \(reason)" }
    }

    /// The first ``maxProblemsKept`` problems found.
    public internal(set) var problems: [Problem] = []
    /// Every problem found, kept or not.
    public internal(set) var problemCount = 0
    /// Records (keys and values) read and checked.
    public internal(set) var records = 0
    /// Databases walked.
    public internal(set) var databases = 0
    /// Pages of `data.mdb` read to check LMDB's structure.
    public internal(set) var pages = 0

    public var isClean: Bool { problemCount == 0 }

    /// A store damaged all over has millions of problems; the first thousand say enough.
    public static let maxProblemsKept = 1_000

    mutating func add(_ place: String, _ reason: String) {
        problemCount += 1
        if problems.count < Self.maxProblemsKept { problems.append(Problem(place: place, reason: reason)) }
    }
}
