#if canImport(Glibc)
import Glibc
#endif

/// A CSV file as a `RowSource`: fields stay bytes in the reader's buffer until a column is parsed.
struct CSVRowSource: RowSource {
    let reader: CSVReader
    var name: String { reader.path }
    var columns: [String] { reader.header }
    var bytesRead: Int { reader.bytesRead }
    let totalBytes: Int

    init(path: String, delimiter: Character) throws {
        guard let byte = delimiter.asciiValue else {
            throw SourceError(file: path, line: 0, column: nil, reason: "the delimiter must be one ASCII character")
        }
        var info = stat()
        totalBytes = stat(path, &info) == 0 ? Int(info.st_size) : 0
        do {
            reader = try CSVReader(path: path, delimiter: byte)
        } catch {
            throw SourceError(file: error.path, line: error.line, column: nil, reason: error.message)
        }
    }

    /// The file's fingerprint, from the bytes read: complete once every row has been read.
    var fingerprint: SourceFingerprint {
        SourceFingerprint(path: reader.path, size: reader.bytesRead, checksum: reader.checksum.hex,
                          modifiedAt: Timestamp(microseconds: reader.modifiedAt))
    }

    func forEachRow(malformed: ((SourceError) throws -> Void)?, _ body: (CSVRecord) throws -> Void) throws {
        do {
            try reader.forEachRecord(body, malformed: malformed.map { handle in
                { error in try handle(SourceError(file: error.path, line: error.line, column: nil, reason: error.message)) }
            })
        } catch let error as CSVError {
            throw SourceError(file: error.path, line: error.line, column: nil, reason: error.message)
        }
    }
}

extension CSVRecord: SourceRow {
    var fieldCount: Int { count }

    func isEmpty(_ column: Int) -> Bool { field(column).isEmpty }

    func encode(_ column: Int, as type: ValueType, format: TimestampFormat, into encoder: inout RowEncoder, field index: Int) -> ValueParseError? {
        ValueParser.encode(field(column), as: type, timestampFormat: format, into: &encoder, field: index)
    }

    func writeKey(_ column: Int, as type: Entity.KeyType, into key: UnsafeMutableRawBufferPointer, at offset: Int) -> Result<KeyCell, ValueParseError> {
        KeyField.write(field(column), as: type, into: key, at: offset)
    }

    func rawField(_ column: Int) -> UnsafeRawBufferPointer? { field(column) }

    func timestamp(_ column: Int, format: TimestampFormat) -> Result<Timestamp, ValueParseError> {
        TimestampParser.parse(field(column), format: format)
    }
}
