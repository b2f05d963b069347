/// One column of a batch of rows, built by appending row by row, held in Arrow's memory layout:
/// a validity bitmap, then fixed-width values (a slot per row, zero under a null), bits for
/// booleans, or offsets into UTF-8 bytes or into a child column of list elements. The Arrow IPC
/// writer copies these buffers as they are; the Parquet writer encodes them.
public struct ArrowColumn: Sendable {
    public let type: ArrowType
    public private(set) var count = 0
    public private(set) var nullCount = 0
    /// One bit per row, least significant bit first: set where the row holds a value. Empty
    /// while no row is null (Arrow's own convention): most columns never pay for it.
    public private(set) var validity: [UInt8] = []
    /// int64, float64 and timestamp values (as bit patterns).
    private(set) var words: [UInt64] = []
    /// int32 and float32 values (as bit patterns).
    private(set) var halfWords: [UInt32] = []
    /// Boolean values as bits, or a string or binary column's bytes.
    private(set) var bytes: [UInt8] = []
    /// String and list columns: where row i starts (`offsets[i]`) and ends (`offsets[i + 1]`)
    /// in `bytes` or in `elements`.
    public private(set) var offsets: [Int32]
    /// A list column's elements, all non-null (empty for other types).
    private var children: [ArrowColumn]

    public init(_ type: ArrowType, capacity: Int = 0) {
        self.type = type
        switch type {
        case .string, .binary, .list: offsets = [0]
        default: offsets = []
        }
        if case .list(let element) = type { children = [ArrowColumn(element)] } else { children = [] }
        reserve(capacity)
    }

    /// The elements of a list column.
    public var elements: ArrowColumn? { children.first }

    public mutating func reserve(_ rows: Int) {
        validity.reserveCapacity((rows + 7) / 8)
        switch type {
        case .int64, .float64, .timestampMicrosecondsUTC: words.reserveCapacity(rows)
        case .int32, .float32: halfWords.reserveCapacity(rows)
        case .bool: bytes.reserveCapacity((rows + 7) / 8)
        case .string, .binary, .list: offsets.reserveCapacity(rows + 1)
        }
    }

    /// Empties the column, keeping its buffers' capacity for the next batch.
    public mutating func removeAll() {
        count = 0
        nullCount = 0
        validity.removeAll(keepingCapacity: true)
        words.removeAll(keepingCapacity: true)
        halfWords.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        if !offsets.isEmpty { offsets.removeAll(keepingCapacity: true); offsets.append(0) }
        if !children.isEmpty { children[0].removeAll() }
    }

    // MARK: Appending rows

    @inline(__always)
    private mutating func appendValidity(_ valid: Bool) {
        if nullCount > 0 {
            if count & 7 == 0 { validity.append(0) }
            if valid { validity[validity.count - 1] |= 1 << UInt8(count & 7) } else { nullCount += 1 }
        } else if !valid {
            // The first null: every row before it was valid.
            validity.append(contentsOf: repeatElement(0xFF, count: count / 8))
            if count & 7 != 0 { validity.append(UInt8(1 << (count & 7)) - 1) } else { validity.append(0) }
            nullCount = 1
        }
        count += 1
    }

    /// A null row: the value slot, offset or bit it leaves is zero or empty.
    public mutating func appendNull() {
        switch type {
        case .int64, .float64, .timestampMicrosecondsUTC: words.append(0)
        case .int32, .float32: halfWords.append(0)
        case .bool: if count & 7 == 0 { bytes.append(0) }
        case .string, .binary: offsets.append(Int32(truncatingIfNeeded: bytes.count))
        case .list: offsets.append(offsets[offsets.count - 1])
        }
        appendValidity(false)
    }

    /// An int64 or timestamp (microseconds) row.
    @inline(__always)
    public mutating func append(_ value: Int64) {
        precondition(type == .int64 || type == .timestampMicrosecondsUTC, "an Int64 appended to a \(type) column")
        words.append(UInt64(bitPattern: value))
        appendValidity(true)
    }

    @inline(__always)
    public mutating func append(_ value: Double) {
        precondition(type == .float64, "a Double appended to a \(type) column")
        words.append(value.bitPattern)
        appendValidity(true)
    }

    public mutating func append(_ value: Int32) {
        precondition(type == .int32, "an Int32 appended to a \(type) column")
        halfWords.append(UInt32(bitPattern: value))
        appendValidity(true)
    }

    public mutating func append(_ value: Float) {
        precondition(type == .float32, "a Float appended to a \(type) column")
        halfWords.append(value.bitPattern)
        appendValidity(true)
    }

    public mutating func append(_ value: Bool) {
        precondition(type == .bool, "a Bool appended to a \(type) column")
        if count & 7 == 0 { bytes.append(0) }
        if value { bytes[bytes.count - 1] |= 1 << UInt8(count & 7) }
        appendValidity(true)
    }

    /// A string row from its UTF-8 bytes, or a binary row.
    public mutating func append(utf8: UnsafeRawBufferPointer) throws {
        precondition(type.isVariableWidth, "bytes appended to a \(type) column")
        guard bytes.count + utf8.count <= Int(Int32.max) else { throw ArrowError.tooLarge("a batch's strings exceed 2 GiB") }
        bytes.append(contentsOf: utf8)
        offsets.append(Int32(bytes.count))
        appendValidity(true)
    }

    public mutating func append(_ string: String) throws {
        var string = string
        try string.withUTF8 { (text) throws in try append(utf8: UnsafeRawBufferPointer(text)) }
    }

    /// A list row: `fill` appends its elements to the element column.
    public mutating func appendList(_ fill: (inout ArrowColumn) throws -> Void) throws {
        guard case .list = type else { preconditionFailure("a list appended to a \(type) column") }
        try fill(&children[0])
        guard children[0].count <= Int(Int32.max) else { throw ArrowError.tooLarge("a batch's list elements exceed 2^31") }
        offsets.append(Int32(children[0].count))
        appendValidity(true)
    }

    // MARK: Reading the buffers

    /// The value buffer as Arrow lays it out: fixed-width values, bits, or UTF-8 bytes.
    public func withValueBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch type {
        case .int64, .float64, .timestampMicrosecondsUTC: try words.withUnsafeBytes(body)
        case .int32, .float32: try halfWords.withUnsafeBytes(body)
        case .bool, .string, .binary: try bytes.withUnsafeBytes(body)
        case .list: try body(UnsafeRawBufferPointer(start: nil, count: 0))
        }
    }

    /// About how many bytes the column's buffers hold.
    public var byteCount: Int {
        validity.count + 8 * words.count + 4 * halfWords.count + bytes.count + 4 * offsets.count + (children.first?.byteCount ?? 0)
    }

    /// Whether row `row` holds a value.
    @inline(__always)
    public func isValid(_ row: Int) -> Bool {
        nullCount == 0 || validity[row >> 3] & (1 << UInt8(row & 7)) != 0
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
