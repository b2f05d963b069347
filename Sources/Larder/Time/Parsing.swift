/// The text forms of times and durations, public so tools built on Larder (its CLI first) read
/// them exactly as sources and definitions files do.
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

extension Duration {
    /// Parses the definitions-file syntax: `0`, bare seconds, or number+unit pairs with the
    /// largest unit first (`30d`, `12h`, `1h30m`, `90s`, `500ms`).
    public init(parsing text: String) throws {
        self = try parseDuration(text)
    }

    /// The shortest definitions-file spelling: `1d`, `1h30m`, `500ms`, `0`.
    public var larderDescription: String { formatDuration(self) }
}
