import ParquetKit

/// One row group's needed columns, decoded and typed, and the row being read: each row is lent
/// as a `ParquetRow` that encodes its cells straight from the typed values, without a
/// `FeatureValue` per cell (columns that need one — lists, decimals, INT96, partitions — keep
/// them as cells).
///
/// Cells are read through raw pointers into the decoded arrays, which the group keeps (never
/// mutated, so their storage stays where it is), so that reading a cell touches no reference
/// count and no exclusivity check: with arrays behind an enum, those cost more than the rest
/// of a row's work. Nothing is copied: a copy of every column cost a tenth of a Parquet run.
final class ParquetRowGroup {
    /// A decoded column, as `ParquetCells.column` makes it.
    enum Storage {
        case int64([Int64])
        /// Timestamps in microseconds (converted from the column's unit when decoded).
        case timestamp([Int64])
        case int32([Int32])
        case float([Float])
        case double([Double])
        case boolean([Bool])
        /// UTF-8 strings (checked when encoded), or bytes without a text annotation.
        case text(ByteArrays)
        case bytes(ByteArrays)
        case cells([FeatureValue])
    }

    struct Column {
        let storage: Storage
        /// Definition levels, one per row (empty when the column is required or holds cells).
        let levels: [UInt32]
        let maxLevel: UInt32
    }

    enum Kind { case int64, timestamp, int32, float, double, boolean, text, bytes, cells }

    /// A column's place in the group's buffers, and its current row.
    struct Cursor {
        let kind: Kind
        /// The values (for text and bytes, their data), and for text and bytes their offsets.
        let values: UnsafeRawPointer?
        let offsets: UnsafePointer<Int>?
        /// Definition levels, a byte each (a flat column's maximum is at most 255).
        let levels: UnsafePointer<UInt8>?
        let maxLevel: UInt8
        /// The current row's value, when present.
        var index = -1
        var present = false
    }

    let cursors: UnsafeMutablePointer<Cursor>
    let count: Int
    /// The cells of `.cells` columns (empty for the others).
    let cells: [[FeatureValue]]
    /// The decoded arrays the cursors point into, kept alive (and unchanged) with the group.
    private let retained: [Storage]
    /// Levels narrowed to a byte each, owned by the group.
    private let buffers: [UnsafeMutableRawPointer]

    /// Takes the `count` columns one at a time from `column`.
    init(count: Int, column decode: (Int) throws -> Column) rethrows {
        self.count = count
        cursors = .allocate(capacity: count)
        var cells: [[FeatureValue]] = []
        var retained: [Storage] = []
        var buffers: [UnsafeMutableRawPointer] = []
        for position in 0..<count {
            let column: Column
            do { column = try decode(position) } catch {
                cursors.deinitialize(count: position)
                cursors.deallocate()
                for buffer in buffers { buffer.deallocate() }
                throw error
            }
            var kind = Kind.cells
            var values: UnsafeRawPointer?, offsets: UnsafePointer<Int>?
            // The storage of an array that is kept and never changed stays put.
            func base<T>(_ array: [T]) -> UnsafeRawPointer? { array.withUnsafeBytes { $0.baseAddress } }
            func own<T>(_ array: [T]) -> UnsafeRawPointer {
                let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(1, array.count * MemoryLayout<T>.stride), alignment: 16)
                array.withUnsafeBytes { if let base = $0.baseAddress { buffer.copyMemory(from: base, byteCount: $0.count) } }
                buffers.append(buffer)
                return UnsafeRawPointer(buffer)
            }
            retained.append(column.storage)
            switch column.storage {
            case .int64(let array): (kind, values) = (.int64, base(array))
            case .timestamp(let array): (kind, values) = (.timestamp, base(array))
            case .int32(let array): (kind, values) = (.int32, base(array))
            case .float(let array): (kind, values) = (.float, base(array))
            case .double(let array): (kind, values) = (.double, base(array))
            case .boolean(let array): (kind, values) = (.boolean, base(array))
            case .text(let arrays), .bytes(let arrays):
                if case .text = column.storage { kind = .text } else { kind = .bytes }
                values = base(arrays.data)
                offsets = base(arrays.offsets)?.assumingMemoryBound(to: Int.self)
            case .cells: break
            }
            if case .cells(let array) = column.storage { cells.append(array) } else { cells.append([]) }
            // Levels only where some row is null: a column with a value in every row reads as a
            // required one.
            let everyRow = column.levels.withUnsafeBufferPointer { levels in levels.allSatisfy { $0 == column.maxLevel } }
            let levels = everyRow ? nil : own(column.levels.map { UInt8(truncatingIfNeeded: $0) }).assumingMemoryBound(to: UInt8.self)
            (cursors + position).initialize(to: Cursor(kind: kind, values: values, offsets: offsets, levels: levels,
                                                       maxLevel: UInt8(truncatingIfNeeded: column.maxLevel)))
        }
        self.cells = cells
        self.retained = retained
        self.buffers = buffers
    }

    deinit {
        cursors.deinitialize(count: count)
        cursors.deallocate()
        for buffer in buffers { buffer.deallocate() }
    }

    /// Moves to row `row` (rows are visited in order, from 0).
    @inline(__always)
    func advance(to row: Int) {
        for column in 0..<count {
            let cursor = cursors + column
            let present = cursor.pointee.levels.map { $0[row] == cursor.pointee.maxLevel } ?? true
            cursor.pointee.present = present
            if present { cursor.pointee.index += 1 }
        }
    }
}

/// A row of a Parquet row group, read in place.
struct ParquetRow: SourceRow {
    unowned(unsafe) let group: ParquetRowGroup
    let line: Int
    var fieldCount: Int { group.count }

    func isEmpty(_ column: Int) -> Bool {
        let cursor = group.cursors[column]
        guard cursor.present else { return true }
        return cursor.kind == .cells && group.cells[column][cursor.index] == .null
    }

    func rawField(_ column: Int) -> UnsafeRawBufferPointer? { nil }

    /// Value `index` of a text or bytes column.
    @inline(__always)
    private func bytes(_ cursor: ParquetRowGroup.Cursor) -> UnsafeRawBufferPointer {
        let start = cursor.offsets![cursor.index], end = cursor.offsets![cursor.index + 1]
        return UnsafeRawBufferPointer(start: cursor.values! + start, count: end - start)
    }

    func encode(_ column: Int, as type: ValueType, format: TimestampFormat, into encoder: inout RowEncoder, field: Int) -> ValueParseError? {
        let cursor = group.cursors[column]
        guard cursor.present else { return nil }
        let index = cursor.index
        switch (cursor.kind, type) {
        case (.double, .float64): encoder.set(field, bits: cursor.values!.load(fromByteOffset: 8 * index, as: UInt64.self))
        case (.float, .float32): encoder.set(field, bits: cursor.values!.load(fromByteOffset: 4 * index, as: UInt32.self))
        case (.int64, .int64), (.timestamp, .timestamp): encoder.set(field, bits: cursor.values!.load(fromByteOffset: 8 * index, as: Int64.self))
        case (.int32, .int32): encoder.set(field, bits: cursor.values!.load(fromByteOffset: 4 * index, as: Int32.self))
        case (.boolean, .bool): encoder.set(field, bits: UInt8(cursor.values!.load(fromByteOffset: index, as: Bool.self) ? 1 : 0))
        case (.text, .string):
            // Any UTF-8 string, the empty one included (in CSV an empty field is null; here it is not).
            let text = bytes(cursor)
            guard String(validating: text, as: UTF8.self) != nil else { return ValueParseError("a string that is not UTF-8") }
            do throws(RowEncodingError) { try encoder.set(field, variable: text) } catch { return ValueParseError(error.message) }
        case (.text, _):
            // Text parsed as the field's type, as a CSV field is.
            return ValueParser.encode(bytes(cursor), as: type, timestampFormat: format, into: &encoder, field: field)
        case (.bytes, .bytes):
            do throws(RowEncodingError) { try encoder.set(field, variable: bytes(cursor)) } catch { return ValueParseError(error.message) }
        default:
            // The other pairs go through a value, as pushed rows do: widening, whole floats.
            switch CellRow.convert(value(column), to: type, format: format) {
            case .success(let value):
                do { try encoder.set(field, value) } catch { return ValueParseError(error.message) }
            case .failure(let error):
                return error
            }
        }
        return nil
    }

    func writeKey(_ column: Int, as type: Entity.KeyType, into key: UnsafeMutableRawBufferPointer, at offset: Int) -> Result<KeyCell, ValueParseError> {
        let cursor = group.cursors[column]
        guard cursor.present else { return .success(.null) }
        if cursor.kind == .text {
            // An empty string is a key (in CSV an empty field is a missing key).
            let text = bytes(cursor)
            return text.isEmpty ? KeyField.write(.string(""), as: type, into: key, at: offset) : KeyField.write(text, as: type, into: key, at: offset)
        }
        return KeyField.write(value(column), as: type, into: key, at: offset)
    }

    func timestamp(_ column: Int, format: TimestampFormat) -> Result<Timestamp, ValueParseError> {
        let cursor = group.cursors[column]
        switch cursor.kind {
        case .timestamp: return .success(Timestamp(microseconds: cursor.values!.load(fromByteOffset: 8 * cursor.index, as: Int64.self)))
        case .text: return TimestampParser.parse(bytes(cursor), format: format)
        default: return TimestampParser.parse(value(column), format: format)
        }
    }

    /// The cell as a value (null when absent).
    func value(_ column: Int) -> FeatureValue {
        let cursor = group.cursors[column]
        guard cursor.present else { return .null }
        let index = cursor.index
        switch cursor.kind {
        case .int64: return .int64(cursor.values!.load(fromByteOffset: 8 * index, as: Int64.self))
        case .timestamp: return .timestamp(Timestamp(microseconds: cursor.values!.load(fromByteOffset: 8 * index, as: Int64.self)))
        case .int32: return .int32(cursor.values!.load(fromByteOffset: 4 * index, as: Int32.self))
        case .float: return .float32(cursor.values!.load(fromByteOffset: 4 * index, as: Float.self))
        case .double: return .float64(cursor.values!.load(fromByteOffset: 8 * index, as: Double.self))
        case .boolean: return .bool(cursor.values!.load(fromByteOffset: index, as: Bool.self))
        case .text: return .string(String(decoding: bytes(cursor), as: UTF8.self))
        case .bytes: return .bytes(Array(bytes(cursor)))
        case .cells: return group.cells[column][index]
        }
    }
}
