// The floor under the feature server's load figures (Benchmarks/server): the same request —
// the `driver_activity` service of `larder init`'s repository, five features over two views,
// for one entity or a batch — through the in-process convenience API the server calls, on the
// same store, on one thread. Prints one JSON line.
//
// Usage: ServiceLookupFloor STORE DRIVERS CUSTOMERS ENTITIES_PER_REQUEST [REQUESTS]
import Foundation
import Larder

let arguments = CommandLine.arguments
guard arguments.count >= 5, let drivers = Int(arguments[2]), let customers = Int(arguments[3]), let batch = Int(arguments[4]) else {
    FileHandle.standardError.write(Data("usage: ServiceLookupFloor STORE DRIVERS CUSTOMERS ENTITIES_PER_REQUEST [REQUESTS]\n".utf8))
    exit(1)
}
let requests = arguments.count > 5 ? Int(arguments[5]) ?? 200_000 : 200_000
let store = try FeatureStore.open(arguments[1], readOnly: true)

// The entity rows of every request, made before the clock starts: ids drawn as the load
// generator draws them (uniformly over the sample's drivers and customers).
var generator = SystemRandomNumberGenerator()
let rows: [[[String: FeatureValue]]] = (0..<min(requests, 20_000)).map { _ in
    (0..<batch).map { _ in
        ["driver_id": .int64(Int64(1000 + Int.random(in: 1...drivers, using: &generator))),
         "customer_id": .string("C\(1000 + Int.random(in: 1...customers, using: &generator))")]
    }
}

// Warm up: the resolved request and the pages touched.
for request in rows.prefix(2_000) { _ = try store.onlineFeatures(service: "driver_activity", for: request) }

var nanoseconds = [UInt64](repeating: 0, count: requests)
var present = 0
let clock = ContinuousClock()
let started = clock.now
for index in 0..<requests {
    let before = DispatchTime.now().uptimeNanoseconds
    let response = try store.onlineFeatures(service: "driver_activity", for: rows[index % rows.count])
    nanoseconds[index] = DispatchTime.now().uptimeNanoseconds - before
    if response[0, 0].status == .present { present += 1 }
}
let elapsed = clock.now - started
let sorted = nanoseconds.sorted()
let p50 = Double(sorted[sorted.count / 2]) / 1000, p99 = Double(sorted[min(sorted.count - 1, sorted.count * 99 / 100)]) / 1000
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print(#"{"requests": \#(requests), "entities_per_request": \#(batch), "requests_per_second": \#(Int(Double(requests) / seconds)), "p50_us": \#(p50), "p99_us": \#(p99), "present_share": \#(Double(present) / Double(requests))}"#)
