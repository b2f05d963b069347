/// Writes an Arrow IPC file (Feather v2: what `pyarrow.ipc.open_file` and `pandas.read_feather`
/// read) batch by batch through a byte sink, so a file of any size takes one batch of memory.
///
/// The layout: the magic `ARROW1` padded to 8 bytes; the schema message; one record batch
/// message per batch (a 0xFFFFFFFF marker, the metadata's length, the FlatBuffers metadata,
/// then the body: each buffer padded to 8 bytes); the end-of-stream marker; the footer (the
/// schema again and where each batch starts), its length and the magic again.
public final class ArrowFileWriter {
    public let fields: [ArrowField]
    private let sink: (UnsafeRawBufferPointer) throws -> Void
    private var position = 0
    private var blocks: [ArrowMetadata.Block] = []
    private static let magic = Array("ARROW1".utf8)

    /// Writes the magic and the schema; `sink` receives the file's bytes in order.
    public init(fields: [ArrowField], sink: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        self.fields = fields
        self.sink = sink
        try emit(Self.magic + [0, 0])
        try writeMessage(ArrowMetadata.message(.schema, ArrowMetadata.schema(fields), bodyLength: 0))
    }

    /// Writes one record batch: a column per field, all of the same length.
    public func write(_ columns: [ArrowColumn]) throws {
        guard columns.count == fields.count else {
            throw ArrowError.schemaMismatch("a batch of \(columns.count) columns for a schema of \(fields.count)")
        }
        let rows = columns.first?.count ?? 0
        for (field, column) in zip(fields, columns) where column.type != field.type || column.count != rows {
            throw ArrowError.schemaMismatch("column \(field.name): \(column.count) \(column.type) values where the batch has \(rows) \(field.type)")
        }
        // The metadata first, from the buffers' lengths; then the buffers themselves, in the same order.
        var nodes: [(length: Int, nullCount: Int)] = []
        var buffers: [(offset: Int, length: Int)] = []
        var bodyLength = 0
        for column in columns {
            Self.forEachBuffer(of: column, node: { nodes.append(($0.count, $0.nullCount)) }) { buffer in
                buffers.append((bodyLength, buffer.count))
                bodyLength += (buffer.count + 7) & ~7
            }
        }
        let start = position
        let metadata = ArrowMetadata.message(.recordBatch, ArrowMetadata.recordBatch(rows: rows, nodes: nodes, buffers: buffers), bodyLength: bodyLength)
        let metadataLength = try writeMetadata(metadata)
        for column in columns {
            try Self.forEachBuffer(of: column, node: { _ in }, emitPadded)
        }
        blocks.append(ArrowMetadata.Block(offset: start, metadataLength: metadataLength, bodyLength: bodyLength))
    }

    /// Lends a column's buffers in IPC order, depth first: validity (empty when nothing is
    /// null), then offsets and values, or offsets and the element column's buffers.
    private static func forEachBuffer(
        of column: ArrowColumn, node: (ArrowColumn) -> Void, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) rethrows {
        node(column)
        if column.nullCount == 0 { try body(UnsafeRawBufferPointer(start: nil, count: 0)) } else { try column.validity.withUnsafeBytes(body) }
        switch column.type {
        case .string, .binary:
            try column.offsets.withUnsafeBytes(body)
            try column.withValueBytes(body)
        case .list:
            try column.offsets.withUnsafeBytes(body)
            try forEachBuffer(of: column.elements!, node: node, body)
        default:
            try column.withValueBytes(body)
        }
    }

    /// Writes the end-of-stream marker and the footer. The file is complete after this.
    public func finish() throws {
        try emit([0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0])
        let footer = ArrowMetadata.footer(fields, recordBatches: blocks).serialized()
        try emit(footer)
        var length = Int32(footer.count).littleEndian
        try withUnsafeBytes(of: &length) { try emit($0) }
        try emit(Self.magic)
    }

    /// A message without a body: the marker, the metadata's length, the metadata.
    private func writeMessage(_ message: FlatTable) throws {
        _ = try writeMetadata(message)
    }

    /// Writes a message's marker, length and metadata; returns how many bytes that took.
    private func writeMetadata(_ message: FlatTable) throws -> Int {
        let metadata = message.serialized()  // A multiple of 8 bytes long, so the body is aligned.
        var prefix: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF]
        withUnsafeBytes(of: Int32(metadata.count).littleEndian) { prefix.append(contentsOf: $0) }
        try emit(prefix)
        try emit(metadata)
        return prefix.count + metadata.count
    }

    private func emitPadded(_ buffer: UnsafeRawBufferPointer) throws {
        try emit(buffer)
        let padding = (8 - buffer.count % 8) % 8
        if padding > 0 { try emit([UInt8](repeating: 0, count: padding)) }
    }

    private func emit(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try emit($0) }
    }

    private func emit(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        try sink(bytes)
        position += bytes.count
    }
}
