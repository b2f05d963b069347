/// Rows from a source, one at a time, parsed on demand by column.
///
/// Sources lend each row to a closure and may reuse its storage afterwards (the CSV source
/// points into its read buffer), so nothing here is kept past the call.
protocol RowSource {
    associatedtype Row: SourceRow
    /// Where the rows come from, for error messages: a path, or `push`.
    var name: String { get }
    /// The column names, in the order `SourceRow` indexes them.
    var columns: [String] { get }
    func forEachRow(_ body: (Row) throws -> Void) throws
    /// Bytes read so far and the total, for progress reports (0 when unknown).
    var bytesRead: Int { get }
    var totalBytes: Int { get }
}

extension RowSource {
    var bytesRead: Int { 0 }
    var totalBytes: Int { 0 }
}

protocol SourceRow {
    /// The line (or, for pushed rows, the 1-based row number) for error messages.
    var line: Int { get }
    /// How many fields the row has; CSV rows may have the wrong number.
    var fieldCount: Int { get }
    func isEmpty(_ column: Int) -> Bool
    func value(_ column: Int, as type: ValueType, format: TimestampFormat) -> Result<FeatureValue, ValueParseError>
    func timestamp(_ column: Int, format: TimestampFormat) -> Result<Timestamp, ValueParseError>
}
