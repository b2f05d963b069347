/// One entity row, lent to a pass of the join: a CSV record, read straight from its bytes (no
/// string or `FeatureValue` per cell on the hot path), or the cells of a JSON Lines object or a
/// Swift table. Keys and times are read as materialization reads its source rows (`SourceRow`).
/// Valid only inside the closure it is lent to.
enum EntityRow {
    case csv(CSVRecord)
    case cells(CellRow)

    /// The cell as a value: a CSV field is a string, or null when empty.
    func cell(_ column: Int) -> FeatureValue {
        switch self {
        case .csv(let record): record.field(column).isEmpty ? .null : .string(record.string(column))
        case .cells(let row): row.cells[column]
        }
    }

    /// Every cell, as values.
    var cells: [FeatureValue] {
        switch self {
        case .csv(let record): (0..<record.count).map(cell)
        case .cells(let row): row.cells
        }
    }

    /// The row's time in microseconds, or why the cell holds none.
    func time(_ column: Int, format: TimestampFormat) -> Result<Int64, ValueParseError> {
        switch self {
        case .csv(let record): record.time(column, format: format)
        case .cells(let row): row.time(column, format: format)
        }
    }

    /// Writes the cell's join-key value into `key` at `offset` (see `KeyField`).
    func writeKey(_ column: Int, as type: Entity.KeyType, into key: UnsafeMutableRawBufferPointer, at offset: Int) -> Result<KeyCell, ValueParseError> {
        switch self {
        case .csv(let record): record.writeKey(column, as: type, into: key, at: offset)
        case .cells(let row): row.writeKey(column, as: type, into: key, at: offset)
        }
    }
}
