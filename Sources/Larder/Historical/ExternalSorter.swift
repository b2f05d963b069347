import Foundation

/// Sorts (key, payload) records by key bytes within a memory budget: records accumulate in
/// one buffer; past the budget they are sorted and written to a run file; at the end the runs
/// are merged. With little data nothing touches the disk.
final class ExternalSorter {
    private struct Record {
        var start: Int
        var keyLength: Int
        var payloadLength: Int
    }

    private let budget: Int
    private let directory: String
    private var arena: [UInt8] = []
    private var records: [Record] = []
    private var runs: [String] = []

    init(budget: Int, directory: String) {
        self.budget = max(budget, 1 << 16)
        self.directory = directory
    }

    deinit {
        for run in runs { try? FileManager.default.removeItem(atPath: run) }
    }

    /// How many runs went to disk (for tests and reports).
    var spilledRuns: Int { runs.count }

    func append(key: [UInt8], payload: UnsafeRawBufferPointer) throws {
        records.append(Record(start: arena.count, keyLength: key.count, payloadLength: payload.count))
        arena += key
        arena += payload
        if arena.count + records.count * MemoryLayout<Record>.stride > budget { try spill() }
    }

    func append(key: [UInt8]) throws {
        try append(key: key, payload: UnsafeRawBufferPointer(start: nil, count: 0))
    }

    private func sortInMemory() {
        arena.withUnsafeBytes { bytes in
            records.sort { compare(bytes, $0.start, $0.keyLength, $1.start, $1.keyLength) < 0 }
        }
    }

    private func spill() throws {
        sortInMemory()
        let path = directory + "/larder-sort-\(UUID().uuidString).run"
        guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
            throw SourceError(file: path, line: 0, column: nil, reason: "cannot create a temporary sort file")
        }
        runs.append(path)
        defer { try? file.close() }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        for record in records {
            buffer += littleEndianBytes(UInt32(record.keyLength))
            buffer += littleEndianBytes(UInt32(record.payloadLength))
            buffer += arena[record.start..<record.start + record.keyLength + record.payloadLength]
            if buffer.count >= 1 << 20 {
                try file.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try file.write(contentsOf: buffer)
        arena.removeAll(keepingCapacity: true)
        records.removeAll(keepingCapacity: true)
    }

    /// A reader that hands out the records in key order, one call at a time.
    func sortedReader() throws -> SortedReader {
        if runs.isEmpty {
            sortInMemory()
            return SortedReader(arena: arena, records: records.map { ($0.start, $0.keyLength, $0.payloadLength) })
        }
        if !records.isEmpty { try spill() }
        return SortedReader(runs: try runs.map { try RunReader(path: $0) })
    }

    /// Calls `body` with every record in key order (ties keep no particular order: make keys
    /// unique where order matters).
    func forEachSorted(_ body: (_ key: UnsafeRawBufferPointer, _ payload: UnsafeRawBufferPointer) throws -> Void) throws {
        let reader = try sortedReader()
        while try reader.next(body) != nil {}
    }
}

/// Records in key order, pulled one at a time: from memory, or merged from run files.
final class SortedReader {
    private let arena: [UInt8]
    private let records: [(start: Int, keyLength: Int, payloadLength: Int)]
    private var position = 0
    private let runs: [RunReader]

    fileprivate init(arena: [UInt8], records: [(start: Int, keyLength: Int, payloadLength: Int)]) {
        self.arena = arena
        self.records = records
        self.runs = []
    }

    init(runs: [RunReader]) {
        self.arena = []
        self.records = []
        self.runs = runs
    }

    /// Lends the next record to `body` (its bytes are valid only inside), or returns nil at the end.
    func next<R>(_ body: (_ key: UnsafeRawBufferPointer, _ payload: UnsafeRawBufferPointer) throws -> R) throws -> R? {
        if runs.isEmpty {
            guard position < records.count else { return nil }
            let record = records[position]
            position += 1
            return try arena.withUnsafeBytes { bytes in
                try body(
                    UnsafeRawBufferPointer(rebasing: bytes[record.start..<record.start + record.keyLength]),
                    UnsafeRawBufferPointer(rebasing: bytes[record.start + record.keyLength..<record.start + record.keyLength + record.payloadLength]))
            }
        }
        var smallest: Int?
        for (index, reader) in runs.enumerated() where reader.current != nil {
            guard let best = smallest else { smallest = index; continue }
            if reader.current!.key.lexicographicallyPrecedes(runs[best].current!.key) { smallest = index }
        }
        guard let index = smallest, let record = runs[index].current else { return nil }
        let result = try record.key.withUnsafeBytes { key in
            try record.payload.withUnsafeBytes { payload in try body(key, payload) }
        }
        try runs[index].advance()
        return result
    }
}

/// Reads a run file record by record through a buffer.
final class RunReader {
    private let file: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private(set) var current: (key: [UInt8], payload: [UInt8])?

    init(path: String) throws {
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw SourceError(file: path, line: 0, column: nil, reason: "cannot read a temporary sort file")
        }
        self.file = file
        try advance()
    }

    deinit { try? file.close() }

    /// Makes `count` unread bytes available, reading more of the file; false at its end.
    private func fill(_ count: Int) throws -> Bool {
        while buffer.count - position < count {
            if position > 0 {
                buffer.removeFirst(position)
                position = 0
            }
            guard let chunk = try file.read(upToCount: max(1 << 20, count)), !chunk.isEmpty else { return false }
            buffer += chunk
        }
        return true
    }

    func advance() throws {
        guard try fill(8) else { current = nil; return }
        let (keyLength, payloadLength) = buffer.withUnsafeBytes {
            (Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: position, as: UInt32.self))),
             Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: position + 4, as: UInt32.self))))
        }
        guard try fill(8 + keyLength + payloadLength) else { current = nil; return }
        let keyStart = position + 8
        current = (Array(buffer[keyStart..<keyStart + keyLength]), Array(buffer[keyStart + keyLength..<keyStart + keyLength + payloadLength]))
        position = keyStart + keyLength + payloadLength
    }
}
