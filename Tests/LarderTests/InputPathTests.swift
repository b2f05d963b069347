import Foundation
import Larder
import TestSupport
import Testing

@testable import Larder

/// Join keys and times are read by one path whatever the row: a CSV field, a JSON Lines value,
/// a pushed value or a Swift table cell, for materialization and for the join alike.
@Suite struct InputPathTests {
    func key(_ cell: FeatureValue, _ type: Entity.KeyType) -> Result<[UInt8], ValueParseError> {
        withUnsafeTemporaryAllocation(byteCount: KeyEncoding.maxEntityKeyLength, alignment: 8) { room in
            KeyField.write(cell, as: type, into: room, at: 0).map { written in
                guard case .written(let count) = written else { return [] }
                return Array(room[..<count])
            }
        }
    }

    func key(text: String, _ type: Entity.KeyType) -> Result<[UInt8], ValueParseError> {
        var text = text
        return text.withUTF8 { bytes in
            withUnsafeTemporaryAllocation(byteCount: KeyEncoding.maxEntityKeyLength, alignment: 8) { room in
                KeyField.write(UnsafeRawBufferPointer(bytes), as: type, into: room, at: 0).map { written in
                    guard case .written(let count) = written else { return [] }
                    return Array(room[..<count])
                }
            }
        }
    }

    @Test func typedCellsAndTextGiveTheSameKeyBytes() throws {
        #expect(try key(.int64(1001), .int64).get() == KeyEncoding.encode([.int64(1001)]))
        #expect(try key(text: "1001", .int64).get() == KeyEncoding.encode([.int64(1001)]))
        #expect(try key(.string("1001"), .int64).get() == KeyEncoding.encode([.int64(1001)]))
        #expect(try key(.int32(7), .int64).get() == KeyEncoding.encode([.int64(7)]))
        #expect(try key(.int64(7), .string).get() == KeyEncoding.encode([.string("7")]))
        #expect(try key(text: "é", .string).get() == KeyEncoding.encode([.string("é")]))
        #expect(throws: ValueParseError("'1x' is not an int64 join key")) { try key(text: "1x", .int64).get() }
        #expect(throws: ValueParseError("'1x' is not an int64 join key")) { try key(.string("1x"), .int64).get() }
        #expect(throws: ValueParseError("true is not a valid int64 join key")) { try key(.bool(true), .int64).get() }
        #expect(throws: ValueParseError("'99999999999999999999' is out of range for int64 join key")) { try key(text: "99999999999999999999", .int64).get() }
        // A typed empty string is a key; only an empty CSV field means "no value".
        #expect(try key(.string(""), .string).get() == KeyEncoding.encode([.string("")]))
        #expect(throws: ValueParseError("'' is not an int64 join key")) { try key(.string(""), .int64).get() }
        #expect(try key(.float64(3), .int64).get() == KeyEncoding.encode([.int64(3)]))  // JSON's 3.0
        #expect(throws: ValueParseError("3.5 is not a valid int64 join key")) { try key(.float64(3.5), .int64).get() }
    }

    @Test func aKeyTooLongForAnyStoredRowIsUnstorableAndAnEmptyCellIsNull() {
        let long = String(repeating: "k", count: KeyEncoding.maxEntityKeyLength)
        withUnsafeTemporaryAllocation(byteCount: KeyEncoding.maxEntityKeyLength, alignment: 8) { room in
            #expect(try! KeyField.write(.string(long), as: .string, into: room, at: 0).get() == .unstorable)
            #expect(try! KeyField.write(.null, as: .int64, into: room, at: 0).get() == .null)
            #expect(try! KeyField.write(UnsafeRawBufferPointer(start: nil, count: 0), as: .int64, into: room, at: 0).get() == .null)
        }
    }

    /// A string-keyed view loaded from pushed integers is found by the join from CSV text and
    /// from Swift cells, and an entity row whose key is not UTF-8 is an error naming its place,
    /// as it is in a source.
    @Test func materializationAndTheJoinAgreeOnKeysAndTimes() throws {
        try withTemporaryDirectory { (path) throws in
            let store = try FeatureStore.open(path + "/store")
            let user = Entity("user", joinKey: "user_id", type: .string)
            let events = Source.push("events")
            let view = FeatureView("clicks", entities: [user], source: events) { Field("count", .int64) }
            try store.apply(Definitions(entities: [user], sources: [events], views: [view]))
            let time = try Timestamp(parsing: "2024-05-01T10:00:00Z")
            try store.push([["user_id": .int64(7), "event_timestamp": .string("2024-05-01T10:00:00Z"), "count": .int64(3)],
                            ["user_id": .string("8"), "event_timestamp": .timestamp(time), "count": .int64(4)]], to: "clicks")

            let input = path + "/labels.csv"
            try "user_id,event_timestamp\n7,2024-05-02T00:00:00Z\n8,2024-05-02T00:00:00Z\n".write(toFile: input, atomically: true, encoding: .utf8)
            let fromCSV = try store.historicalFeatures(entities: .csv(path: input), features: ["clicks:count"])
            #expect(fromCSV.column("count") == [.int64(3), .int64(4)])
            let fromCells = try store.historicalFeatures(
                entities: .table(columns: ["user_id", "event_timestamp"], rows: [[.int64(7), .string("2024-05-02T00:00:00Z")],
                                                                               [.string("8"), .timestamp(time + .seconds(1))]]),
                features: ["clicks:count"])
            #expect(fromCells.column("count") == [.int64(3), .int64(4)])

            // JSON Lines: a whole number written 3.0 is an int64 key, an integral float time an epoch.
            let lines = path + "/trips.jsonl"
            try #"{"driver_id": 3.0, "ts": 1714557600.0, "trips": 5}"#.appending("\n").write(toFile: lines, atomically: true, encoding: .utf8)
            let driver = Entity("driver", joinKey: "driver_id")
            let trips = Source.jsonLines("trips", path: lines, timestampFormat: .epochSeconds)
            let tripView = FeatureView("trips", entities: [driver], source: trips, timestampColumn: "ts") { Field("trips", .int64) }
            try store.apply(Definitions(entities: [driver], sources: [trips], views: [tripView]))
            try store.materialize(["trips"], from: Timestamp(seconds: 0), to: Timestamp(seconds: 2_000_000_000))
            #expect(try store.onlineRow(of: "trips", entity: [3])?.values == [.int64(5)])

            try Data(Array("user_id,event_timestamp\n".utf8) + [0x6E, 0xFF] + Array(",2024-05-02T00:00:00Z\n".utf8)).write(to: URL(fileURLWithPath: input))
            #expect(throws: SourceError(file: input, line: 2, column: "user_id", reason: "'n\u{FFFD}' is not valid UTF-8")) {
                try store.historicalFeatures(entities: .csv(path: input), features: ["clicks:count"])
            }
        }
    }
}
