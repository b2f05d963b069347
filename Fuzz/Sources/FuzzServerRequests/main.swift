// The feature server's request bodies: get-online-features, push / write-to-online-store and
// materialize, decoded from any bytes. Every input must end in a request or a ServerError (an
// answer with a status), never a trap. What the JSON parser accepts, Foundation's
// JSONSerialization must accept too (the parser is no more lenient; Foundation is more: it takes
// trailing commas, which RFC 8259 and Feast's server refuse).
import Foundation
@testable import Larder
@testable import LarderServer

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzServerRequests(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let body = Data(bytes: start, count: count)
    let ours = try? JSONParser.parse(UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt8.self), count: count))
    let foundation = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
    if ours != nil, foundation == nil {
        fatalError("the parser accepts what Foundation refuses: \(Array(body))")
    }
    if let request = try? OnlineFeaturesRequest(json: body) {
        for key in request.keys {
            let written = Array(jsonQuoted(key).utf8)
            let read = written.withUnsafeBufferPointer { try? JSONParser.parse($0) }
            if read != .string(key) { fatalError("\(key) written as \(written) reads back as \(String(describing: read))") }
        }
        for row in request.rows { for value in row.values { _ = JSONText.of(value) } }
    }
    for field in ["feature_view_name", "push_source_name"] {
        if let write = try? WriteRequest(json: body, targetField: field) {
            let view = FeatureView("v", entityNames: ["e"], sourceName: "s", features: [], createdTimestampColumn: "created")
            _ = try? write.rows(for: view)
        }
    }
    for incremental in [false, true] {
        if let run = try? MaterializeRequest(json: body, incremental: incremental) { _ = run.viewList }
    }
    return 0
}
