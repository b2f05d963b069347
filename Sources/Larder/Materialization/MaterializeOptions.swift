/// How a materialization treats invalid rows.
public struct MaterializeOptions: Sendable {
    /// `nil`: the first invalid row stops the run and nothing is committed. A path: invalid rows
    /// are skipped, written there (CSV: file, line, column, reason) and counted in the snapshot.
    public var rejectsFile: String?
    /// Rows prepared, sorted and written together; bounds the memory a run uses.
    public var batchSize: Int

    public init(rejectsFile: String? = nil, batchSize: Int = 65_536) {
        self.rejectsFile = rejectsFile
        self.batchSize = max(1, batchSize)
    }

    /// Stop at the first invalid row (the default).
    public static let stopOnInvalid = MaterializeOptions()

    /// Skip invalid rows, recording each with its reason in `rejectsFile`.
    public static func skipInvalid(rejectsFile: String) -> MaterializeOptions {
        MaterializeOptions(rejectsFile: rejectsFile)
    }
}
