import Foundation
@testable import Larder
import TestSupport
import Testing

@Suite struct CSVReaderTests {
    /// A record copied out of the reader: its line and fields as text.
    struct Row: Equatable, CustomStringConvertible {
        let line: Int
        let fields: [String]
        var description: String { "\(line): \(fields)" }
    }

    /// Writes `contents` to a file and reads it whole: the header and every record.
    func read(
        _ contents: String, delimiter: UInt8 = UInt8(ascii: ","), bufferSize: Int = 1 << 20
    ) throws -> (header: [String], rows: [Row]) {
        try read(bytes: Array(contents.utf8), delimiter: delimiter, bufferSize: bufferSize)
    }

    func read(bytes: [UInt8], delimiter: UInt8 = UInt8(ascii: ","), bufferSize: Int = 1 << 20) throws -> (header: [String], rows: [Row]) {
        try withTemporaryDirectory { directory in
            let path = directory + "/data.csv"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let reader = try CSVReader(path: path, delimiter: delimiter, bufferSize: bufferSize)
            var rows: [Row] = []
            try reader.forEachRecord { record in
                rows.append(Row(line: record.line, fields: (0..<record.count).map { record.string($0) }))
            }
            #expect(reader.bytesRead == bytes.count)
            return (reader.header, rows)
        }
    }

    /// The error reading `contents` fails with.
    func readError(_ contents: String, bufferSize: Int = 1 << 20) throws -> CSVError? {
        do {
            _ = try read(contents, bufferSize: bufferSize)
            return nil
        } catch let error as CSVError {
            return error
        }
    }

    @Test func readsHeaderAndRecords() throws {
        let (header, rows) = try read("id,name\n1,ada\n2,grace\n")
        #expect(header == ["id", "name"])
        #expect(rows == [Row(line: 2, fields: ["1", "ada"]), Row(line: 3, fields: ["2", "grace"])])
    }

    @Test func quotedFieldsHoldDelimitersEscapedQuotesAndNewlines() throws {
        let (_, rows) = try read("a,b\n\"x,y\",\"say \"\"hi\"\"\"\n\"two\nlines\",\"three\r\nlines\nhere\"\nlast,row\n")
        #expect(rows == [
            Row(line: 2, fields: ["x,y", "say \"hi\""]),
            Row(line: 3, fields: ["two\nlines", "three\r\nlines\nhere"]),
            Row(line: 7, fields: ["last", "row"]),
        ])
    }

    @Test func unquotedRecordsLendTheirOwnText() throws {
        func texts(_ contents: String, delimiter: UInt8 = UInt8(ascii: ",")) throws -> [String?] {
            try withTemporaryDirectory { directory in
                let path = directory + "/data.csv"
                try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
                var texts: [String?] = []
                try CSVReader(path: path, delimiter: delimiter).forEachRecord { record in
                    texts.append(record.commaSeparatedText.map { String(decoding: $0, as: UTF8.self) })
                }
                return texts
            }
        }
        #expect(try texts("a,b,c\n1,,3\r\n\"x\",y,z\n4,5,\n,,\"\"\n") == ["1,,3", nil, "4,5,", nil])
        #expect(try texts("a;b\n1;2\n", delimiter: UInt8(ascii: ";")) == [nil])
    }

    @Test func loneCarriageReturnInsideQuotesIsData() throws {
        let (_, rows) = try read("a\n\"x\ry\"\n")
        #expect(rows == [Row(line: 2, fields: ["x\ry"])])
    }

    @Test func emptyFieldsAreZeroBytes() throws {
        let (_, rows) = try read("a,b,c\n,\"\",\n1,,3\n")
        #expect(rows == [Row(line: 2, fields: ["", "", ""]), Row(line: 3, fields: ["1", "", "3"])])
    }

    @Test func crlfLineEndings() throws {
        let (header, rows) = try read("a,b\r\n1,2\r\n\"3\",\"4\"\r\n")
        #expect(header == ["a", "b"])
        #expect(rows == [Row(line: 2, fields: ["1", "2"]), Row(line: 3, fields: ["3", "4"])])
    }

    @Test(arguments: [UInt8(ascii: "\t"), UInt8(ascii: ";")])
    func customDelimiter(delimiter: UInt8) throws {
        let separator = String(UnicodeScalar(delimiter))
        let text = ["a", "b,c"].joined(separator: separator) + "\n" + ["1,5", "\"x\(separator)y\""].joined(separator: separator) + "\n"
        let (header, rows) = try read(text, delimiter: delimiter)
        #expect(header == ["a", "b,c"])
        #expect(rows == [Row(line: 2, fields: ["1,5", "x\(separator)y"])])
    }

    @Test func byteOrderMarkIsStripped() throws {
        let (header, rows) = try read(bytes: [0xEF, 0xBB, 0xBF] + Array("id,v\n1,2\n".utf8))
        #expect(header == ["id", "v"])
        #expect(rows == [Row(line: 2, fields: ["1", "2"])])
    }

    @Test func blankLinesAreSkippedAndCounted() throws {
        let (header, rows) = try read("\n\na,b\n\n1,2\r\n\r\n\n3,4\n\n")
        #expect(header == ["a", "b"])
        #expect(rows == [Row(line: 5, fields: ["1", "2"]), Row(line: 8, fields: ["3", "4"])])
    }

    @Test func finalRecordWithoutNewline() throws {
        let (_, rows) = try read("a,b\n1,2\n3,4")
        #expect(rows == [Row(line: 2, fields: ["1", "2"]), Row(line: 3, fields: ["3", "4"])])
        let (_, quoted) = try read("a,b\n1,\"2\"")
        #expect(quoted == [Row(line: 2, fields: ["1", "2"])])
        let (_, trailingEmpty) = try read("a,b\n1,")
        #expect(trailingEmpty == [Row(line: 2, fields: ["1", ""])])
    }

    @Test func headerOnly() throws {
        let (header, rows) = try read("a,b")
        #expect(header == ["a", "b"])
        #expect(rows.isEmpty)
    }

    /// Every record crosses the end of a 16-byte buffer, and one is far longer than it.
    @Test func recordsLongerThanTheBuffer() throws {
        let long = String(repeating: "x", count: 1_000)
        let quoted = String(repeating: "q\"\"\n", count: 50)
        let text = "id,value\n1,\(long)\n2,\"\(quoted)\"\n3,short\r\n4,\"\(long)\"\n"
        let (header, rows) = try read(text, bufferSize: 16)
        #expect(header == ["id", "value"])
        #expect(rows == [
            Row(line: 2, fields: ["1", long]),
            Row(line: 3, fields: ["2", String(repeating: "q\"\n", count: 50)]),
            Row(line: 54, fields: ["3", "short"]),
            Row(line: 55, fields: ["4", long]),
        ])
    }

    /// The same records come out whatever the buffer size, so no boundary is special.
    @Test func everyBufferSizeGivesTheSameRecords() throws {
        let text = "\u{FEFF}a,b\r\n\"x,\"\"y\"\"\",2\r\n\n\"multi\nline\",\r\n,\"\"\nlast,\"q\"\r\n"
        let expected = try read(text)
        for size in 1...40 {
            let actual = try read(text, bufferSize: size)
            #expect(actual.header == expected.header, "buffer \(size)")
            #expect(actual.rows == expected.rows, "buffer \(size)")
        }
        #expect(expected.header == ["a", "b"])
        #expect(expected.rows == [
            Row(line: 2, fields: ["x,\"y\"", "2"]),
            Row(line: 4, fields: ["multi\nline", ""]),
            Row(line: 6, fields: ["", ""]),
            Row(line: 7, fields: ["last", "q"]),
        ])
    }

    @Test func recordsKeepTheirOwnFieldCount() throws {
        let (_, rows) = try read("a,b\n1\n1,2,3\n")
        #expect(rows == [Row(line: 2, fields: ["1"]), Row(line: 3, fields: ["1", "2", "3"])])
    }

    @Test func stopsWhenTheBodyThrows() throws {
        struct Stop: Error {}
        try withTemporaryDirectory { directory in
            let path = directory + "/data.csv"
            try "a\n1\n2\n3\n".write(toFile: path, atomically: true, encoding: .utf8)
            let reader = try CSVReader(path: path)
            var seen: [String] = []
            #expect(throws: Stop.self) {
                try reader.forEachRecord { record in
                    seen.append(record.string(0))
                    if seen.count == 2 { throw Stop() }
                }
            }
            #expect(seen == ["1", "2"])
        }
    }

    // MARK: - Errors

    @Test func unterminatedQuoteReportsWhereItOpened() throws {
        let error = try readError("a,b\n1,2\n3,\"open\nand on\nand on")
        #expect(error == CSVError(path: error?.path ?? "", line: 3, message: "unterminated quoted field"))
        #expect(error?.description.hasSuffix("data.csv:3: unterminated quoted field") == true)
        #expect(try readError("a,b\n1,2\n3,\"open\nand on\nand on", bufferSize: 16)?.line == 3)
    }

    @Test func quoteInsideUnquotedField() throws {
        let error = try readError("a,b\n1,2\n3,ab\"c\"\n")
        #expect(error?.line == 3)
        #expect(error?.message.contains("quote inside an unquoted field") == true)
    }

    @Test func charactersAfterClosingQuote() throws {
        let error = try readError("a,b\n\"x\ny\",2\n\"3\"x,4\n")
        #expect(error?.line == 4)
        #expect(error?.message.contains("'x' after a closing quote") == true)
    }

    @Test func loneCarriageReturnOutsideQuotes() throws {
        let error = try readError("a,b\r1,2\r")
        #expect(error?.line == 1)
        #expect(error?.message.contains("carriage return") == true)
    }

    @Test func missingFileReportsLineZero() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/missing.csv"
            #expect(throws: CSVError(path: path, line: 0, message: "No such file or directory")) {
                _ = try CSVReader(path: path)
            }
            let error = CSVError(path: path, line: 0, message: "No such file or directory")
            #expect(error.description == "\(path): No such file or directory")
        }
    }

    @Test func directoryCannotBeRead() throws {
        _ = try withTemporaryDirectory { directory in
            #expect(throws: CSVError(path: directory, line: 1, message: "Is a directory")) {
                _ = try CSVReader(path: directory)
            }
        }
    }

    @Test func emptyFileHasNoHeader() throws {
        for contents in ["", "\n\n", "\u{FEFF}"] {
            let error = try readError(contents)
            #expect(error?.message.contains("empty") == true, "\(contents.debugDescription)")
        }
    }

    @Test func delimiterCannotBeAQuote() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/data.csv"
            try "a\n".write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: CSVError.self) { _ = try CSVReader(path: path, delimiter: UInt8(ascii: "\"")) }
        }
    }
}
