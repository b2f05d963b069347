/// How a materialization treats invalid rows.
public struct MaterializeOptions: Sendable {
    /// `nil`: the first invalid row stops the run and nothing is committed. A path: invalid rows
    /// are skipped, written there (CSV: file, line, column, reason) and counted in the snapshot.
    public var rejectsFile: String?
    /// Rows prepared, sorted and written together, in one write transaction; bounds the memory a
    /// run uses. The default, 32,768, measured fastest: larger batches keep more dirty pages
    /// than the CPU caches hold and cost more memory, smaller ones commit (and sync) more often.
    public var batchSize: Int

    /// Called after each batch with the view, rows read so far, and the source's bytes read and
    /// total size (0 when unknown), for progress reports.
    public var progress: (@Sendable (MaterializeProgress) -> Void)?
    /// Who may read the rejects file (private to its owner by default: it copies source values).
    public var rejectsAccess: FileAccess
    /// How long to wait for another run to finish before giving up with
    /// ``LarderError/runInProgress(snapshot:process:)`` (by default, not at all).
    public var wait: Duration

    public init(
        rejectsFile: String? = nil, batchSize: Int = 32_768, progress: (@Sendable (MaterializeProgress) -> Void)? = nil,
        rejectsAccess: FileAccess = .owner, wait: Duration = .zero
    ) {
        self.rejectsFile = rejectsFile
        self.batchSize = max(1, batchSize)
        self.progress = progress
        self.rejectsAccess = rejectsAccess
        self.wait = wait
    }

    /// Stop at the first invalid row (the default).
    public static let stopOnInvalid = MaterializeOptions()

    /// Skip invalid rows, recording each with its reason in `rejectsFile`.
    public static func skipInvalid(rejectsFile: String) -> MaterializeOptions {
        MaterializeOptions(rejectsFile: rejectsFile)
    }
}

/// How far a materialization has got.
public struct MaterializeProgress: Sendable {
    public let view: String
    public let rowsRead: Int
    /// Bytes of the source read so far, and its size; 0 for pushed rows.
    public let bytesRead: Int
    public let totalBytes: Int
}
