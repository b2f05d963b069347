import Foundation
@testable import Larder
import TestSupport
import Testing

@Suite struct BadInputTests {
    func failure(_ rows: [String]) throws -> (SourceError?, StatsStore) {
        try withTemporaryDirectory { path in
            let stats = try StatsStore(in: path, csv: ["1,\(at(1)),,0.5,10"] + rows)
            let error = #expect(throws: SourceError.self) { try stats.store.materialize(from: time(0), to: time(24)) }
            // Nothing of the failed run is visible.
            #expect(try stats.history().isEmpty)
            #expect(try stats.online(1) == nil)
            #expect(try stats.store.snapshots().isEmpty)
            return (error, stats)
        }
    }

    @Test func aWrongFieldCountNamesTheLine() throws {
        let (error, stats) = try failure(["2,\(at(1)),,0.5"])
        #expect(error?.description == "\(stats.csvPath):3: expected 5 fields, found 4")
    }

    @Test func anUnparsableTimestampNamesTheColumn() throws {
        let (error, _) = try failure(["2,yesterday,,0.5,1"])
        #expect(error?.line == 3)
        #expect(error?.column == "event_timestamp")
    }

    @Test func aZonelessTimestampIsRefused() throws {
        let (error, _) = try failure(["2,2024-05-01T01:00:00,,0.5,1"])
        #expect(error?.column == "event_timestamp")
        #expect(error?.reason.contains("time zone") == true)
    }

    @Test func aMissingJoinKeyIsRefused() throws {
        let (error, _) = try failure([",\(at(1)),,0.5,1"])
        #expect(error?.column == "driver_id")
        #expect(error?.reason == "missing join key")
    }

    @Test func aTypeMismatchNamesTheFeature() throws {
        let (error, _) = try failure(["2,\(at(1)),,fast,1"])
        #expect(error?.line == 3)
        #expect(error?.column == "conv_rate")
    }

    @Test func anUnknownMappingColumnIsRefused() throws {
        try withTemporaryDirectory { path in
            let stats = try StatsStore(in: path, csv: ["1,\(at(1)),,0.5,10"])
            let driver = Entity("driver", joinKey: "driver_id")
            try stats.store.apply(Definitions(sources: [.csv("stats_source", path: stats.csvPath, columnMapping: ["id": "driver_id"])]))
            let error = #expect(throws: SourceError.self) { try stats.store.materialize(from: time(0), to: time(24)) }
            #expect(error?.column == "id")
            #expect(error?.reason.hasPrefix("unknown column in the mapping") == true)
            _ = driver
        }
    }

    @Test func skipInvalidRecordsRejectsAndCommitsTheRest() throws {
        try withTemporaryDirectory { path in
            let stats = try StatsStore(in: path, csv: ["1,\(at(1)),,0.5,10", "2,\(at(1)),,oops,1", "3,\(at(1)),,0.1"])
            let rejects = path + "/rejects.csv"
            let snapshot = try stats.store.materialize(from: time(0), to: time(24), options: .skipInvalid(rejectsFile: rejects))
            #expect(snapshot.rowsRejected == 2)
            #expect(snapshot.rowsWritten == 1)
            #expect(snapshot.rejectsFile == rejects)
            let lines = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 3)
            #expect(lines[0] == "file,line,column,reason")
            #expect(lines[1].hasPrefix("\(stats.csvPath),3,conv_rate,"))
            #expect(lines[2] == "\(stats.csvPath),4,,expected 5 fields found 4" || lines[2] == "\(stats.csvPath),4,,\"expected 5 fields, found 4\"")
            #expect(!FileManager.default.fileExists(atPath: rejects + ".partial"))
        }
    }

    @Test func aMissingSourceFileIsAClearError() throws {
        try withTemporaryDirectory { path in
            let stats = try StatsStore(in: path)
            try FileManager.default.removeItem(atPath: stats.csvPath)
            let error = #expect(throws: Error.self) { try stats.store.materialize(from: time(0), to: time(24)) }
            #expect("\(error!)".contains(stats.csvPath))
        }
    }

    /// Each line stands alone: a malformed CSV line (a stray quote after a closing quote, a
    /// quote inside an unquoted field, a lone CR) is a reject, and the next line is read.
    @Test func skipInvalidSkipsMalformedCSVLinesOneByOne() throws {
        try withTemporaryDirectory { path in
            let stats = try StatsStore(in: path, csv: [
                "1,\(at(1)),,0.5,10", "2,\"\(at(1))\"x,,0.5,1", "3,\(at(1)),,0.3,3", "4,ab\"c,,0.4,4", "5,\(at(1)),,0.5,5\r6,x",
                "7,\(at(1)),,0.7,7",
            ])
            let rejects = path + "/rejects.csv"
            let snapshot = try stats.store.materialize(from: time(0), to: time(24), options: .skipInvalid(rejectsFile: rejects))
            #expect(snapshot.rowsRejected == 3)
            #expect(try stats.history().map { $0.entity } == [[.int64(1)], [.int64(3)], [.int64(7)]])
            let lines = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 4)
            #expect(lines[1] == "\(stats.csvPath),3,,'x' after a closing quote; expected the delimiter or the end of the line")
            #expect(lines[2].hasPrefix("\(stats.csvPath),5,,a quote inside an unquoted field"))
            #expect(lines[3].hasPrefix("\(stats.csvPath),6,,a carriage return without a line feed"))
        }
    }

    /// A stray opening quote runs over the next lines until some quote closes it: those lines go
    /// with the bad record, and the reject names them all.
    @Test func aQuoteRunningOverLinesNamesEveryLineItTakes() throws {
        try withTemporaryDirectory { path in
            let stats = try StatsStore(in: path, csv: [
                "1,\(at(1)),,0.5,10", "2,\"\(at(1)),,0.5,1", "3,\(at(1)),,0.3,3", "4,\(at(1)),,\"0.4\"x,4", "5,\(at(1)),,0.5,5",
            ])
            let rejects = path + "/rejects.csv"
            let snapshot = try stats.store.materialize(from: time(0), to: time(24), options: .skipInvalid(rejectsFile: rejects))
            #expect(try stats.history().map { $0.entity } == [[.int64(1)], [.int64(5)]])
            #expect(snapshot.rowsRejected == 1)
            let lines = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n")
            #expect(lines.last?.hasSuffix("the record began on line 3, so lines 3-5 are skipped\"") == true, "\(lines)")
        }
    }

    @Test func skipInvalidSkipsMalformedJSONLinesOneByOne() throws {
        try withTemporaryDirectory { path in
            let store = try FeatureStore.open(path + "/store")
            let driver = Entity("driver", joinKey: "driver_id")
            let file = path + "/stats.jsonl"
            var lines = [
                #"{"driver_id": 1, "event_timestamp": "2024-05-01T01:00:00Z", "trips": 1}"#,
                #"{"driver_id": 2, "event_timestamp": "2024-05-01T01:00:00Z", "trips": "#,
                #"{"driver_id": 3, "event_timestamp": "2024-05-01T01:00:00Z", "trips": NaN}"#,
                String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
                #"{"driver_id": 5, "driver_id": 6, "event_timestamp": "2024-05-01T01:00:00Z", "trips": 5}"#,
                #"[7]"#,
                #"{"driver_id": 8, "event_timestamp": "2024-05-01T01:00:00Z", "trips": 8}"#,
            ].map { Array($0.utf8) }
            lines.insert([0x7B, 0xFF, 0xFE, 0x7D], at: 1)  // invalid UTF-8
            try Data(lines.joined(separator: [0x0A])).write(to: URL(fileURLWithPath: file))
            let source = Source.jsonLines("s", path: file)
            let view = FeatureView("v", entities: [driver], source: source) { Field("trips", .int64) }
            try store.apply(Definitions(entities: [driver], sources: [source], views: [view]))
            let rejects = path + "/rejects.csv"
            let snapshot = try store.materialize(from: time(0), to: time(24), options: .skipInvalid(rejectsFile: rejects))
            #expect(snapshot.rowsRejected == 6)
            #expect(try store.historyRows(of: "v").map(\.entity) == [[.int64(1)], [.int64(8)]])
            let reasons = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n").dropFirst().map { String($0) }
            #expect(reasons.count == 6)
            #expect(reasons[0] == "\(file),2,,not valid UTF-8 (JSON Lines files are UTF-8)", "\(reasons)")
            #expect(reasons[1].hasPrefix("\(file),3,,not valid JSON: Unexpected end of file"), "\(reasons)")
            #expect(reasons[2].hasPrefix("\(file),4,,not valid JSON: Invalid value around character"), "\(reasons)")
            #expect(reasons[3].hasPrefix("\(file),5,,not valid JSON: Too many nested arrays or dictionaries"), "\(reasons)")
            #expect(reasons[4] == "\(file),6,,key 'driver_id' appears twice; which value is meant?", "\(reasons)")
            #expect(reasons[5] == "\(file),7,,\"expected a JSON object, found an array\"", "\(reasons)")
            // Without --skip-invalid the first malformed line stops the run.
            let error = #expect(throws: SourceError.self) { try store.materialize(from: time(0), to: time(24)) }
            #expect(error?.line == 2)
        }
    }

    @Test func controlCharactersFromSourcesAreEscapedInMessagesAndRejects() throws {
        try withTemporaryDirectory { path in
            let stats = try StatsStore(in: path, csv: ["1,\(at(1)),,\u{1B}]0;owned\u{07},10"])
            let error = #expect(throws: SourceError.self) { try stats.store.materialize(from: time(0), to: time(24)) }
            let message = try #require(error?.description)
            #expect(!message.contains("\u{1B}"))
            #expect(message.contains("\\x1b]0;owned\\x07"), "\(message)")
            let rejects = path + "/rejects.csv"
            try stats.store.materialize(from: time(0), to: time(24), options: .skipInvalid(rejectsFile: rejects))
            let written = try String(contentsOfFile: rejects, encoding: .utf8)
            #expect(!written.contains("\u{1B}") && written.contains("\\x1b]0;owned"), "\(written)")
        }
    }
}
