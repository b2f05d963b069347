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
    /// Lends each row to `body`. With `malformed`, a line the source cannot parse at all goes
    /// there instead and reading goes on with the next one; without it, it is thrown.
    func forEachRow(malformed: ((SourceError) throws -> Void)?, _ body: (Row) throws -> Void) throws
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
    /// Parses the column as `type` into field `field` of the row being built (empty is null).
    func encode(_ column: Int, as type: ValueType, format: TimestampFormat, into encoder: inout RowEncoder, field: Int) -> ValueParseError?
    /// Writes the column, a join key, into `key` at `offset` (see `KeyField`).
    func writeKey(_ column: Int, as type: Entity.KeyType, into key: UnsafeMutableRawBufferPointer, at offset: Int) -> Result<KeyCell, ValueParseError>
    /// The column as a timestamp in `format`; the column is not empty.
    func timestamp(_ column: Int, format: TimestampFormat) -> Result<Timestamp, ValueParseError>
    /// The field's bytes, for sources that have them (CSV), so repeated values can be recognized
    /// without parsing them again; nil for sources of typed values.
    func rawField(_ column: Int) -> UnsafeRawBufferPointer?
}

extension SourceRow {
    /// The column as a time in microseconds: the one way both materialization and the join read
    /// event and created times.
    func time(_ column: Int, format: TimestampFormat) -> Result<Int64, ValueParseError> {
        if isEmpty(column) { return .failure(ValueParseError("missing timestamp")) }
        // A closure, not `\.microseconds`: a key path as a function costs a retain per row.
        return timestamp(column, format: format).map { $0.microseconds }
    }
}

/// Rows whose fields come as typed values (JSON Lines, pushed rows, Swift tables): keys and
/// times are read from the cells, features through `value`.
protocol ValueSourceRow: SourceRow {
    /// The column's cell as it came (`.null` when absent).
    func cell(_ column: Int) -> FeatureValue
    func value(_ column: Int, as type: ValueType, format: TimestampFormat) -> Result<FeatureValue, ValueParseError>
}

extension ValueSourceRow {
    func rawField(_ column: Int) -> UnsafeRawBufferPointer? { nil }

    func encode(_ column: Int, as type: ValueType, format: TimestampFormat, into encoder: inout RowEncoder, field: Int) -> ValueParseError? {
        switch value(column, as: type, format: format) {
        case .success(let value):
            do { try encoder.set(field, value) } catch { return ValueParseError(error.message) }
            return nil
        case .failure(let error):
            return error
        }
    }

    func writeKey(_ column: Int, as type: Entity.KeyType, into key: UnsafeMutableRawBufferPointer, at offset: Int) -> Result<KeyCell, ValueParseError> {
        KeyField.write(cell(column), as: type, into: key, at: offset)
    }

    func timestamp(_ column: Int, format: TimestampFormat) -> Result<Timestamp, ValueParseError> {
        TimestampParser.parse(cell(column), format: format)
    }
}
