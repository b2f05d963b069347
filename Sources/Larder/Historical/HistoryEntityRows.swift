import ArrowKit
import Foundation
import ParquetKit

/// The entity rows of a retrieval without entity rows: every distinct (entity, event time) of
/// the requested views' history in a window, in key order. They are collected through an
/// external sort (bounded memory, spilling past the budget) and written to a temporary
/// Parquet file, which the join then reads like any entity rows: typed keys, a timestamp.
struct HistoryEntityRows {
    let store: FeatureStore
    let views: [String]
    let start: Timestamp
    let end: Timestamp
    let options: HistoricalOptions

    /// Writes the rows to a Parquet file in `directory`, calls `body` with them, and removes
    /// the file.
    func withRows<R>(_ body: (EntityRows) throws -> R) throws -> R {
        let registry = try store.registry
        let (keys, types) = try joinKeys(registry)
        let directory = options.temporaryDirectory ?? NSTemporaryDirectory()
        let path = (directory as NSString).appendingPathComponent("larder-entities-\(UUID().uuidString).parquet")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try write(to: path, keys: keys, types: types)
        return try body(.parquet(path: path))
    }

    /// The join keys every view shares (in its entities' order), and their types.
    private func joinKeys(_ registry: Registry) throws -> ([String], [Entity.KeyType]) {
        var shared: [String]?
        for name in views {
            guard let view = registry.view(named: name) else { throw LarderError.unknownView(name: name, known: Array(registry.views.keys)) }
            if let shared, shared != view.entities {
                throw LarderError.invalidArgument(name: "features", reason: "a retrieval without entity rows needs views of the same entities: \(views.first!) has \(shared.joined(separator: ", ")), \(name) has \(view.entities.joined(separator: ", "))")
            }
            shared = view.entities
        }
        let entities = try (shared ?? []).map { name in
            guard let entity = registry.entity(named: name) else { throw LarderError.invalidArgument(name: "features", reason: "the entity \(name) is not defined") }
            return entity
        }
        return (entities.map(\.joinKey), entities.map(\.keyType))
    }

    private func write(to path: String, keys: [String], types: [Entity.KeyType]) throws {
        // Sort keys: the entity's stored key bytes, then the event time (big-endian, sign
        // flipped), so that byte order is key order and equal pairs are adjacent.
        let sorter = ExternalSorter(budget: options.memoryBudget, directory: options.temporaryDirectory ?? NSTemporaryDirectory())
        for view in views {
            try store.forEachHistoryRow(of: view, from: start, to: end, asOfSnapshot: options.asOfSnapshot) { row in
                var key = KeyEncoding.encode(row.entity)
                KeyEncoding.append(row.eventTime.microseconds, to: &key)
                try key.withUnsafeBytes { try sorter.append(key: $0) }
            }
        }
        let fields = zip(keys, types).map { ArrowField($0, $1 == .int64 ? .int64 : .string) } + [ArrowField(options.timestampColumn, .timestampMicrosecondsUTC)]
        let output = try OutputFile(path: path, access: .owner)
        do {
            let writer = try ParquetWriter(fields: fields, options: ParquetWriteOptions(compression: .uncompressed)) { try output.write($0) }
            var columns = fields.map { ArrowColumn($0.type) }
            // The previous key, in a buffer reused from row to row: equal pairs are adjacent.
            var previous: [UInt8] = []
            var first = true
            try sorter.sortedReader().forEach { key, _ in
                guard first || !previous.elementsEqual(key) else { return }
                first = false
                previous.removeAll(keepingCapacity: true)
                previous.append(contentsOf: key)
                let entityBytes = UnsafeRawBufferPointer(rebasing: key[..<(key.count - 8)])
                guard let entity = KeyEncoding.decode(entityBytes, types: types) else { return }
                for (index, value) in entity.enumerated() {
                    switch value {
                    case .int64(let number): columns[index].append(number)
                    case .string(let text): try columns[index].append(text)
                    }
                }
                columns[keys.count].append(KeyEncoding.loadInt64(at: key.count - 8, in: key))
                if columns[0].count == ColumnarFileWriter.groupRows {
                    try writer.write(rowGroup: columns)
                    for index in columns.indices { columns[index].removeAll() }
                }
            }
            try writer.write(rowGroup: columns)
            try writer.finish()
            try output.finish()
        } catch {
            output.discard()
            throw error
        }
    }
}

extension HistoricalOptions {
    /// These options for entity rows whose times are stored timestamps (the temporary Parquet
    /// file), whatever format the caller's own entity rows would have used.
    var readingTimesAsStored: HistoricalOptions {
        var options = self
        options.timestampFormat = .iso8601
        return options
    }
}
