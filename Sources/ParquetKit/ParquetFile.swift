#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open Parquet file: its footer, read when opened, and its column chunks' pages on demand.
public final class ParquetFile {
    public let path: String
    public let metadata: FileMetaData
    /// The leaf columns, in the order of a row group's column chunks (the schema walked once).
    public let columns: [ColumnDescriptor]
    private let descriptor: Int32
    /// Where the footer starts: no page may reach past it.
    private let dataEnd: Int
    /// A column chunk's stored bytes and a page decompressed, reused from chunk to chunk (so
    /// that reading a chunk does not fault in fresh pages of memory each time). A file is read
    /// by one thread at a time.
    private var chunkBuffer: [UInt8] = []
    private var pageBuffer: [UInt8] = []

    /// A page larger than this is refused rather than allocated: writers use pages of about a
    /// megabyte, and a damaged header must not make the reader ask for gigabytes.
    public static let maximumPageSize = 256 << 20

    /// Opens the file and reads its footer and schema.
    public init(path: String) throws(ParquetError) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ParquetError(file: path, reason: "cannot open it: " + String(cString: strerror(errno))) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = "cannot read its size: " + String(cString: strerror(errno))
            close(descriptor)
            throw ParquetError(file: path, reason: reason)
        }
        do {
            (metadata, dataEnd) = try ParquetFooter.read(descriptor, size: Int(status.st_size), path: path)
        } catch {
            close(descriptor)
            throw error
        }
        do { columns = try metadata.columnDescriptors() } catch {
            close(descriptor)
            throw ParquetError(file: path, reason: "its schema cannot be read: \(error)")
        }
    }

    deinit { close(descriptor) }

    /// Calls `body` with each page of a column chunk in order, its bytes decompressed (for a v2
    /// data page: the levels as stored, then the values decompressed) and lent for the call.
    /// Checks that the pages hold the values the chunk announces.
    public func forEachPage(
        rowGroup: Int, column: Int, _ body: (PageHeader, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let (chunk, place) = try columnChunk(rowGroup: rowGroup, column: column)
        func failure(_ reason: String) -> ParquetError { ParquetError(file: path, reason: "\(place): \(reason)") }
        let start = Int(chunk.dictionaryPageOffset.map { min($0, chunk.dataPageOffset) } ?? chunk.dataPageOffset)
        let length = Int(chunk.totalCompressedSize)
        guard start >= 4, length > 0, start <= dataEnd, length <= dataEnd - start else {
            throw failure("its pages (\(length) bytes at \(start)) lie outside the file's data")
        }
        if chunkBuffer.count < length { chunkBuffer = [UInt8](repeating: 0, count: length) }
        try readBytes(descriptor, at: start, count: length, path: path, into: &chunkBuffer)
        var values: Int64 = 0
        // Lent to the loop below, and given back after it even if it throws.
        var buffer = pageBuffer
        pageBuffer = []
        defer { pageBuffer = buffer }
        let bytes = chunkBuffer
        chunkBuffer = []
        defer { chunkBuffer = bytes }
        try bytes.withUnsafeBytes { stored in
            let chunkBytes = UnsafeRawBufferPointer(rebasing: stored[..<length])
            var offset = 0
            while offset < chunkBytes.count {
                var reader = CompactReader(UnsafeRawBufferPointer(rebasing: chunkBytes[offset...]))
                let header: PageHeader
                do { header = try PageHeader(from: &reader) } catch { throw failure("the page header at byte \(start + offset) cannot be read: \(error)") }
                offset += reader.offset
                let (compressed, uncompressed) = (Int(header.compressedSize), Int(header.uncompressedSize))
                guard compressed <= chunkBytes.count - offset else { throw failure("a page of \(compressed) bytes runs past the column chunk") }
                guard uncompressed <= Self.maximumPageSize else {
                    throw failure("a page of \(uncompressed) bytes is larger than the \(Self.maximumPageSize >> 20) MB this reader accepts")
                }
                let stored = UnsafeRawBufferPointer(rebasing: chunkBytes[offset..<offset + compressed])
                offset += compressed
                if header.kind == .indexPage { continue }
                if header.kind != .dictionaryPage { values += Int64(header.valueCount) }
                if buffer.count < uncompressed { buffer = [UInt8](repeating: 0, count: uncompressed) }
                try buffer.withUnsafeMutableBytes { output in
                    let page = UnsafeMutableRawBufferPointer(rebasing: output[..<uncompressed])
                    if let problem = Self.decode(stored, header: header, codec: chunk.codec, into: page) {
                        throw failure("the page at byte \(start + offset - compressed): " + problem)
                    }
                    try body(header, UnsafeRawBufferPointer(page))
                }
            }
        }
        guard values == chunk.numValues else { throw failure("its pages hold \(values) values where the column chunk announces \(chunk.numValues)") }
    }

    /// Decompresses a page into `output`, leaving a v2 page's levels as they are stored.
    private static func decode(_ stored: UnsafeRawBufferPointer, header: PageHeader, codec: CompressionCodec,
                               into output: UnsafeMutableRawBufferPointer) -> String? {
        guard let v2 = header.dataPageV2 else { return Decompression.decompress(stored, codec: codec, into: output) }
        let levels = Int(v2.definitionLevelsByteLength) + Int(v2.repetitionLevelsByteLength)
        guard levels <= stored.count, levels <= output.count else { return "has levels longer than the page" }
        if let source = stored.baseAddress, let target = output.baseAddress, levels > 0 { target.copyMemory(from: source, byteCount: levels) }
        let values = UnsafeRawBufferPointer(rebasing: stored[levels...])
        return Decompression.decompress(values, codec: v2.isCompressed ? codec : .uncompressed,
                                        into: UnsafeMutableRawBufferPointer(rebasing: output[levels...]))
    }

    /// A column chunk's metadata and how errors name it ("row group 0, column city").
    private func columnChunk(rowGroup: Int, column: Int) throws(ParquetError) -> (ColumnMetaData, String) {
        guard metadata.rowGroups.indices.contains(rowGroup) else {
            throw ParquetError(file: path, reason: "there is no row group \(rowGroup) (the file has \(metadata.rowGroups.count))")
        }
        let columns = metadata.rowGroups[rowGroup].columns
        guard columns.indices.contains(column) else {
            throw ParquetError(file: path, reason: "row group \(rowGroup) has no column \(column) (it has \(columns.count))")
        }
        let place = "row group \(rowGroup), column \(column)"
        guard let chunk = columns[column].metaData else { throw ParquetError(file: path, reason: "\(place) has no metadata") }
        guard columns[column].filePath == nil else {
            throw ParquetError(file: path, reason: "\(place) lives in another file (\(columns[column].filePath!)), which is not supported")
        }
        return (chunk, "row group \(rowGroup), column \(chunk.pathInSchema.joined(separator: "."))")
    }
}
