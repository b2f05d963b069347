/// The text forms of times, public so tools built on Larder (its CLI first) read them exactly as
/// sources do.
extension Timestamp {
    /// Parses `text` the way a source with `format` would: ISO-8601 with a zone (or the offset
    /// the format assumes), or epoch seconds, milliseconds or microseconds.
    public init(parsing text: String, format: TimestampFormat = .iso8601) throws(SourceError) {
        switch Array(text.utf8).withUnsafeBytes({ TimestampParser.parse($0, format: format) }) {
        case .success(let time): self = time
        case .failure(let error): throw SourceError(file: "input", line: 0, column: nil, reason: error.message)
        }
    }
}
