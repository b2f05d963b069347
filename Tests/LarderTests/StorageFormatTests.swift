import Foundation
@testable import Larder
import TestSupport
import Testing

/// Golden bytes: these pin the on-disk format. A failure here means stores written by an
/// earlier build would be misread: bump the format version instead of editing the bytes.
@Suite struct StorageFormatTests {
    func hex(_ bytes: [UInt8]) -> String { bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined(separator: " ") }

    @Test func int64KeysAreBigEndianWithTheSignFlipped() {
        #expect(hex(KeyEncoding.encode([.int64(1001)])) == "80 00 00 00 00 00 03 e9")
        #expect(hex(KeyEncoding.encode([.int64(-1)])) == "7f ff ff ff ff ff ff ff")
        #expect(hex(KeyEncoding.encode([.int64(0)])) == "80 00 00 00 00 00 00 00")
    }

    @Test func stringKeysAreLengthPrefixed() {
        #expect(hex(KeyEncoding.encode([.string("ab")])) == "00 02 61 62")
        #expect(hex(KeyEncoding.encode([.int64(1), .string("é")])) == "80 00 00 00 00 00 00 01 00 02 c3 a9")
    }

    @Test func keyBytesSortLikeValues() {
        let numbers: [Int64] = [.min, -1_000_000, -1, 0, 1, 255, 256, 1_000_000, .max]
        let encoded = numbers.map { KeyEncoding.encode([.int64($0)]) }
        #expect(encoded == encoded.sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func historyKeysAppendTimesAndSnapshot() {
        let key = HistoryKey.make(entity: KeyEncoding.encode([.int64(1001)]), eventTime: 1_714_521_600_000_000, createdTime: .min, snapshot: 3)
        #expect(hex(key) == "80 00 00 00 00 00 03 e9 80 06 17 59 2a ed 80 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 03")
        #expect(key.withUnsafeBytes { KeyEncoding.decode($0, types: [.int64]) } == [.int64(1001)])
    }

    @Test func rowsHaveAFixedSlotPerField() throws {
        var encoder = RowEncoder(schemaVersion: 1, types: [.float64, .int64])
        try encoder.encode([.float64(0.5), .null])
        #expect(hex(encoder.bytes) == "01 01 00 02 00 02 00 00 00 00 00 00 e0 3f 00 00 00 00 00 00 00 00")
    }

    @Test func variableLengthValuesLiveAfterTheSlots() throws {
        var encoder = RowEncoder(schemaVersion: 2, types: [.string, .float32List, .stringList, .bool])
        try encoder.encode([.string("hi"), .float32List([1]), .stringList(["a"]), .bool(true)])
        #expect(hex(encoder.bytes) == [
            "01 02 00 04 00 00",  // format, schema 2, 4 fields, no nulls
            "26 00 00 00 02 00 00 00",  // "hi" at 38, 2 bytes
            "28 00 00 00 04 00 00 00",  // [1.0] at 40, 4 bytes
            "2c 00 00 00 09 00 00 00",  // ["a"] at 44, 9 bytes
            "01 00 00 00 00 00 00 00",  // true
            "68 69", "00 00 80 3f", "01 00 00 00 01 00 00 00 61",
        ].joined(separator: " "))
    }

    @Test func everyTypeRoundTrips() throws {
        let values: [FeatureValue] = [
            .bool(false), .int32(-7), .int64(.max), .float32(1.5), .float64(-2.25), .string("naïve"),
            .bytes([0, 255]), .timestamp(Timestamp(microseconds: -1)), .int64List([1, -2]),
            .float32List([0.5, 2]), .float64List([]), .stringList(["", "x,y"]),
        ]
        let types = values.compactMap(\.type)
        var encoder = RowEncoder(schemaVersion: 9, types: types)
        try encoder.encode(values)
        let decoded = encoder.bytes.withUnsafeBytes { bytes -> [FeatureValue] in
            guard let row = RowView(bytes) else { return [] }
            return types.indices.map { row.value($0, as: types[$0]) }
        }
        #expect(decoded == values)
    }

    @Test func aValueOfTheWrongTypeIsRefused() {
        var encoder = RowEncoder(schemaVersion: 1, types: [.int64])
        #expect(throws: RowEncodingError.self) { try encoder.encode([.string("1")]) }
    }

    @Test func checksumIsFNV1aOverWords() {
        var checksum = Checksum()
        #expect(checksum.hex == "cbf29ce484222325")  // the empty input is the offset basis
        [UInt8]("hello world".utf8).withUnsafeBytes { checksum.add($0) }
        var split = Checksum()
        [UInt8]("hello".utf8).withUnsafeBytes { split.add($0) }
        [UInt8](" world".utf8).withUnsafeBytes { split.add($0) }
        #expect(checksum.hex == "116872118618d257")
        #expect(split.hex == checksum.hex)  // chunk boundaries do not matter
    }

    @Test func onlineRecordsCarryTimesSnapshotAndRowThenThePreviousRecord() {
        let row: [UInt8] = [0x01, 0x01, 0x00, 0x00, 0x00]  // a row of no fields
        var bytes = [UInt8](repeating: 0, count: row.withUnsafeBytes { OnlineRecord.length(row: $0, previous: nil) })
        bytes.withUnsafeMutableBytes { buffer in
            row.withUnsafeBytes { row in
                OnlineRecord.write(eventTime: 1_714_521_600_000_000, createdTime: -1, snapshot: 3, row: row, previous: nil, into: buffer)
            }
        }
        #expect(hex(bytes) == [
            "00 80 ed 2a 59 17 06 00",  // event time, little-endian
            "ff ff ff ff ff ff ff ff",  // created time -1
            "03 00 00 00 00 00 00 00",  // snapshot 3
            "05 00 00 00",  // row length
            "01 01 00 00 00",  // the row
        ].joined(separator: " "))
        var withPrevious = [UInt8](repeating: 0, count: bytes.count * 2)
        withPrevious.withUnsafeMutableBytes { buffer in
            row.withUnsafeBytes { row in
                bytes.withUnsafeBytes { previous in
                    OnlineRecord.write(eventTime: 1_714_521_600_000_001, createdTime: -1, snapshot: 4, row: row, previous: previous, into: buffer)
                }
            }
        }
        #expect(Array(withPrevious[33...]) == bytes)  // the replaced record follows, whole
        withPrevious.withUnsafeBytes { #expect(OnlineRecord.previous($0).map(Array.init) == bytes) }
    }

    @Test func pendingRunMarkersAreSnapshotProcessAndViews() throws {
        try withTemporaryDirectory { path in
            let store = try FeatureStore.open(path + "/store")
            let saved = try store.environment.write { txn -> [UInt8]? in
                try PendingRun(snapshot: 7, process: 4_242, views: [1, 258]).save(in: store.meta, txn)
                return try txn.value(for: StoreMeta.pendingRunKey, in: store.meta)
            }
            #expect(hex(try #require(saved)) == "00 00 00 00 00 00 00 07 00 00 10 92 00 00 00 01 00 00 01 02")
        }
    }

    @Test func registryKindsArePinnedBytes() {
        #expect(RegistryObject.entity("d").storageKey == [0x45, 0x64])  // E
        #expect(RegistryObject.source("d").storageKey == [0x53, 0x64])  // S
        #expect(RegistryObject.view("d").storageKey == [0x56, 0x64])  // V
        #expect(RegistryObject.service("d").storageKey == [0x46, 0x64])  // F
        #expect(hex(StoreMeta.formatKey) == hex(Array("format_version".utf8)))
        #expect(StoreMeta.formatVersion == 1)
    }

    @Test func metaValuesAndSnapshotKeysAreBigEndian() {
        #expect(hex(SnapshotKey.make(258)) == "00 00 00 00 00 00 01 02")
        SnapshotKey.make(258).withUnsafeBytes { #expect(SnapshotKey.id($0) == 258) }
        [UInt8]([1, 2, 3]).withUnsafeBytes { #expect(SnapshotKey.id($0) == nil) }
        [UInt8]([0, 0, 0, 0, 0, 0, 0, 9]).withUnsafeBytes { #expect(StoreMeta.uint64($0) == 9) }
        [UInt8]([0, 0, 0, 1]).withUnsafeBytes { #expect(StoreMeta.formatVersion($0) == 1) }
        [UInt8]([0, 0, 1]).withUnsafeBytes { #expect(StoreMeta.formatVersion($0) == nil) }
        #expect(StoreMeta.watermarkKey(view: 12) == Array("watermark.12".utf8))
    }

    @Test func snapshotRecordsAreJSONWithPinnedKeys() throws {
        let snapshot = Snapshot(
            id: 3, kind: .materialization,
            views: [ViewRun(view: "v", start: Timestamp(microseconds: 0), end: Timestamp(microseconds: 1_000_000), source: nil,
                            rowsRead: 2, rowsWritten: 1, rowsUnchanged: 1, rowsOutsideInterval: 0, rowsRejected: 0,
                            onlineRowsUpdated: 1, watermarkBefore: nil, watermarkAfter: Timestamp(microseconds: 1_000_000))],
            startedAt: Timestamp(microseconds: 5), finishedAt: Timestamp(microseconds: 6), rejectsFile: nil)
        try withTemporaryDirectory { path in
            let store = try FeatureStore.open(path + "/store")
            let saved = try store.environment.write { txn -> [UInt8]? in
                try SnapshotStorage.save(snapshot, in: store.snapshotsDatabase, txn)
                return try txn.value(for: SnapshotKey.make(3), in: store.snapshotsDatabase)
            }
            let json = String(decoding: try #require(saved), as: UTF8.self)
            #expect(json == #"{"finishedAt":{"microseconds":6},"id":3,"kind":"materialization","startedAt":{"microseconds":5},"views":[{"end":{"microseconds":1000000},"onlineRowsUpdated":1,"rowsOutsideInterval":0,"rowsRead":2,"rowsRejected":0,"rowsUnchanged":1,"rowsWritten":1,"start":{"microseconds":0},"view":"v","watermarkAfter":{"microseconds":1000000}}]}"#)
        }
    }

    @Test func pendingRunRecordsDecodeWhatTheyEncodeAndNothingElse() {
        let bytes = PendingRunRecord.encode(snapshot: 7, process: -2, views: [1, 258])
        bytes.withUnsafeBytes { raw in
            let decoded = PendingRunRecord.decode(raw)
            #expect(decoded?.snapshot == 7)
            #expect(decoded?.process == -2)
            #expect(decoded?.views == [1, 258])
        }
        for size in [0, 11, 13, 15, 17] {
            [UInt8](repeating: 0, count: size).withUnsafeBytes { #expect(PendingRunRecord.decode($0) == nil, "\(size) bytes") }
        }
        [UInt8](repeating: 0, count: 12).withUnsafeBytes { #expect(PendingRunRecord.decode($0)?.views == []) }
    }

    @Test func registryKeysAreAKindByteAndTheName() {
        #expect(RegistryKey.make(.view, name: "é") == [0x56, 0xC3, 0xA9])
        [UInt8]([0x46, 0x61]).withUnsafeBytes { raw in
            #expect(RegistryKey.parse(raw)?.kind == .service)
            #expect(RegistryKey.parse(raw)?.name == "a")
        }
        [UInt8]([0x5A, 0x61]).withUnsafeBytes { #expect(RegistryKey.parse($0)?.kind == nil) }  // a kind from a newer version
        [UInt8]().withUnsafeBytes { #expect(RegistryKey.parse($0) == nil) }
        #expect(StoreMeta.watermarkView(StoreMeta.watermarkKey(view: 42)) == 42)
        #expect(StoreMeta.watermarkView(Array("watermark.x".utf8)) == nil)
        #expect(StoreMeta.isWatermarkKey(Array("watermark.x".utf8)))
    }
}
