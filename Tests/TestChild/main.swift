// A second process for the tests: LMDB's guarantees that matter most (crash safety, readers in
// other processes, stale reader slots) can only be shown across real processes.
//
// Usage: larder-test-child COMMAND STORE [ARGS…]. Prints one line per milestone so the parent
// test can synchronise on standard output.
import Larder
import LMDBKit

#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    say("usage: larder-test-child COMMAND STORE [ARGS…]")
    exit(64)
}
let command = arguments[1]
let store = arguments[2]

func bytes(_ value: Int) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }
func integer(_ bytes: UnsafeRawBufferPointer) -> Int { Int(bigEndian: bytes.loadUnaligned(as: Int.self)) }

do {
    switch command {
    case "kill-me-mid-write":
        // Commits a marker, then sits inside a large uncommitted write until killed.
        let environment = try Environment.open(store)
        let database = try environment.createDatabase(named: "data")
        try environment.write { txn in try txn.put(Array("committed".utf8), for: Array("marker".utf8), in: database) }
        try environment.write { txn in
            for index in 0..<200_000 {
                try txn.put([UInt8](repeating: 7, count: 100), for: bytes(index), in: database)
            }
            say("writing")
            while true { sleep(1) }
        }

    case "hold-read-and-wait":
        // Takes a reader slot, reports, and waits to be killed.
        let environment = try Environment.open(store)
        try environment.read { _ in
            say("reading")
            while true { sleep(1) }
        }

    case "read-pairs":
        // Reads keys "a" and "b" (always written together) for the given seconds; reports how
        // many distinct committed values it saw and whether any read saw a half-written pair.
        let seconds = Double(arguments[3]) ?? 1
        let environment = try Environment.open(store, options: .defaults { $0.readOnly = true })
        guard let database = try environment.database(named: "pairs") else { say("no database"); exit(1) }
        var seen = Set<Int>()
        var torn = 0
        say("started")
        let deadline = clock_seconds() + seconds
        while clock_seconds() < deadline {
            try environment.read { txn in
                let a = try txn.withValue(for: Array("a".utf8), in: database) { integer($0) } ?? -1
                let b = try txn.withValue(for: Array("b".utf8), in: database) { integer($0) } ?? -1
                if a != b { torn += 1 }
                seen.insert(a)
            }
        }
        say("seen \(seen.count) torn \(torn)")

    case "open-unprivileged":
        // Drops root so file permissions apply, then tries to open the store.
        if getuid() == 0 {
            guard setgid(65534) == 0, setuid(65534) == 0 else { say("cannot drop privileges"); exit(1) }
        }
        _ = try Environment.open(store)
        say("opened")

    case "apply-loop":
        // Applies definitions that share an entity and a source and change only one view.
        let view = arguments[3]
        let rounds = Int(arguments[4]) ?? 1
        let store = try FeatureStore.open(store)
        let driver = Entity("driver", joinKey: "driver_id")
        let source = Source.csv("shared", path: "shared.csv")
        for round in 0..<rounds {
            let definition = FeatureView(view, entities: [driver], source: source) { Field("value", .float64) }
                .description("round \(round)")
            try store.apply(Definitions(entities: [driver], sources: [source], views: [definition]))
        }
        say("applied \(rounds)")

    case "materialize":
        // Materializes every view over all time; the parent kills it at a random moment.
        let store = try FeatureStore.open(store)
        say("started")
        let batchSize = arguments.count > 3 ? Int(arguments[3]) ?? 65_536 : 65_536
        let snapshot = try store.materialize(from: Timestamp(microseconds: .min), to: Timestamp(microseconds: .max),
                                             options: MaterializeOptions(batchSize: batchSize))
        say("committed \(snapshot.id)")

    case "materialize-pausing":
        // Materializes in batches of ARGS[4] rows and, after its first batch has committed,
        // reports and sleeps ARGS[3] seconds: a run that is alive between two of its commits.
        let seconds = UInt32(arguments[3]) ?? 1
        let batchSize = Int(arguments[4]) ?? 1_000
        let store = try FeatureStore.open(store)
        let snapshot = try store.materialize(
            from: Timestamp(microseconds: .min), to: Timestamp(microseconds: .max),
            options: MaterializeOptions(batchSize: batchSize, progress: { progress in
                guard progress.rowsWritten > 0, !pausedOnce else { return }
                pausedOnce = true  // progress is called on the materializing thread only
                let line = "paused \(getpid())\n"  // say() is not Sendable: main.swift's top level
                _ = line.withCString { write(1, $0, strlen($0)) }
                sleep(seconds)
            }))
        say("committed \(snapshot.id)")

    case "put-meta":
        // Writes a raw value (hex) under a key of the store's meta database: damage for tests.
        let environment = try Environment.open(store)
        guard let meta = try environment.database(named: "meta") else { say("no meta"); exit(1) }
        var value: [UInt8] = []
        var hex = Substring(arguments[4])
        while hex.count >= 2 {
            value.append(UInt8(hex.prefix(2), radix: 16) ?? 0)
            hex = hex.dropFirst(2)
        }
        try environment.write { txn in try txn.put(value, for: Array(arguments[3].utf8), in: meta) }
        say("put")

    case "dump":
        // Every visible history row and online row of every view, without snapshot ids (a run
        // killed and recovered uses other ids than an uninterrupted one), in key order.
        let store = try FeatureStore.open(store, readOnly: true)
        for definition in try store.registry.definitions.views.sorted(by: { $0.name < $1.name }) {
            let view = definition.name
            try store.forEachHistoryRow(of: view) { row in
                say("history \(view) \(row.entity) \(row.eventTime) \(row.createdTime.map { "\($0)" } ?? "-") \(row.values)")
            }
            try store.forEachOnlineRow(of: view) { entity, row in
                say("online \(view) \(entity) \(row.eventTime) \((0..<definition.features.count).map { row.value($0) })")
            }
        }

    case "read-generations":
        // Reads every entity of view `gen` in one session, for the given seconds; reports how
        // many generations it saw and how many sessions mixed two generations.
        let seconds = Double(arguments[3]) ?? 1
        let store = try FeatureStore.open(store, readOnly: true)
        let view = try store.preparedView("gen")
        var seen = Set<Int64>()
        var torn = 0
        say("started")
        let deadline = clock_seconds() + seconds
        while clock_seconds() < deadline {
            try store.withSession { session in
                var generations = Set<Int64>()
                for id in 0..<Int64(200) {
                    generations.insert(try session.withRow(view, key: id) { $0.int64(0) ?? -1 } ?? -2)
                }
                if generations.count != 1 { torn += 1 }
                seen.formUnion(generations)
            }
        }
        say("seen \(seen.count) torn \(torn)")

    default:
        say("unknown command \(command)")
        exit(64)
    }
} catch let error as LMDBError {
    say("error \(error.code) \(error)")
    exit(2)
} catch {
    say("error \(error)")
    exit(2)
}

nonisolated(unsafe) var pausedOnce = false

func clock_seconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// Writes a line straight to file descriptor 1, unbuffered, so the parent sees it at once.
func say(_ line: String) {
    let text = line + "\n"
    _ = text.withCString { write(1, $0, strlen($0)) }
}
