import ArrowKit

/// How `ParquetWriter` encodes: the codec of every page, dictionary encoding of strings where
/// it pays, and the size data pages aim at.
public struct ParquetWriteOptions: Sendable {
    /// SNAPPY (the default, as pyarrow's), ZSTD, GZIP or UNCOMPRESSED.
    public var compression: CompressionCodec
    public var dictionary: Bool
    public var pageSize: Int
    public var createdBy: String

    public init(compression: CompressionCodec = .snappy, dictionary: Bool = true, pageSize: Int = 1 << 20, createdBy: String = "Larder ParquetKit") {
        self.compression = compression
        self.dictionary = dictionary
        self.pageSize = max(1, pageSize)
        self.createdBy = createdBy
    }
}

/// Writes a Parquet file row group by row group through a byte sink, so a file of any size
/// takes one row group of memory (its Arrow columns, and one encoded column chunk at a time).
///
/// The layout: `PAR1`; each row group's column chunks in schema order; the footer (Thrift
/// compact `FileMetaData`: schema, row groups, each chunk's offsets, encodings and statistics),
/// its 4-byte length and `PAR1` again.
public final class ParquetWriter {
    public let fields: [ArrowField]
    public let options: ParquetWriteOptions
    private let sink: (UnsafeRawBufferPointer) throws -> Void
    private var position = 0
    private var rowGroups: [RowGroup] = []
    private var rows: Int64 = 0
    private let buffers = ColumnChunkWriter.Buffers()
    private static let magic = Array("PAR1".utf8)

    /// Writes the leading magic; `sink` receives the file's bytes in order.
    public init(fields: [ArrowField], options: ParquetWriteOptions = ParquetWriteOptions(),
                sink: @escaping (UnsafeRawBufferPointer) throws -> Void) throws {
        guard [.uncompressed, .snappy, .zstd, .gzip].contains(options.compression) else {
            throw ParquetWriteError("the codec \(options.compression) cannot be written (SNAPPY, ZSTD, GZIP and UNCOMPRESSED can)")
        }
        self.fields = fields
        self.options = options
        self.sink = sink
        try emit(Self.magic)
    }

    /// Writes one row group: a column per field, all of the same length. An empty group is
    /// not written.
    public func write(rowGroup columns: [ArrowColumn]) throws {
        guard columns.count == fields.count else {
            throw ParquetWriteError("a row group of \(columns.count) columns for a schema of \(fields.count)")
        }
        let count = columns.first?.count ?? 0
        for (field, column) in zip(fields, columns) where column.type != field.type || column.count != count {
            throw ParquetWriteError("column \(field.name): \(column.count) \(column.type) values where the row group has \(count) \(field.type)")
        }
        guard count > 0 else { return }
        var chunks: [ColumnChunk] = []
        var uncompressed: Int64 = 0
        for (field, column) in zip(fields, columns) {
            let metadata = try ColumnChunkWriter(column: column, field: field, options: options).write(at: position, buffers: buffers, emit: emit)
            chunks.append(ColumnChunk(filePath: nil, fileOffset: metadata.dictionaryPageOffset ?? metadata.dataPageOffset, metaData: metadata))
            uncompressed += metadata.totalUncompressedSize
        }
        rowGroups.append(RowGroup(columns: chunks, totalByteSize: uncompressed, numRows: Int64(count)))
        rows += Int64(count)
    }

    /// Writes the footer. The file is complete after this.
    public func finish() throws {
        let metadata = FileMetaData(version: 2, schema: WriterSchema.elements(fields), numRows: rows, rowGroups: rowGroups,
                                    keyValueMetadata: [], createdBy: options.createdBy)
        let footer = metadata.encoded()
        try emit(footer)
        var length: [UInt8] = []
        appendLittleEndian(UInt32(footer.count), to: &length)
        try emit(length)
        try emit(Self.magic)
    }

    private func emit(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes(emit)
    }

    private func emit(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        try sink(bytes)
        position += bytes.count
    }
}
