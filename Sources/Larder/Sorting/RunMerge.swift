import Foundation

/// Merges sorted runs — the run files and the records left in memory — into one sequence in
/// key order, through a tournament tree of losers over each run's current record: a record
/// costs one comparison per doubling of the number of runs (a binary heap needs two), most of
/// them decided by the key prefixes.
final class RunMerge {
    /// A run's current record. The key and payload point into the run's buffer (for the
    /// records in memory, into `memoryRecord`), valid until that run advances.
    private struct Head {
        var prefix: KeyPrefix
        var key: UnsafeRawBufferPointer
        var payload: UnsafeRawBufferPointer
        var isDone: Bool
    }

    private let files: [RunReader]
    /// The files, unretained: the merge reads one per record, and `files` keeps them.
    private let unretained: [Unmanaged<RunReader>]
    private let inMemory: SortedRecords
    private var memoryPosition = 0
    /// The current record in memory, copied: the merge holds it across calls, and a record's
    /// inline key has no address of its own.
    private var memoryRecord = GrowableBytes(capacity: 256)
    /// Runs are numbered: files in the order they were written, then the records in memory.
    /// Equal keys from different runs come out in that order (within a run, the sort decides).
    private let runCount: Int
    private let heads: UnsafeMutablePointer<Head>
    /// `tree[0]` is the run whose record comes next; `tree[1..<runCount]` hold the loser of
    /// each match, the runs' leaves being nodes `runCount..<2 * runCount`.
    private let tree: UnsafeMutablePointer<Int>

    init(runs: [RunReader], inMemory: SortedRecords) throws {
        files = runs
        unretained = runs.map { Unmanaged.passUnretained($0) }
        self.inMemory = inMemory
        runCount = runs.count + 1
        heads = .allocate(capacity: runCount)
        tree = .allocate(capacity: runCount)
        for run in 0..<runCount { (heads + run).initialize(to: currentHead(of: run)) }
        tree[0] = runCount == 1 ? 0 : play(1)
    }

    deinit {
        heads.deallocate()
        tree.deallocate()
    }

    /// Plays the matches below `node`, leaving each loser in its node; returns the winner.
    private func play(_ node: Int) -> Int {
        if node >= runCount { return node - runCount }
        let (left, right) = (play(2 * node), play(2 * node + 1))
        if comesBefore(right, left) {
            tree[node] = left
            return right
        }
        tree[node] = right
        return left
    }

    /// Whether run `a`'s record comes before run `b`'s; a finished run comes after every other.
    @inline(__always)
    private func comesBefore(_ a: Int, _ b: Int) -> Bool {
        let (first, second) = (heads[a], heads[b])
        if first.isDone || second.isDone { return !first.isDone }
        if first.prefix != second.prefix { return first.prefix < second.prefix }
        let order = compareAfterPrefix(first.key, second.key)
        return order != 0 ? order < 0 : a < b
    }

    /// Lends the smallest current record to `body`, or returns nil when every run is done.
    @inline(__always)
    func peek<R>(_ body: (_ key: UnsafeRawBufferPointer, _ payload: UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        let top = heads[tree[0]]
        guard !top.isDone else { return nil }
        return try body(top.key, top.payload)
    }

    /// Moves past the smallest current record: its run advances, and the run replays its
    /// matches on the way up to the root.
    func advance() throws {
        var winner = tree[0]
        guard !heads[winner].isDone else { return }
        if winner < files.count {
            try unretained[winner]._withUnsafeGuaranteedRef { try $0.advance() }
        } else {
            memoryPosition += 1
        }
        heads[winner] = currentHead(of: winner)
        var node = (winner + runCount) / 2
        while node > 0 {
            if comesBefore(tree[node], winner) { swap(&tree[node], &winner) }
            node /= 2
        }
        tree[0] = winner
    }

    func forEach(_ body: (_ key: UnsafeRawBufferPointer, _ payload: UnsafeRawBufferPointer) throws -> Void) throws {
        while true {
            let top = heads[tree[0]]
            if top.isDone { return }
            try body(top.key, top.payload)
            try advance()
        }
    }

    /// The current record of a run.
    private func currentHead(of run: Int) -> Head {
        let none = UnsafeRawBufferPointer(start: nil, count: 0)
        if run < files.count {
            return unretained[run]._withUnsafeGuaranteedRef { reader in
                reader.hasCurrent
                    ? Head(prefix: reader.currentPrefix, key: reader.currentKey, payload: reader.currentPayload, isDone: false)
                    : Head(prefix: KeyPrefix(none), key: none, payload: none, isDone: true)
            }
        }
        guard memoryPosition < inMemory.count else { return Head(prefix: KeyPrefix(none), key: none, payload: none, isDone: true) }
        return inMemory.withRecord(memoryPosition) { key, payload in
            memoryRecord.removeAll()
            memoryRecord.append(key)
            memoryRecord.append(payload)
            let base = UnsafeRawPointer(memoryRecord.base)
            let copiedKey = UnsafeRawBufferPointer(start: base, count: key.count)
            return Head(prefix: KeyPrefix(copiedKey), key: copiedKey,
                        payload: UnsafeRawBufferPointer(start: base + key.count, count: payload.count), isDone: false)
        }
    }
}
