// The definitions file reader (YAML) over arbitrary text, then validation of what it read.
@testable import Larder

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDefinitions(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    if let definitions = try? Definitions(yaml: text, file: "fuzz.yaml") {
        try? definitions.validate()
        _ = definitions.views.map { $0.ttl.larderDescription }
    }
    return 0
}
