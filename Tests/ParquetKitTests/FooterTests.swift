import Foundation
import ParquetKit
import Testing

/// Footers written by pyarrow (Fixtures/make-fixtures.py), read back field by field; and files
/// that are not Parquet, or are damaged, refused with the file and the reason.
@Suite struct FooterTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    func withTemporaryFile(_ bytes: [UInt8], _ body: (String) throws -> Void) throws {
        let path = NSTemporaryDirectory() + "/parquetkit-\(UUID().uuidString).parquet"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        try body(path)
    }

    func fixtureBytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/" + name)))
    }

    @Test func readsEveryColumnOfAPyarrowFile() throws {
        let footer = try ParquetFile(path: Self.fixtures + "/types-snappy.parquet").metadata
        #expect(footer.numRows == 4)
        #expect(footer.createdBy?.hasPrefix("parquet-cpp-arrow") == true)
        #expect(footer.keyValueMetadata.contains { $0.key == "ARROW:schema" })
        #expect(footer.rowGroups.map(\.numRows) == [2, 2])
        let names = footer.schema.map(\.name)
        #expect(names == ["schema", "driver_id", "event_timestamp", "naive_ms", "conv_rate", "acc_rate", "trips", "small", "city",
                          "active", "day", "price", "embedding", "list", "element"])
        let byName = Dictionary(footer.schema.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byName["schema"]?.numChildren == 12)
        #expect(byName["driver_id"]?.type == .int64)
        #expect(byName["driver_id"]?.repetition == .optional)
        #expect(byName["event_timestamp"]?.logicalType == .timestamp(isAdjustedToUTC: true, unit: .micros))
        #expect(byName["naive_ms"]?.logicalType == .timestamp(isAdjustedToUTC: false, unit: .millis))
        #expect(byName["conv_rate"]?.type == .double)
        #expect(byName["acc_rate"]?.type == .float)
        #expect(byName["small"]?.logicalType == .integer(bitWidth: 8, isSigned: true))
        #expect(byName["city"]?.logicalType == .string)
        #expect(byName["active"]?.type == .boolean)
        #expect(byName["day"]?.logicalType == .date)
        #expect(byName["price"]?.type == .fixedLenByteArray)
        #expect(byName["price"]?.typeLength == 4)
        #expect(byName["price"]?.logicalType == .decimal(scale: 2, precision: 9))
        #expect(byName["embedding"]?.logicalType == .list)
        #expect(byName["list"]?.repetition == .repeated)
        #expect(byName["element"]?.type == .float)

        let first = try #require(footer.rowGroups[0].columns.first?.metaData)
        #expect(first.pathInSchema == ["driver_id"])
        #expect(first.codec == .snappy)
        #expect(first.numValues == 2)
        #expect(first.encodings.contains(.rleDictionary))
        #expect(first.dictionaryPageOffset == 4)
        #expect(first.dataPageOffset == 36)
        #expect(first.statistics?.minValue == withUnsafeBytes(of: Int64(1001).littleEndian, Array.init))
        #expect(first.statistics?.maxValue == withUnsafeBytes(of: Int64(1002).littleEndian, Array.init))
        #expect(first.statistics?.nullCount == 0)
        let embedding = try #require(footer.rowGroups[0].columns.last?.metaData)
        #expect(embedding.pathInSchema == ["embedding", "list", "element"])
    }

    @Test func readsTheCodecOfAZstdFile() throws {
        let footer = try ParquetFile(path: Self.fixtures + "/two-columns-zstd.parquet").metadata
        #expect(footer.rowGroups.flatMap(\.columns).compactMap(\.metaData?.codec) == [.zstd, .zstd])
        #expect(footer.schema.map(\.name) == ["schema", "driver_id", "city"])
    }

    /// The file and the reason, for each way a file can fail to be Parquet.
    @Test(arguments: [
        ("empty", "too short"),
        ("csv", "does not start with PAR1"),
        ("truncated", "does not end with PAR1"),
        ("length", "does not fit"),
        ("encrypted", "encrypted"),
        ("garbage footer", "footer cannot be read"),
    ])
    func refusesWhatIsNotAReadableParquetFile(damage: String, reason: String) throws {
        var bytes = try fixtureBytes("two-columns-zstd.parquet")
        switch damage {
        case "empty": bytes = []
        case "csv": bytes = Array("driver_id,city\n1,a\n2,b\n".utf8)
        case "truncated": bytes.removeLast(100)
        case "length": bytes.replaceSubrange(bytes.count - 8..<bytes.count - 4, with: [0xFF, 0xFF, 0xFF, 0x7F])
        case "encrypted": bytes.replaceSubrange(bytes.count - 4..<bytes.count, with: Array("PARE".utf8))
        default:
            let length = Int(bytes[bytes.count - 8]) | Int(bytes[bytes.count - 7]) << 8
            for index in bytes.count - 8 - length..<bytes.count - 8 { bytes[index] = 0xFF }
        }
        try withTemporaryFile(bytes) { path in
            #expect {
                _ = try ParquetFile(path: path)
            } throws: { error in
                guard let error = error as? ParquetError else { return false }
                return error.file == path && error.reason.contains(reason)
            }
        }
    }

    @Test func aMissingFileIsAnError() {
        #expect(throws: ParquetError.self) { _ = try ParquetFile(path: "/nonexistent/x.parquet") }
    }

    /// Every prefix of a real footer, and every single-byte change to it, is read or refused
    /// with a `ThriftError` — never a crash.
    @Test func damagedMetadataIsRefusedNotCrashedOn() throws {
        let bytes = try fixtureBytes("types-snappy.parquet")
        let length = Int(bytes[bytes.count - 8]) | Int(bytes[bytes.count - 7]) << 8
        let footer = Array(bytes[bytes.count - 8 - length..<bytes.count - 8])
        for cut in stride(from: 0, to: footer.count, by: 7) {
            _ = try? footer[..<cut].withUnsafeBytes { try FileMetaData(thrift: $0) }
        }
        var changed = footer
        for index in stride(from: 0, to: footer.count, by: 3) {
            for value: UInt8 in [0x00, 0x0F, 0x19, 0xFF] {
                changed[index] = value
                _ = try? changed.withUnsafeBytes { try FileMetaData(thrift: $0) }
            }
            changed[index] = footer[index]
        }
    }
}

/// The Thrift compact protocol on hand-made bytes.
@Suite struct CompactReaderTests {
    @Test func readsVarintsZigzagAndStrings() throws {
        let bytes: [UInt8] = [0x96, 0x01, 0x03, 0x04, 0x61, 0x62, 0x63, 0x64]
        let (varint, signed, text, atEnd) = try bytes.withUnsafeBytes { raw in
            var reader = CompactReader(raw)
            return (try reader.readVarint(), try reader.readI64(), try reader.readString(), reader.isAtEnd)
        }
        #expect(varint == 150)
        #expect(signed == -2)
        #expect(text == "abcd")
        #expect(atEnd)
    }

    @Test func skipsUnknownFieldsOfEveryType() throws {
        // A struct: field 1 i32 = 5, field 2 bool true, field 5 (delta 3) list of 2 binaries,
        // field 20 (long form) double, field 21 map<i32, bool> of 1 entry, then stop.
        let bytes: [UInt8] = [0x15, 0x0A, 0x11, 0x39, 0x28, 0x01, 0x61, 0x00, 0x07, 0x28, 0, 0, 0, 0, 0, 0, 0, 0,
                              0x1B, 0x01, 0x51, 0x02, 0x01, 0x00]
        let atEnd = try bytes.withUnsafeBytes { raw in
            var reader = CompactReader(raw)
            try reader.skip(.struct)
            return reader.offset
        }
        #expect(atEnd == bytes.count)
    }

    /// What `read` throws when it reads `bytes` from the start.
    func failure(_ bytes: [UInt8], _ read: (inout CompactReader) throws(ThriftError) -> Void) -> ThriftError? {
        bytes.withUnsafeBytes { raw -> ThriftError? in
            var reader = CompactReader(raw)
            do throws(ThriftError) {
                try read(&reader)
                return nil
            } catch {
                return error
            }
        }
    }

    @Test func refusesLengthsPastTheEndAndDeepNesting() {
        let longBinary = failure([0xFF, 0x01, 0x61]) { (reader) throws(ThriftError) in _ = try reader.readBinary() }
        #expect(longBinary?.reason.contains("runs past the end") == true)
        // Field 1, a struct, nested 200 times.
        let deep = failure([UInt8](repeating: 0x1C, count: 200)) { (reader) throws(ThriftError) in try reader.skip(.struct) }
        #expect(deep?.reason.contains("deeper") == true)
        let overflow = failure([UInt8](repeating: 0xFF, count: 11)) { (reader) throws(ThriftError) in _ = try reader.readVarint() }
        #expect(overflow?.reason.contains("overflows") == true)
        let hugeList = failure([0xF9, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) { (reader) throws(ThriftError) in _ = try reader.readListHeader() }
        #expect(hugeList?.reason.contains("runs past the end") == true)
    }
}
