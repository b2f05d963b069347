// Timestamps in every source format, and durations as definitions files and the CLI write them.
@testable import Larder

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTime(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    let formats: [TimestampFormat] = [.iso8601, .iso8601AssumingOffset(seconds: -18_000), .epochSeconds, .epochMilliseconds, .epochMicroseconds]
    for format in formats {
        if case .success(let time) = TimestampParser.parse(bytes, format: format) {
            _ = time.description  // formatting every parsed time must not trap either
        }
    }
    let text = String(decoding: bytes, as: UTF8.self)
    if let duration = try? parseDuration(text) {
        _ = formatDuration(duration)
        _ = duration.microseconds
        _ = Timestamp.now + duration
        _ = Timestamp(microseconds: .min) - duration
    }
    return 0
}
