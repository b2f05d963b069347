/// How a materialization treats invalid rows.
public struct MaterializeOptions: Sendable {
    /// `nil`: the first invalid row stops the run and nothing is committed. A path: invalid rows
    /// are skipped, written there (CSV: file, line, column, reason) and counted in the snapshot.
    public var rejectsFile: String?
    /// Rows prepared, sorted and written together, in one write transaction; bounds the memory a
    /// run uses. The default, 32,768, measured fastest: larger batches keep more dirty pages
    /// than the CPU caches hold and cost more memory, smaller ones commit (and sync) more often.
    public var batchSize: Int

    /// Called every `batchSize` rows read and after each batch commits, with the view, the rows
    /// read and written so far, and the source's bytes read and total size (0 when unknown),
    /// for progress reports.
    public var progress: (@Sendable (MaterializeProgress) -> Void)?
    /// Who may read the rejects file (private to its owner by default: it copies source values).
    public var rejectsAccess: FileAccess
    /// Memory for putting a view's rows in key order before they are written; past it, sorted
    /// runs spill to `temporaryDirectory` and are merged. 64 MiB by default: a run's peak memory
    /// stays under 150 MB whatever the size and order of its source. The sort takes a worker
    /// thread (see Docs/Concurrency.md).
    public var memoryBudget: Int
    /// Where spilled runs go (the system's temporary directory when nil). Rows spill when a
    /// view's rows in the interval take more than `memoryBudget`: about their size on disk.
    public var temporaryDirectory: String?
    /// How long to wait for another run to finish before giving up with
    /// ``LarderError/runInProgress(snapshot:process:)`` (by default, not at all).
    public var wait: Duration
    /// Compute each feature's statistics over the run's rows and store them with its snapshot
    /// (Docs/Monitoring.md). On by default; their cost is measured in Docs/Performance.md.
    public var collectsStatistics = true

    public init(
        rejectsFile: String? = nil, batchSize: Int = 32_768, progress: (@Sendable (MaterializeProgress) -> Void)? = nil,
        rejectsAccess: FileAccess = .owner, wait: Duration = .zero, memoryBudget: Int = 64 << 20, temporaryDirectory: String? = nil
    ) {
        self.memoryBudget = memoryBudget
        self.temporaryDirectory = temporaryDirectory
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

/// How far a materialization has got. A view's rows are written as they are read while they
/// come in key order; the rest are put in order first and written once all are read.
public struct MaterializeProgress: Sendable {
    public let view: String
    public let rowsRead: Int
    /// Bytes of the source read so far, and its size; 0 for pushed rows.
    public let bytesRead: Int
    public let totalBytes: Int
    /// Rows of the view in committed batches so far (invisible to readers until the run ends).
    public let rowsWritten: Int

    init(view: String, rowsRead: Int, bytesRead: Int, totalBytes: Int, rowsWritten: Int = 0) {
        self.view = view
        self.rowsRead = rowsRead
        self.bytesRead = bytesRead
        self.totalBytes = totalBytes
        self.rowsWritten = rowsWritten
    }
}
