/// A column chunk's values, decoded: the levels of every value slot (empty when the column's
/// maximum level is 0) and the values present, in order (a null has a level below the maximum
/// and no value).
public struct ColumnData: Sendable {
    public var definitionLevels: [UInt32] = []
    public var repetitionLevels: [UInt32] = []
    public var values: ColumnValues
}

/// Values of one physical type.
public enum ColumnValues: Sendable {
    case boolean([Bool])
    case int32([Int32])
    case int64([Int64])
    /// Spark's legacy timestamps: nanoseconds of the day, then the Julian day.
    case int96([Int96])
    case float([Float])
    case double([Double])
    /// BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY values.
    case bytes(ByteArrays)

    public var count: Int {
        switch self {
        case .boolean(let values): values.count
        case .int32(let values): values.count
        case .int64(let values): values.count
        case .int96(let values): values.count
        case .float(let values): values.count
        case .double(let values): values.count
        case .bytes(let values): values.count
        }
    }

    /// Makes room for `count` more values.
    mutating func reserve(_ count: Int) {
        switch self {
        case .boolean(var values): self = .boolean([]); values.reserveCapacity(values.count + count); self = .boolean(values)
        case .int32(var values): self = .int32([]); values.reserveCapacity(values.count + count); self = .int32(values)
        case .int64(var values): self = .int64([]); values.reserveCapacity(values.count + count); self = .int64(values)
        case .int96(var values): self = .int96([]); values.reserveCapacity(values.count + count); self = .int96(values)
        case .float(var values): self = .float([]); values.reserveCapacity(values.count + count); self = .float(values)
        case .double(var values): self = .double([]); values.reserveCapacity(values.count + count); self = .double(values)
        case .bytes(var values): self = .bytes(ByteArrays()); values.reserve(count); self = .bytes(values)
        }
    }

    static func empty(_ type: PhysicalType) -> ColumnValues {
        switch type {
        case .boolean: .boolean([])
        case .int32: .int32([])
        case .int64: .int64([])
        case .int96: .int96([])
        case .float: .float([])
        case .double: .double([])
        default: .bytes(ByteArrays())
        }
    }
}

public struct Int96: Sendable, Equatable {
    public var nanosecondsOfDay: UInt64
    public var julianDay: UInt32
}

/// Variable-length byte strings packed in one buffer.
public struct ByteArrays: Sendable, Equatable {
    /// `offsets[i]..<offsets[i + 1]` is value `i` in `data`.
    public private(set) var offsets: [Int] = [0]
    public private(set) var data: [UInt8] = []

    public init() {}

    public var count: Int { offsets.count - 1 }

    public subscript(index: Int) -> ArraySlice<UInt8> { data[offsets[index]..<offsets[index + 1]] }

    mutating func reserve(_ count: Int) {
        offsets.reserveCapacity(offsets.count + count)
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        data.append(contentsOf: bytes)
        offsets.append(data.count)
    }

    mutating func append(contentsOf other: ByteArrays, index: Int) {
        data.append(contentsOf: other[index])
        offsets.append(data.count)
    }
}
