#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A CSV file that could not be read, with the physical line where the problem is.
///
/// `line` is 0 when the file could not be opened at all; the description then leaves it out.
struct CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    let path: String
    let line: Int
    let message: String

    /// `data.csv:12: unterminated quoted field`, the shape compilers use so editors can jump to it.
    var description: String {
        line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)"
    }
}

/// Where one field's bytes lie in the reader's buffer.
private struct CSVFieldSpan {
    var start: Int
    var end: Int
}

/// One record, lent to the closure of `CSVReader.forEachRecord`.
///
/// Valid only inside the closure it is lent to: the bytes point into the reader's buffer, which
/// the next record overwrites. Copy out (`string(_:)`, or parse the value) before returning.
struct CSVRecord {
    /// The 1-based physical line where the record starts (a quoted field may span several).
    let line: Int
    /// The number of fields. The reader does not compare it with the header's.
    let count: Int
    fileprivate let bytes: UnsafePointer<UInt8>
    fileprivate let spans: UnsafePointer<CSVFieldSpan>
    /// Whether the fields and delimiters lie in the buffer as they were in the file: no field
    /// was quoted.
    fileprivate let isVerbatim: Bool
    fileprivate let delimiter: UInt8

    /// The field's bytes with quoting removed (`""` inside quotes is one `"`). Empty means null.
    func field(_ index: Int) -> UnsafeRawBufferPointer {
        precondition(index >= 0 && index < count, "CSV field \(index) out of range 0..<\(count)")
        let span = spans[index]
        return UnsafeRawBufferPointer(start: bytes + span.start, count: span.end - span.start)
    }

    /// The field as text; invalid UTF-8 is replaced, so use `ValueParser` where that must fail.
    func string(_ index: Int) -> String {
        String(decoding: field(index), as: UTF8.self)
    }

    /// The record's own bytes, without its line break, when they are comma-separated CSV of
    /// exactly its fields: no field quoted and a comma for the delimiter (an unquoted field
    /// holds no comma, quote or line break, so written back as is it reads the same). Else nil.
    var commaSeparatedText: UnsafeRawBufferPointer? {
        guard isVerbatim, delimiter == UInt8(ascii: ","), count > 0 else { return nil }
        let start = spans[0].start
        return UnsafeRawBufferPointer(start: bytes + start, count: spans[count - 1].end - start)
    }
}

/// A streaming RFC 4180 reader: one buffer, reused, so memory is bounded by the longest record
/// rather than the file, and fields are handed out as byte ranges without copying.
///
/// Records end at `\n` or `\r\n`; quoted fields may hold the delimiter, line breaks and `""`.
/// Blank lines are skipped, a UTF-8 byte-order mark is dropped, and a last record without a
/// line break is still read. Column counts are the caller's business.
final class CSVReader {
    let path: String
    /// The first record's fields.
    private(set) var header: [String] = []
    /// Bytes read from the file so far, for progress reporting.
    private(set) var bytesRead = 0
    /// The checksum of the bytes read so far: once the last record is read, the file's, from
    /// the very bytes that were parsed (no second pass, and no window for the file to change
    /// between fingerprinting and reading).
    private(set) var checksum = Checksum()
    /// The file's modification time when it was opened, in microseconds since the epoch.
    let modifiedAt: Int64

    private let delimiter: UInt8
    private let fileDescriptor: Int32
    /// `true` for the bytes that end an unquoted field's plain run: delimiter, quote, CR, LF.
    private let endsUnquotedRun: UnsafeMutablePointer<Bool>

    /// File data not yet dropped: the unfinished record and what follows it.
    private var data: GrowableBytes
    private var buffer: UnsafeMutablePointer<UInt8> { data.base }
    /// Bytes `0..<filled` of `buffer` hold file data.
    private var filled: Int { data.count }
    /// The first byte not yet consumed; while a record is being scanned, its first byte.
    private var position = 0
    /// The physical line of `position`.
    private var line = 1
    private var atEndOfFile = false

    private var spans: UnsafeMutablePointer<CSVFieldSpan>
    private var spanCapacity = 64
    private var fieldCount = 0
    private var recordLine = 0
    private var recordHasDoubledQuotes = false
    private var recordHasQuotedFields = false

    /// Opens `path` and reads the header record.
    ///
    /// `bufferSize` is where the buffer starts; a record longer than it grows the buffer.
    init(path: String, delimiter: UInt8 = UInt8(ascii: ","), bufferSize: Int = 1 << 20) throws(CSVError) {
        guard delimiter != quote, delimiter != lineFeed, delimiter != carriageReturn else {
            throw CSVError(path: path, line: 0, message: "the delimiter cannot be a quote or a line break")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw CSVError(path: path, line: 0, message: String(cString: strerror(errno)))
        }
        self.path = path
        self.delimiter = delimiter
        self.fileDescriptor = descriptor
        var info = stat()
        fstat(descriptor, &info)
        #if canImport(Darwin)
        let modified = info.st_mtimespec
        #else
        let modified = info.st_mtim
        #endif
        modifiedAt = Int64(modified.tv_sec) * 1_000_000 + Int64(modified.tv_nsec) / 1_000
        // Room for the byte-order mark at least, so it can be recognized in the first read.
        data = GrowableBytes(capacity: max(bufferSize, 4))
        spans = .allocate(capacity: spanCapacity)
        endsUnquotedRun = .allocate(capacity: 256)
        endsUnquotedRun.initialize(repeating: false, count: 256)
        for byte in [delimiter, quote, lineFeed, carriageReturn] { endsUnquotedRun[Int(byte)] = true }

        try refill()
        if filled >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { position = 3 }
        guard try nextRecord() else {
            throw CSVError(path: path, line: line, message: "the file is empty; expected a header row")
        }
        header = (0..<fieldCount).map { currentRecord.string($0) }
    }

    deinit {
        close(fileDescriptor)
        spans.deallocate()
        endsUnquotedRun.deallocate()
    }

    /// Calls `body` for every record after the header, in order; stops at the first error,
    /// the reader's (`CSVError`) or the one `body` throws, and throws it.
    ///
    /// With `malformed`, a record the reader cannot parse (a stray quote, a lone CR) goes to it
    /// instead, and reading goes on after the physical line where the problem is: each line
    /// stands alone, so one bad line costs only itself — unless a quote opened on it runs over
    /// the following lines, which then go with it and are named in the error. A quoted field left
    /// open at the end of the file costs the line it opens on, and reading resumes on the next.
    ///
    /// The reader is single-pass: a second call continues where the first stopped.
    func forEachRecord(_ body: (CSVRecord) throws -> Void, malformed: ((CSVError) throws -> Void)? = nil) throws {
        while true {
            do {
                guard try nextRecord() else { return }
            } catch {
                guard let malformed, error.line > 0 else { throw error }
                // A quoted field may have run over several lines (a stray opening quote): every
                // line up to the problem goes with it, and the reject says which, so no row
                // disappears without a trace.
                let spanned = error.line > recordLine
                    ? CSVError(path: error.path, line: error.line, message: error.message + "; the record began on line \(recordLine), so lines \(recordLine)-\(error.line) are skipped")
                    : error
                try malformed(spanned)
                try skipLines(through: error.line)
                continue
            }
            try body(currentRecord)
        }
    }

    /// Moves past the line feed that ends physical line `last` (or to the end of the file),
    /// from the start of the record that failed.
    private func skipLines(through last: Int) throws(CSVError) {
        line = recordLine
        while line <= last {
            if position == filled {
                if atEndOfFile { return }
                try refill()
                continue
            }
            if buffer[position] == lineFeed { line += 1 }
            position += 1
        }
    }

    private var currentRecord: CSVRecord {
        CSVRecord(line: recordLine, count: fieldCount, bytes: buffer, spans: spans, isVerbatim: !recordHasQuotedFields, delimiter: delimiter)
    }

    // MARK: - Records

    /// Reads the next record into `spans`; `false` at the end of the file.
    private func nextRecord() throws(CSVError) -> Bool {
        guard try skipBlankLines() else { return false }
        recordLine = line
        while try scanRecord() == .needsMoreInput {
            try refill()
        }
        if recordHasDoubledQuotes { collapseDoubledQuotes() }
        return true
    }

    /// Moves `position` past empty lines; `false` if the file ends first.
    private func skipBlankLines() throws(CSVError) -> Bool {
        while true {
            if position == filled {
                if atEndOfFile { return false }
                try refill()
                continue
            }
            switch buffer[position] {
            case lineFeed:
                position += 1
                line += 1
            case carriageReturn:
                if position + 1 == filled {
                    if !atEndOfFile {
                        try refill()
                        continue
                    }
                    position += 1  // A stray CR as the file's last byte ends nothing.
                } else if buffer[position + 1] == lineFeed {
                    position += 2
                    line += 1
                } else {
                    return true  // A record starting with a lone CR: scanning reports it.
                }
            default:
                return true
            }
        }
    }

    private enum ScanOutcome { case complete, needsMoreInput }

    /// Finds the fields of the record at `position` without changing the buffer, so that when
    /// the buffer ends mid-record, scanning can start over once more of the file is in.
    ///
    /// On `.complete`, `spans` holds the fields (quoted ones without their quotes, but with
    /// doubled quotes still doubled) and `position`/`line` are past the record's line break.
    private func scanRecord() throws(CSVError) -> ScanOutcome {
        let bytes = buffer
        let end = filled
        let isFinalChunk = atEndOfFile
        let endsRun = endsUnquotedRun
        let delimiter = delimiter
        var index = position
        var currentLine = recordLine
        var fields = 0
        recordHasDoubledQuotes = false
        recordHasQuotedFields = false

        func append(_ start: Int, _ stop: Int) {
            if fields == spanCapacity { growSpans() }
            spans[fields] = CSVFieldSpan(start: start, end: stop)
            fields += 1
        }
        func complete(at next: Int, line nextLine: Int) -> ScanOutcome {
            fieldCount = fields
            position = next
            line = nextLine
            return .complete
        }

        while true {
            if index < end && bytes[index] == quote {
                // A quoted field: runs to a quote that is not followed by another.
                recordHasQuotedFields = true
                let openingLine = currentLine
                var scan = index + 1
                while true {
                    while scan < end && bytes[scan] != quote {
                        if bytes[scan] == lineFeed { currentLine += 1 }
                        scan += 1
                    }
                    if scan == end {
                        guard isFinalChunk else { return .needsMoreInput }
                        throw error(line: openingLine, "unterminated quoted field")
                    }
                    if scan + 1 == end && !isFinalChunk { return .needsMoreInput }
                    guard scan + 1 < end && bytes[scan + 1] == quote else { break }
                    recordHasDoubledQuotes = true
                    scan += 2
                }
                append(index + 1, scan)
                index = scan + 1
                if index == end { return complete(at: index, line: currentLine) }  // Final chunk.
                let next = bytes[index]
                if next == delimiter {
                    index += 1
                    continue
                }
                if next == lineFeed { return complete(at: index + 1, line: currentLine + 1) }
                if next == carriageReturn {
                    return try recordEnd(atCarriageReturn: index)
                }
                throw error(line: currentLine, "\(describe(next)) after a closing quote; expected the delimiter or the end of the line")
            } else {
                // An unquoted field: a plain run up to the delimiter or the end of the record.
                var scan = index
                while scan < end && !endsRun[Int(bytes[scan])] { scan += 1 }
                if scan == end {
                    guard isFinalChunk else { return .needsMoreInput }
                    append(index, scan)
                    return complete(at: scan, line: currentLine)
                }
                append(index, scan)
                switch bytes[scan] {
                case delimiter:
                    index = scan + 1
                case lineFeed:
                    return complete(at: scan + 1, line: currentLine + 1)
                case carriageReturn:
                    return try recordEnd(atCarriageReturn: scan)
                default:
                    throw error(line: currentLine, "a quote inside an unquoted field; quote the whole field and double the quotes inside it")
                }
            }
        }

        /// A CR ends the record only as part of CRLF (or as the file's last byte).
        func recordEnd(atCarriageReturn index: Int) throws(CSVError) -> ScanOutcome {
            if index + 1 == end {
                guard isFinalChunk else { return .needsMoreInput }
                return complete(at: index + 1, line: currentLine)
            }
            guard bytes[index + 1] == lineFeed else {
                throw error(line: currentLine, "a carriage return without a line feed outside quotes (old Mac line endings?)")
            }
            return complete(at: index + 2, line: currentLine + 1)
        }
    }

    /// Rewrites each quoted field that had `""` in place, to a single `"`: the result is never
    /// longer, so it fits where the field was.
    private func collapseDoubledQuotes() {
        for fieldIndex in 0..<fieldCount {
            let span = spans[fieldIndex]
            var read = span.start
            var write = span.start
            while read < span.end {
                let byte = buffer[read]
                buffer[write] = byte
                write += 1
                read += byte == quote ? 2 : 1  // Inside the span every quote is doubled.
            }
            spans[fieldIndex].end = write
        }
    }

    // MARK: - Buffer

    /// Keeps the unfinished record (from `position`), moved to the front, and reads until the
    /// buffer is full or the file ends. A record that fills the whole buffer doubles it.
    private func refill() throws(CSVError) {
        if position > 0 {
            data.removeFirst(position)
            position = 0
        }
        if data.count == data.capacity { data.reserve(data.capacity) }  // doubles it
        while data.count < data.capacity && !atEndOfFile {
            let spare = data.spare
            let count = read(fileDescriptor, spare.baseAddress, spare.count)
            if count > 0 {
                checksum.add(UnsafeRawBufferPointer(rebasing: spare[..<count]))
                data.didAppend(count)
                bytesRead += count
            } else if count == 0 {
                atEndOfFile = true
            } else if errno != EINTR {
                throw error(line: line, String(cString: strerror(errno)))
            }
        }
    }

    private func growSpans() {
        let larger = UnsafeMutablePointer<CSVFieldSpan>.allocate(capacity: spanCapacity * 2)
        larger.moveInitialize(from: spans, count: spanCapacity)
        spans.deallocate()
        spans = larger
        spanCapacity *= 2
    }

    private func error(line: Int, _ message: String) -> CSVError {
        CSVError(path: path, line: line, message: message)
    }

    private func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }
}

private let quote: UInt8 = 0x22  // "
private let lineFeed: UInt8 = 0x0A
private let carriageReturn: UInt8 = 0x0D
