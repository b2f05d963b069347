import LMDBKit

extension FeatureStore {
    /// Every snapshot, oldest first.
    public func snapshots() throws -> [Snapshot] {
        try environment.read { txn in try SnapshotStorage.all(from: snapshotsDatabase, txn) }
    }

    /// One snapshot, or `nil` if there is no such id.
    public func snapshot(_ id: UInt64) throws -> Snapshot? {
        try environment.read { txn in try SnapshotStorage.load(id, from: snapshotsDatabase, txn) }
    }

    /// The statistics snapshot `id`'s run computed: view name → feature name → statistics of the
    /// rows inside the run's interval (Docs/Monitoring.md). Empty for a snapshot made before
    /// statistics were recorded.
    /// - Throws: ``LarderError/unknownSnapshot(id:latest:)`` when there is no such snapshot.
    public func statistics(snapshot id: UInt64) throws -> [String: [String: FeatureStatistics]] {
        try environment.read { txn in
            guard try SnapshotStorage.load(id, from: snapshotsDatabase, txn) != nil else {
                throw LarderError.unknownSnapshot(id: id, latest: try SnapshotStorage.latestID(in: snapshotsDatabase, txn))
            }
            guard let statisticsDatabase else { return [:] }
            return try StatisticsStorage.load(snapshot: id, from: statisticsDatabase, txn)
        }
    }

    /// Rows added and changed per view, and watermark moves, from snapshot `from` to `to`.
    public func diff(from: UInt64, to: UInt64) throws -> SnapshotDiff {
        guard from <= to else { return try diff(from: to, to: from) }
        return try read { txn, registry, handles in
            for id in [from, to] where id != 0 {
                guard try SnapshotStorage.load(id, from: snapshotsDatabase, txn) != nil else {
                    throw LarderError.unknownSnapshot(id: id, latest: try SnapshotStorage.latestID(in: snapshotsDatabase, txn))
                }
            }
            let all = try SnapshotStorage.all(from: snapshotsDatabase, txn)
            func watermark(_ view: String, at id: UInt64) -> Timestamp? {
                all.filter { $0.id <= id && $0.kind == .materialization }.flatMap(\.views).filter { $0.view == view }.last?.watermarkAfter
            }
            var changes: [SnapshotDiff.ViewChanges] = []
            for name in registry.views.keys.sorted() {
                guard let record = registry.views[name]?.spec, let databases = handles[record.id] else { continue }
                var added = 0
                var changed = 0
                var previousPrefix: [UInt8] = []
                var prefixExistedAtFrom = false
                try txn.withCursor(on: databases.history) { cursor in
                    try cursor.forEach(prefix: []) { entry in
                        let prefix = HistoryKey.withoutSnapshot(entry.key)
                        let snapshot = HistoryKey.snapshot(entry.key)
                        if !prefix.elementsEqual(previousPrefix) {
                            previousPrefix = Array(prefix)
                            prefixExistedAtFrom = false
                        }
                        if snapshot <= from {
                            prefixExistedAtFrom = true
                        } else if snapshot <= to {
                            if prefixExistedAtFrom { changed += 1 } else { added += 1 }
                            prefixExistedAtFrom = true
                        }
                        return true
                    }
                }
                let before = watermark(name, at: from)
                let after = watermark(name, at: to)
                if added + changed > 0 || before != after {
                    changes.append(.init(view: name, rowsAdded: added, rowsChanged: changed, watermarkFrom: before, watermarkTo: after))
                }
            }
            return SnapshotDiff(from: from, to: to, views: changes)
        }
    }
}
