/// Invalid input: which file, line and column, and why.
public struct SourceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The source file, or `push` for rows handed over in Swift.
    public let file: String
    /// 1-based line (or row number for pushed rows); 0 when the whole file is at fault.
    public let line: Int
    /// The column name, when one column is at fault.
    public let column: String?
    public let reason: String

    /// `file:line: column c: reason`, with control characters escaped (sources are untrusted).
    public var description: String {
        let place = line > 0 ? "\(file):\(line)" : file
        return printable(column.map { "\(place): column \($0): \(reason)" } ?? "\(place): \(reason)")
    }
}
