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
}
