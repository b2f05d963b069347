import Foundation
@testable import Larder
import TestSupport
import Testing

/// Every expected value below is worked out by hand from the rows written in `withData`.
@Suite struct HistoricalRetrievalTests {
    /// `stats` (driver, ttl 2h, created-time column): driver 1 at hours 1, 3 (two rows with
    /// created times 10:00 and 11:00 of day 2: the later one, trips 33, wins), 5 (trips null);
    /// driver 2 at hour 2. `pair` (driver + customer, no ttl): (1, "a") at hour 1.
    func withData(_ body: (FeatureStore, String) throws -> Void) throws {
        try withTemporaryDirectory { path in
            let stats = try StatsStore(in: path, ttl: .seconds(7200), csv: [
                "1,\(at(1)),,0.1,11",
                "1,\(at(3)),2024-05-02T10:00:00Z,0.3,30",
                "1,\(at(3)),2024-05-02T11:00:00Z,0.33,33",
                "1,\(at(5)),,0.5,",
                "2,\(at(2)),,0.2,22",
            ])
            let customer = Entity("customer", joinKey: "customer_id", type: .string)
            let pairs = Source.push("pairs")
            let pair = FeatureView("pair", entityNames: ["driver", "customer"], sourceName: "pairs", features: [Field("together", .int64)])
            try stats.store.apply(Definitions(entities: [customer], sources: [pairs], views: [pair]))
            try stats.store.materialize(from: time(0), to: time(24))
            try stats.store.push([["driver_id": .int64(1), "customer_id": .string("a"), "event_timestamp": .timestamp(time(1)), "together": .int64(7)]], to: "pair")
            try body(stats.store, path)
        }
    }

    func trips(_ store: FeatureStore, _ rows: [(Int64, Timestamp)]) throws -> [FeatureValue] {
        let table = try store.historicalFeatures(
            entities: .table(columns: ["driver_id", "event_timestamp"], rows: rows.map { [.int64($0.0), .timestamp($0.1)] }),
            features: ["stats:trips"])
        return table.column("trips") ?? []
    }

    @Test func pointInTimeSemantics() throws {
        try withData { (store, _) throws in
            #expect(try trips(store, [(1, time(1))]) == [.int64(11)])  // equal time: included
            #expect(try trips(store, [(1, time(0))]) == [.null])  // before any data
            #expect(try trips(store, [(1, time(2))]) == [.int64(11)])  // latest at or before
            #expect(try trips(store, [(1, time(3))]) == [.int64(33)])  // tie on event time: later created time
            #expect(try trips(store, [(1, time(6))]) == [.null])  // a stored null is the latest value, no fallback
            #expect(try trips(store, [(2, time(4))]) == [.int64(22)])  // exactly ttl old: included
            #expect(try trips(store, [(2, time(4) + .microseconds(1))]) == [.null])  // older than the ttl
            #expect(try trips(store, [(9, time(4))]) == [.null])  // never seen
        }
    }

    @Test func ttlZeroMeansNoLimit() throws {
        try withData { (store, _) throws in
            let table = try store.historicalFeatures(
                entities: .rows([["driver_id": .int64(1), "customer_id": .string("a"), "event_timestamp": .timestamp(time(240))]]),
                features: ["pair:together"])
            #expect(table.column("together") == [.int64(7)])
        }
    }

    @Test func severalViewsCompositeKeysDuplicatesAndOrder() throws {
        try withData { (store, _) throws in
            let table = try store.historicalFeatures(
                entities: .table(columns: ["driver_id", "customer_id", "event_timestamp", "label"], rows: [
                    [.int64(1), .string("a"), .timestamp(time(3)), .int64(1)],
                    [.int64(2), .string("a"), .timestamp(time(3)), .int64(0)],
                    [.int64(1), .string("a"), .timestamp(time(0)), .int64(1)],  // out of order
                    [.int64(1), .string("a"), .timestamp(time(3)), .int64(1)],  // a duplicate of row 0
                    [.int64(1), .null, .timestamp(time(3)), .int64(0)],  // no customer: pair is null
                ]),
                features: ["stats:conv_rate", "pair:together"], options: HistoricalOptions(fullFeatureNames: true))
            #expect(table.columns == ["driver_id", "customer_id", "event_timestamp", "label", "stats__conv_rate", "pair__together"])
            #expect(table.rows.map { Array($0[4...]) } == [
                [.float64(0.33), .int64(7)],
                [.float64(0.2), .null],
                [.null, .null],
                [.float64(0.33), .int64(7)],
                [.float64(0.33), .null],
            ])
            #expect(table.column("label") == [.int64(1), .int64(0), .int64(1), .int64(1), .int64(0)])
            // Typed columns: nil for nulls; no column when a value cannot be read as the type.
            #expect(table.column("stats__conv_rate", as: Double.self) == [0.33, 0.2, nil, 0.33, 0.33])
            #expect(table.column("pair__together", as: Int64.self) == [7, nil, nil, 7, nil])
            #expect(table.column("pair__together", as: Int.self) == [7, nil, nil, 7, nil])
            #expect(table.column("pair__together", as: Double.self) == [7, nil, nil, 7, nil])
            #expect(table.column("label", as: Int64.self) == [1, 0, 1, 1, 0])
            #expect(table.column("customer_id", as: String.self) == ["a", "a", "a", "a", nil])
            #expect(table.column("event_timestamp", as: Timestamp.self) == [time(3), time(3), time(0), time(3), time(3)])
            #expect(table.column("stats__conv_rate", as: Float.self) == nil)
            #expect(table.column("stats__conv_rate", as: Int64.self) == nil)
            #expect(table.column("customer_id", as: Bool.self) == nil)
            #expect(table.column("nope", as: Double.self) == nil)
        }
    }

    /// The longest entity key LMDB can store (487 bytes: 511 with the history suffix) is found
    /// from a CSV cell as from a Swift value; a byte more finds nothing, and is no error.
    @Test func theLongestStorableKeyIsFoundAndALongerOneIsNot() throws {
        try withData { (store, path) throws in
            let longest = String(repeating: "k", count: 487 - 8 - 2)
            try store.push([["driver_id": .int64(1), "customer_id": .string(longest), "event_timestamp": .timestamp(time(1)), "together": .int64(9)]], to: "pair")
            let input = path + "/long.csv"
            try "driver_id,customer_id,event_timestamp\n1,\(longest),\(at(2))\n1,\(longest)k,\(at(2))\n1,a,\(at(2))\n"
                .write(toFile: input, atomically: true, encoding: .utf8)
            let table = try store.historicalFeatures(entities: .csv(path: input), features: ["pair:together"])
            #expect(table.column("together") == [.int64(9), .null, .int64(7)])
            let cells = try store.historicalFeatures(
                entities: .table(columns: ["driver_id", "customer_id", "event_timestamp"], rows: [
                    [.int64(1), .string(longest), .timestamp(time(2))], [.int64(1), .string(longest + "k"), .timestamp(time(2))],
                ]),
                features: ["pair:together"])
            #expect(cells.column("together") == [.int64(9), .null])
        }
    }

    /// Cells after one too long for any key are still read (a bad one is an error), and a key
    /// part that no longer fits makes the row's value null, in a view whose string key comes
    /// first.
    @Test func keyCellsAfterATooLongOneAreStillRead() throws {
        try withData { (store, path) throws in
            let view = FeatureView("by_customer", entityNames: ["customer", "driver"], sourceName: "pairs", features: [Field("together", .int64)])
            try store.apply(Definitions(views: [view]))
            try store.push([["customer_id": .string("a"), "driver_id": .int64(1), "event_timestamp": .timestamp(time(1)), "together": .int64(5)]], to: "by_customer")
            let input = path + "/reversed.csv"
            func join(_ rows: [String]) throws -> [FeatureValue]? {
                try (["customer_id,driver_id,event_timestamp"] + rows).joined(separator: "\n").appending("\n").write(toFile: input, atomically: true, encoding: .utf8)
                return try store.historicalFeatures(entities: .csv(path: input), features: ["by_customer:together"]).column("together")
            }
            // 2 + 485 bytes leave no room for the int64: nothing can match, and it is no error.
            #expect(try join(["a,1,\(at(2))", String(repeating: "c", count: 485) + ",1,\(at(2))"]) == [.int64(5), .null])
            let error = #expect(throws: SourceError.self) { try join([String(repeating: "c", count: 480) + ",1x,\(at(2))"]) }
            #expect(error?.description == "\(input):2: column driver_id: '1x' is not an int64 join key")
        }
    }

    /// Lookups far apart in one entity's long history (more rows between them than the walk
    /// steps over, so it seeks) find what a scan of the rows finds.
    @Test func lookupsFarApartInALongHistoryFindWhatAScanFinds() throws {
        try withTemporaryDirectory { (path) throws in
            var rows: [(driver: Int64, hour: Int, trips: Int)] = []
            for hour in 0..<400 { rows.append((1, hour, hour)) }
            for hour in stride(from: 0, to: 400, by: 7) { rows.append((2, hour, 1_000 + hour)) }
            let stats = try StatsStore(in: path, csv: rows.map { "\($0.driver),\(time($0.hour)),,0.5,\($0.trips)" })
            try stats.store.materialize(from: time(0), to: time(1_000))
            let lookups: [(Int64, Int)] = [(1, 399), (2, 300), (1, 3), (1, 150), (1, 151), (3, 50), (1, -5), (2, 10), (1, 1_000), (1, 80), (2, 6)]
            let expected = lookups.map { lookup -> FeatureValue in
                rows.filter { $0.driver == lookup.0 && $0.hour <= lookup.1 }.max { $0.hour < $1.hour }.map { .int64(Int64($0.trips)) } ?? .null
            }
            #expect(expected.filter { $0 != .null }.count == 9)
            let table = try stats.store.historicalFeatures(
                entities: .table(columns: ["driver_id", "event_timestamp"], rows: lookups.map { [.int64($0.0), .timestamp(time($0.1))] }),
                features: ["stats:trips"])
            #expect(table.column("trips") == expected)
        }
    }

    @Test func asOfSnapshotRebuildsAnEarlierTrainingSet() throws {
        try withData { (store, path) throws in
            let entities = EntityRows.table(columns: ["driver_id", "event_timestamp"], rows: [[.int64(1), .timestamp(time(2))], [.int64(2), .timestamp(time(3))]])
            let before = try store.historicalFeatures(entities: entities, features: ["stats:trips"])
            // A backfill and a correction after snapshot 1.
            try """
            driver_id,event_timestamp,created,conv_rate,trips
            1,\(at(1)),,0.1,99
            2,\(at(3)),,0.3,300

            """.write(toFile: path + "/stats.csv", atomically: true, encoding: .utf8)
            try store.materialize(from: time(0), to: time(24))
            let after = try store.historicalFeatures(entities: entities, features: ["stats:trips"])
            #expect(after.column("trips") == [.int64(99), .int64(300)])
            let rebuilt = try store.historicalFeatures(entities: entities, features: ["stats:trips"], options: HistoricalOptions(asOfSnapshot: 1))
            #expect(rebuilt == before)
            #expect(before.column("trips") == [.int64(11), .int64(22)])
        }
    }

    /// Rows of a later snapshot that sort right where a lookup lands are stepped over
    /// backwards; the lookups after it must still find their rows (the walk seeks afresh).
    @Test func asOfSnapshotStepsBackOverLaterRowsAndCarriesOn() throws {
        try withData { (store, path) throws in
            // Snapshot 2 rewrites driver 1 at hour 1 (same event and created time: it sorts
            // after snapshot 1's row) and adds driver 2 at hour 3.
            try """
            driver_id,event_timestamp,created,conv_rate,trips
            1,\(at(1)),,0.1,99
            2,\(at(3)),,0.3,300

            """.write(toFile: path + "/stats.csv", atomically: true, encoding: .utf8)
            try store.materialize(from: time(0), to: time(24))
            let rows: [(Int64, Timestamp)] = [(2, time(3)), (1, time(2)), (1, time(1)), (2, time(5)), (1, time(4)), (2, time(2)), (1, time(1)), (1, time(3))]
            let asOf1 = try store.historicalFeatures(
                entities: .table(columns: ["driver_id", "event_timestamp"], rows: rows.map { [.int64($0.0), .timestamp($0.1)] }),
                features: ["stats:trips"], options: HistoricalOptions(asOfSnapshot: 1))
            // As of snapshot 1: driver 1 has 11 (hour 1), 33 (hour 3); driver 2 has 22 (hour 2),
            // out of the 2h ttl at hour 5.
            #expect(asOf1.column("trips") == [.int64(22), .int64(11), .int64(11), .null, .int64(33), .int64(22), .int64(11), .int64(33)])
            // Now: snapshot 2's rows win where they tie or are newer.
            #expect(try trips(store, rows) == [.int64(300), .int64(99), .int64(99), .int64(300), .int64(33), .int64(22), .int64(99), .int64(33)])
        }
    }

    /// A spill that cannot be written is its own error, naming the file, and no output appears.
    @Test func aTemporaryDirectoryThatCannotTakeSpillsIsATemporaryFileError() throws {
        try withData { (store, path) throws in
            let rows = (0..<5_000).map { index -> [FeatureValue] in [.int64(Int64(index % 3)), .timestamp(time(index % 7))] }
            let entities = EntityRows.table(columns: ["driver_id", "event_timestamp"], rows: rows)
            let missing = path + "/no-such-directory"
            var caught: TemporaryFileError?
            do {
                try store.writeHistoricalFeatures(entities: entities, features: ["stats:trips"], to: path + "/train.csv",
                                                  options: HistoricalOptions(memoryBudget: 1, temporaryDirectory: missing))
            } catch let error as TemporaryFileError {
                caught = error
            }
            let error = try #require(caught)
            #expect(error.path.hasPrefix(missing + "/larder-sort-"))
            #expect(error.description.hasSuffix("cannot create it: No such file or directory"))
            #expect(!FileManager.default.fileExists(atPath: path + "/train.csv"))
            #expect(!FileManager.default.fileExists(atPath: path + "/train.csv.partial"))
        }
    }

    @Test func aTinyMemoryBudgetSpillsAndGivesTheSameAnswer() throws {
        try withData { (store, path) throws in
            let rows = (0..<20_000).map { index -> [FeatureValue] in [.int64(Int64(index % 3)), .timestamp(time(index % 7))] }
            let entities = EntityRows.table(columns: ["driver_id", "event_timestamp"], rows: rows)
            let inMemory = try store.historicalFeatures(entities: entities, features: ["stats:trips"])
            let output = path + "/train.csv"
            let summary = try store.writeHistoricalFeatures(entities: entities, features: ["stats:trips"], to: output,
                                                            options: HistoricalOptions(memoryBudget: 1, temporaryDirectory: path))
            #expect(summary.spilledRuns > 2)
            #expect(summary.rows == 20_000)
            let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 20_001)
            #expect(lines.dropFirst().map { String($0.split(separator: ",", omittingEmptySubsequences: false).last!) }
                == inMemory.column("trips")!.map(\.description))
        }
    }

    /// CSV rows are read from their bytes and written back from them: the answer must be the
    /// one the same rows get as cells, quoting, odd keys and spills included.
    @Test func csvRowsReadAsBytesGiveTheAnswerCellsGive() throws {
        try withData { (store, path) throws in
            let customers = ["a", "", "x,y", "b\"q", "a"]
            let drivers = ["1", "2", "", "+1", "01", "9", "-0"]
            let labels = ["plain", "with,comma", "with \"quote\"", "two\nlines", "", "é"]
            var rows: [[FeatureValue]] = []
            for index in 0..<6_000 {
                rows.append([drivers[index % 7], customers[index % 5], at(index % 8), labels[index % 6]].map { $0.isEmpty ? .null : .string($0) })
            }
            func csvCell(_ value: FeatureValue) -> String {
                let text = value.description
                return text.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
            }
            let columns = ["driver_id", "customer_id", "event_timestamp", "label"]
            let input = path + "/events.csv"
            try (([columns] + rows.map { $0.map(csvCell) }).map { $0.joined(separator: ",") }.joined(separator: "\r\n") + "\r\n")
                .write(toFile: input, atomically: true, encoding: .utf8)
            let features: FeatureSelection = ["stats:trips", "stats:conv_rate", "pair:together"]
            let expected = try store.historicalFeatures(entities: .table(columns: columns, rows: rows), features: features)
            #expect(expected.column("together")?.contains(.int64(7)) == true)
            #expect(try store.historicalFeatures(entities: .csv(path: input), features: features) == expected)
            let output = path + "/out.csv"
            let summary = try store.writeHistoricalFeatures(entities: .csv(path: input), features: features, to: output,
                                                            options: HistoricalOptions(memoryBudget: 1, temporaryDirectory: path))
            #expect(summary.spilledRuns > 2)
            let expectedText = ([expected.columns.joined(separator: ",")] + expected.rows.map { $0.map(csvCell).joined(separator: ",") })
                .joined(separator: "\n") + "\n"
            #expect(try String(contentsOfFile: output, encoding: .utf8) == expectedText)
        }
    }

    /// Unquoted comma-separated rows are copied to the output as they are; any other spelling
    /// (another delimiter, quotes, invalid UTF-8) is written cell by cell. Both give CSV of the cells.
    @Test func entityCellsComeBackAsCSVWhateverTheirSpelling() throws {
        try withData { (store, path) throws in
            let input = path + "/events.csv"
            let output = path + "/out.csv"
            let time = at(3)
            func written(_ bytes: [UInt8], delimiter: Character) throws -> String {
                try Data(bytes).write(to: URL(fileURLWithPath: input))
                try store.writeHistoricalFeatures(entities: .csv(path: input, delimiter: delimiter), features: ["stats:trips"], to: output)
                return try String(contentsOfFile: output, encoding: .utf8)
            }
            let invalid: [UInt8] = [0x6E, 0xFF]  // "n" and a byte that is never UTF-8
            let semicolons = Array("label;driver_id;event_timestamp\n\"a;b\";1;\(time)\nplain;1;\(time)\n".utf8) + invalid + Array(";1;\(time)\n".utf8)
            #expect(try written(semicolons, delimiter: ";")
                == "label,driver_id,event_timestamp,trips\na;b,1,\(time),33\nplain,1,\(time),33\nn\u{FFFD},1,\(time),33\n")
            let commas = Array("label,driver_id,event_timestamp\n\"x\",1,\(time)\r\n\"q\"\"\",1,\(time)\n".utf8) + invalid + Array(",1,\(time)\n".utf8)
            #expect(try written(commas, delimiter: ",")
                == "label,driver_id,event_timestamp,trips\nx,1,\(time),33\n\"q\"\"\",1,\(time),33\nn\u{FFFD},1,\(time),33\n")
        }
    }

    /// JSON Lines from CSV rows: cells copied from their bytes where nothing needs escaping,
    /// escaped (or repaired, for invalid UTF-8) where something does; numbers and nulls from
    /// the stored rows, other values through their JSON text. The same text the cells of the
    /// same rows give, from a CSV file or from Swift cells. CSV cells read as strings.
    @Test func jsonLinesFromCSVRowsAreTheJSONOfTheirCells() throws {
        try withData { (store, path) throws in
            let kinds = FeatureView("kinds", entityNames: ["driver"], sourceName: "pairs", features: [
                Field("f64", .float64), Field("f32", .float32), Field("i32", .int32), Field("ts", .timestamp), Field("s", .string),
            ])
            try store.apply(Definitions(views: [kinds]))
            let doubles = [Double.nan, .infinity, -.infinity, 1e-05, 1e20, -0.0, 2.5]
            try store.push(doubles.enumerated().map { index, value in
                ["driver_id": .int64(Int64(index + 1)), "event_timestamp": .timestamp(time(1)), "f64": .float64(value),
                 "f32": .float32(Float(index) + 0.5), "i32": .int32(Int32(index) - 3), "ts": .timestamp(time(index)), "s": .string("s\"\\\(index)")]
            }, to: "kinds")
            let input = path + "/events.csv"
            let when = at(3)
            let text = Array("label,driver_id,event_timestamp\nplain,1,\(when)\n\"q\"\"\",2,\(when)\nback\\slash,3,\(when)\n\"two\nlines\",9,\(when)\n,4,\(when)\nélan\u{7F},5,\(when)\nx,6,\(when)\ny,7,\(when)\n".utf8)
            try Data(text + [0x6E, 0xFF] + Array(",1,\(when)\n".utf8)).write(to: URL(fileURLWithPath: input))
            let features: FeatureSelection = ["stats:trips", "stats:conv_rate", "kinds"]
            func jsonLines(_ table: HistoricalTable) -> String {
                table.rows.map { row in "{" + zip(table.columns, row).map { jsonQuoted($0) + ":" + jsonText($1) }.joined(separator: ",") + "}\n" }.joined()
            }
            func written(_ entities: EntityRows) throws -> String {
                try store.writeHistoricalFeatures(entities: entities, features: features, to: path + "/out.jsonl", format: .jsonLines)
                return try String(contentsOfFile: path + "/out.jsonl", encoding: .utf8)
            }
            let table = try store.historicalFeatures(entities: .csv(path: input), features: features)
            let expected = jsonLines(table)
            #expect(try written(.csv(path: input)) == expected)
            #expect(table.column("driver_id", as: Int64.self) == nil && table.column("driver_id", as: String.self)?.first == "1")
            #expect(expected.contains(#"{"label":"q\"","driver_id":"2","#))
            #expect(expected.contains(#""label":null,"#) && expected.contains("\"label\":\"n\u{FFFD}\""))
            #expect(expected.contains(#""trips":33,"conv_rate":0.33,"f64":null,"#) && expected.contains(#""f64":1e-05,"#) && expected.contains(#""f64":-0.0,"#))
            // The same rows as Swift cells.
            let cells = EntityRows.table(columns: table.columns.prefix(3).map { $0 }, rows: table.rows.map { Array($0.prefix(3)) })
            #expect(try written(cells) == expected)
        }
    }

    @Test func filesInFilesOutAndServices() throws {
        try withData { (store, path) throws in
            try store.apply(Definitions(services: [FeatureService("model", features: ["stats:trips", "stats:conv_rate"])]))
            let input = path + "/events.csv"
            try "label,driver_id,event_timestamp\n1,1,\(at(3))\n0,3,\(at(3))\n".write(toFile: input, atomically: true, encoding: .utf8)
            try store.writeHistoricalFeatures(entities: .csv(path: input), features: .service("model"), to: path + "/out.csv")
            #expect(try String(contentsOfFile: path + "/out.csv", encoding: .utf8) == "label,driver_id,event_timestamp,trips,conv_rate\n1,1,\(at(3)),33,0.33\n0,3,\(at(3)),,\n")
            try store.writeHistoricalFeatures(entities: .csv(path: input), features: .service("model"), to: path + "/out.jsonl", format: .jsonLines)
            let first = try String(contentsOfFile: path + "/out.jsonl", encoding: .utf8).split(separator: "\n").first
            #expect(first == "{\"label\":\"1\",\"driver_id\":\"1\",\"event_timestamp\":\"\(at(3))\",\"trips\":33,\"conv_rate\":0.33}")
            let jsonInput = path + "/events.jsonl"
            try "{\"driver_id\": 1, \"event_timestamp\": \"\(at(3))\"}\n".write(toFile: jsonInput, atomically: true, encoding: .utf8)
            let table = try store.historicalFeatures(entities: .jsonLines(path: jsonInput), features: ["stats:trips"])
            #expect(table.rows == [[.int64(1), .string(at(3)), .int64(33)]])
        }
    }

    @Test func badInputNamesWhereAndLeavesNoOutput() throws {
        try withData { (store, path) throws in
            let input = path + "/events.csv"
            let output = path + "/out.csv"
            func failure(_ csv: String, _ features: FeatureSelection = ["stats:trips"]) throws -> String {
                try csv.write(toFile: input, atomically: true, encoding: .utf8)
                do {
                    try store.writeHistoricalFeatures(entities: .csv(path: input), features: features, to: output)
                    return "no error"
                } catch {
                    #expect(!FileManager.default.fileExists(atPath: output))
                    #expect(!FileManager.default.fileExists(atPath: output + ".partial"))
                    return "\(error)"
                }
            }
            #expect(try failure("id,event_timestamp\n1,\(at(1))\n").hasPrefix("\(input):1: column driver_id: the entity rows have no join-key column 'driver_id'"))
            #expect(try failure("driver_id,event_timestamp\n1,\(at(1))\n2,tomorrow\n").hasPrefix("\(input):3: column event_timestamp:"))
            #expect(try failure("driver_id,event_timestamp\n1,2024-05-01T01:00:00\n").contains("time zone"))
            #expect(try failure("driver_id,event_timestamp\n1,\(at(1))\n1x,\(at(1))\n") == "\(input):3: column driver_id: '1x' is not an int64 join key")
            #expect(try failure("driver_id,event_timestamp\n1,\(at(1))\n2,\n").hasPrefix("\(input):3: column event_timestamp: missing timestamp"))
            #expect(try failure("driver_id,event_timestamp\n1,\(at(1))\n", ["stats:nope"]) == "unknown feature reference 'stats:nope': view stats has no feature 'nope' (known: conv_rate, trips)")
        }
    }

    @Test func historyRowsOfAServiceInATimeRange() throws {
        try withData { (store, _) throws in
            try store.apply(Definitions(services: [FeatureService("both", features: ["stats:trips", "pair"])]))
            var seen: [String: Int] = [:]
            try store.forEachHistoryRow(ofService: "both", from: time(1), to: time(3)) { view, _ in seen[view, default: 0] += 1 }
            #expect(seen == ["stats": 2, "pair": 1])  // stats at hours 1 and 2; pair at hour 1
        }
    }

    @Test func historyRowsOfAViewInATimeRange() throws {
        try withData { (store, _) throws in
            let rows = try store.historyRows(of: "stats", from: time(2), to: time(5))
            #expect(rows.map(\.eventTime) == [time(3), time(3), time(2)])
            #expect(rows.map(\.entity) == [[.int64(1)], [.int64(1)], [.int64(2)]])
        }
    }
}
