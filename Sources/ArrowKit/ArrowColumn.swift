/// One column of a batch of rows, built by appending row by row, held in Arrow's memory layout:
/// a validity bitmap, then fixed-width values (a slot per row, zero under a null), bits for
/// booleans, or offsets into UTF-8 bytes or into a child column of list elements. The Arrow IPC
/// writer copies these buffers as they are; the Parquet writer encodes them.
///
/// The appends are `@inlinable`, with the storage they touch `@usableFromInline`: a training
/// set appends every cell through them from another module, and a call per cell cost a third
/// of the Arrow writer's time (HistoricalJoin benchmark, Docs/Performance.md).
public struct ArrowColumn: Sendable {
    public let type: ArrowType
    /// Which buffer the values live in: a plain tag, so the appends check it for free.
    @usableFromInline let layout: Layout
    /// float32 and float64: the floating-point reading of `words` or `halfWords`.
    @usableFromInline let isFloat: Bool
    @usableFromInline var rows = 0
    @usableFromInline var nulls = 0
    @usableFromInline var validityBits: [UInt8] = []
    /// int64, float64 and timestamp values (as bit patterns).
    @usableFromInline var words: [UInt64] = []
    /// int32 and float32 values (as bit patterns).
    @usableFromInline var halfWords: [UInt32] = []
    /// Boolean values as bits, or a string or binary column's bytes.
    @usableFromInline var bytes: [UInt8] = []
    @usableFromInline var offsetValues: [Int32]
    /// A list column's elements, all non-null (empty for other types).
    @usableFromInline var children: [ArrowColumn]

    @usableFromInline enum Layout: UInt8, Sendable {
        case words, halfWords, bits, bytes, list
    }

    public var count: Int { rows }
    public var nullCount: Int { nulls }
    /// One bit per row, least significant bit first: set where the row holds a value. Empty
    /// while no row is null (Arrow's own convention): most columns never pay for it.
    public var validity: [UInt8] { validityBits }
    /// String, binary and list columns: where row i starts (`offsets[i]`) and ends
    /// (`offsets[i + 1]`) in the bytes or in `elements`.
    public var offsets: [Int32] { offsetValues }
    /// The elements of a list column.
    public var elements: ArrowColumn? { children.first }

    public init(_ type: ArrowType, capacity: Int = 0) {
        self.type = type
        switch type {
        case .int64, .float64, .timestampMicrosecondsUTC: layout = .words
        case .int32, .float32: layout = .halfWords
        case .bool: layout = .bits
        case .string, .binary: layout = .bytes
        case .list: layout = .list
        }
        isFloat = type == .float32 || type == .float64
        offsetValues = layout == .bytes || layout == .list ? [0] : []
        if case .list(let element) = type { children = [ArrowColumn(element)] } else { children = [] }
        reserve(capacity)
    }

    public mutating func reserve(_ rows: Int) {
        switch layout {
        case .words: words.reserveCapacity(rows)
        case .halfWords: halfWords.reserveCapacity(rows)
        case .bits: bytes.reserveCapacity((rows + 7) / 8)
        case .bytes, .list: offsetValues.reserveCapacity(rows + 1)
        }
    }

    /// Empties the column, keeping its buffers' capacity for the next batch.
    public mutating func removeAll() {
        rows = 0
        nulls = 0
        validityBits.removeAll(keepingCapacity: true)
        words.removeAll(keepingCapacity: true)
        halfWords.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        if !offsetValues.isEmpty { offsetValues.removeAll(keepingCapacity: true); offsetValues.append(0) }
        if !children.isEmpty { children[0].removeAll() }
    }

    /// About how many bytes the column's buffers hold.
    public var byteCount: Int {
        validityBits.count + 8 * words.count + 4 * halfWords.count + bytes.count + 4 * offsetValues.count + (children.first?.byteCount ?? 0)
    }

    // MARK: Appending rows

    @inlinable
    mutating func appendValidity(_ valid: Bool) {
        if nulls > 0 {
            if rows & 7 == 0 { validityBits.append(0) }
            if valid { validityBits[validityBits.count - 1] |= 1 << UInt8(rows & 7) } else { nulls += 1 }
        } else if !valid {
            startValidity()
        }
        rows += 1
    }

    /// The first null: every row before it was valid.
    @usableFromInline
    mutating func startValidity() {
        validityBits.append(contentsOf: repeatElement(0xFF, count: rows / 8))
        validityBits.append(rows & 7 != 0 ? UInt8(1 << (rows & 7)) - 1 : 0)
        nulls = 1
    }

    /// A null row: the value slot, offset or bit it leaves is zero or empty.
    @inlinable
    public mutating func appendNull() {
        switch layout {
        case .words: words.append(0)
        case .halfWords: halfWords.append(0)
        case .bits: if rows & 7 == 0 { bytes.append(0) }
        case .bytes: offsetValues.append(Int32(truncatingIfNeeded: bytes.count))
        case .list: offsetValues.append(offsetValues[offsetValues.count - 1])
        }
        appendValidity(false)
    }

    /// An int64 or timestamp (microseconds) row.
    @inlinable
    public mutating func append(_ value: Int64) {
        precondition(layout == .words && !isFloat, "an Int64 appended to a \(type) column")
        words.append(UInt64(bitPattern: value))
        appendValidity(true)
    }

    @inlinable
    public mutating func append(_ value: Double) {
        precondition(layout == .words && isFloat, "a Double appended to a \(type) column")
        words.append(value.bitPattern)
        appendValidity(true)
    }

    @inlinable
    public mutating func append(_ value: Int32) {
        precondition(layout == .halfWords && !isFloat, "an Int32 appended to a \(type) column")
        halfWords.append(UInt32(bitPattern: value))
        appendValidity(true)
    }

    @inlinable
    public mutating func append(_ value: Float) {
        precondition(layout == .halfWords && isFloat, "a Float appended to a \(type) column")
        halfWords.append(value.bitPattern)
        appendValidity(true)
    }

    public mutating func append(_ value: Bool) {
        precondition(layout == .bits, "a Bool appended to a \(type) column")
        if rows & 7 == 0 { bytes.append(0) }
        if value { bytes[bytes.count - 1] |= 1 << UInt8(rows & 7) }
        appendValidity(true)
    }

    /// A string row from its UTF-8 bytes, or a binary row.
    @inlinable
    public mutating func append(utf8: UnsafeRawBufferPointer) throws {
        precondition(layout == .bytes, "bytes appended to a \(type) column")
        guard bytes.count + utf8.count <= Int(Int32.max) else { throw ArrowError.tooLarge("a batch's strings exceed 2 GiB") }
        bytes.append(contentsOf: utf8)
        offsetValues.append(Int32(truncatingIfNeeded: bytes.count))
        appendValidity(true)
    }

    public mutating func append(_ string: String) throws {
        var string = string
        try string.withUTF8 { try append(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// A list row: `fill` appends its elements to the element column.
    public mutating func appendList(_ fill: (inout ArrowColumn) throws -> Void) throws {
        precondition(layout == .list, "a list appended to a \(type) column")
        try fill(&children[0])
        guard children[0].count <= Int(Int32.max) else { throw ArrowError.tooLarge("a batch's list elements exceed 2^31") }
        offsetValues.append(Int32(children[0].count))
        appendValidity(true)
    }

    // MARK: Reading the buffers

    /// The value buffer as Arrow lays it out: fixed-width values, bits, or UTF-8 bytes.
    public func withValueBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch layout {
        case .words: try words.withUnsafeBytes(body)
        case .halfWords: try halfWords.withUnsafeBytes(body)
        case .bits, .bytes: try bytes.withUnsafeBytes(body)
        case .list: try body(UnsafeRawBufferPointer(start: nil, count: 0))
        }
    }

    /// Whether row `row` holds a value.
    @inlinable
    public func isValid(_ row: Int) -> Bool {
        nulls == 0 || validityBits[row >> 3] & (1 << UInt8(row & 7)) != 0
    }
}

public enum ArrowError: Error, Sendable, Equatable, CustomStringConvertible {
    case tooLarge(String)
    /// A batch that does not match the schema it is written under.
    case schemaMismatch(String)

    public var description: String {
        switch self {
        case .tooLarge(let what): what
        case .schemaMismatch(let what): what
        }
    }
}
