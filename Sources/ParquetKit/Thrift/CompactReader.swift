/// Reads values of the Thrift compact protocol — what Parquet's footer and page headers are
/// written in — from bytes lent by the caller, checking every length against what is left.
///
/// The protocol in brief: integers are ULEB128 varints, zigzag-encoded when signed; a struct is
/// a sequence of field headers (the field id as a delta from the previous one, or in full, and a
/// 4-bit type) ended by a zero byte; booleans in a struct live in the field header; lists carry
/// their size and element type in one byte (or a varint beyond 14 elements). Fields a reader
/// does not know are skipped by type, so metadata written by newer writers still reads.
/// Spec: https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md
public struct CompactReader: ~Copyable {
    /// Field and element types of the compact protocol.
    public enum FieldType: UInt8, Sendable {
        case stop = 0, boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6
        case double = 7, binary = 8, list = 9, set = 10, map = 11, `struct` = 12
    }

    /// A struct's next field: its id and type, or `nil` at the struct's end.
    public struct FieldHeader: Sendable {
        public let id: Int16
        public let type: FieldType
    }

    private let bytes: UnsafeRawBufferPointer
    /// The offset of the next byte to read.
    public private(set) var offset = 0
    /// Ids of the previous field in each struct being read (field ids are deltas from them).
    private var lastFieldIds: [Int16] = []
    /// The value of a boolean field, carried in its header.
    private var pendingBool: Bool?

    /// Nesting deeper than this is refused: real metadata nests a few levels, and a malicious
    /// file must not exhaust the stack when skipped.
    public static let maximumDepth = 64

    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    public var isAtEnd: Bool { offset >= bytes.count }

    private func error(_ what: String) -> ThriftError {
        ThriftError(offset: offset, reason: what)
    }

    // MARK: Primitives

    public mutating func readByte() throws(ThriftError) -> UInt8 {
        guard offset < bytes.count else { throw error("the data ends early") }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// An unsigned LEB128 varint of at most 64 bits.
    public mutating func readVarint() throws(ThriftError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            if shift == 63 && byte > 1 { throw error("a varint overflows 64 bits") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw error("a varint overflows 64 bits") }
        }
    }

    public mutating func readI64() throws(ThriftError) -> Int64 {
        let raw = try readVarint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))  // zigzag
    }

    public mutating func readI32() throws(ThriftError) -> Int32 {
        let value = try readI64()
        guard let narrow = Int32(exactly: value) else { throw error("\(value) does not fit an i32") }
        return narrow
    }

    public mutating func readI16() throws(ThriftError) -> Int16 {
        let value = try readI64()
        guard let narrow = Int16(exactly: value) else { throw error("\(value) does not fit an i16") }
        return narrow
    }

    public mutating func readDouble() throws(ThriftError) -> Double {
        guard bytes.count - offset >= 8 else { throw error("the data ends inside a double") }
        defer { offset += 8 }
        return Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
    }

    /// A binary or string value's bytes, lent from the input.
    public mutating func readBinary() throws(ThriftError) -> UnsafeRawBufferPointer {
        let length = try readVarint()
        guard length <= UInt64(bytes.count - offset) else { throw error("a binary of \(length) bytes runs past the end") }
        defer { offset += Int(length) }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + Int(length)])
    }

    public mutating func readString() throws(ThriftError) -> String {
        let raw = try readBinary()
        guard let text = String(validating: raw, as: UTF8.self) else { throw error("a string is not UTF-8") }
        return text
    }

    /// A boolean field's value (from its header), or a boolean list element.
    public mutating func readBool() throws(ThriftError) -> Bool {
        if let pending = pendingBool {
            pendingBool = nil
            return pending
        }
        switch try readByte() {
        case 1: return true
        case 0, 2: return false
        case let other: throw error("\(other) is not a boolean")
        }
    }

    // MARK: Structs and lists

    public mutating func beginStruct() throws(ThriftError) {
        guard lastFieldIds.count < Self.maximumDepth else { throw error("structs nest deeper than \(Self.maximumDepth)") }
        lastFieldIds.append(0)
    }

    public mutating func endStruct() {
        lastFieldIds.removeLast()
    }

    /// The next field's header, or `nil` at the end of the struct.
    public mutating func readFieldHeader() throws(ThriftError) -> FieldHeader? {
        let byte = try readByte()
        guard byte != 0 else { return nil }
        guard let type = FieldType(rawValue: byte & 0x0F), type != .stop else { throw error("unknown field type \(byte & 0x0F)") }
        let delta = Int16(byte >> 4)
        let id = delta == 0 ? try readI16() : lastFieldIds[lastFieldIds.count - 1] &+ delta
        lastFieldIds[lastFieldIds.count - 1] = id
        if type == .boolTrue || type == .boolFalse { pendingBool = type == .boolTrue }
        return FieldHeader(id: id, type: type)
    }

    /// A list's (or set's) element type and count.
    public mutating func readListHeader() throws(ThriftError) -> (elementType: FieldType, count: Int) {
        let byte = try readByte()
        guard let type = FieldType(rawValue: byte & 0x0F) else { throw error("unknown element type \(byte & 0x0F)") }
        var count = UInt64(byte >> 4)
        if count == 15 { count = try readVarint() }
        // Every element takes at least one byte (booleans and empty structs too): a larger count
        // is a lie that would make the caller reserve room for it.
        guard count <= UInt64(bytes.count - offset) else { throw error("a list of \(count) elements runs past the end") }
        return (type, Int(count))
    }

    /// Reads a list of `count` elements with `element`, after checking their type.
    public mutating func readList<T>(
        of expected: FieldType, _ element: (inout CompactReader) throws(ThriftError) -> T
    ) throws(ThriftError) -> [T] {
        let (type, count) = try readListHeader()
        guard count == 0 || type == expected || (expected == .boolTrue && type == .boolFalse) else {
            throw error("a list holds \(type) where \(expected) was expected")
        }
        var result: [T] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try element(&self)) }
        return result
    }

    /// Skips a value of `type`, whatever it holds.
    public mutating func skip(_ type: FieldType) throws(ThriftError) {
        try skip(type, depth: lastFieldIds.count)
    }

    private mutating func skip(_ type: FieldType, depth: Int) throws(ThriftError) {
        guard depth < Self.maximumDepth else { throw error("values nest deeper than \(Self.maximumDepth)") }
        switch type {
        case .stop: throw error("a stop where a value was expected")
        case .boolTrue, .boolFalse: _ = try readBool()
        case .byte: _ = try readByte()
        case .i16, .i32, .i64: _ = try readVarint()
        case .double: _ = try readDouble()
        case .binary: _ = try readBinary()
        case .list, .set:
            let (elementType, count) = try readListHeader()
            for _ in 0..<count {
                if elementType == .boolTrue || elementType == .boolFalse { _ = try readByte() } else { try skip(elementType, depth: depth + 1) }
            }
        case .map:
            let count = try readVarint()
            guard count > 0 else { return }
            guard count <= UInt64(bytes.count - offset) else { throw error("a map of \(count) entries runs past the end") }
            let types = try readByte()
            guard let keyType = FieldType(rawValue: types >> 4), let valueType = FieldType(rawValue: types & 0x0F) else {
                throw error("unknown map types \(types)")
            }
            for _ in 0..<count {
                try skipElement(keyType, depth: depth + 1)
                try skipElement(valueType, depth: depth + 1)
            }
        case .struct:
            try beginStruct()
            while let field = try readFieldHeader() { try skip(field.type, depth: depth + 1) }
            endStruct()
        }
    }

    /// A collection's element: booleans there take a byte of their own.
    private mutating func skipElement(_ type: FieldType, depth: Int) throws(ThriftError) {
        if type == .boolTrue || type == .boolFalse { _ = try readByte() } else { try skip(type, depth: depth) }
    }
}

/// Thrift data that cannot be read: where, and what is wrong.
public struct ThriftError: Error, Sendable, CustomStringConvertible {
    /// The offset in the Thrift data where reading stopped.
    public let offset: Int
    public let reason: String

    public var description: String { "\(reason) (at byte \(offset) of the metadata)" }
}
