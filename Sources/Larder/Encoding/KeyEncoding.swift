/// Canonical, order-preserving key bytes (see Docs/StorageFormat.md).
///
/// - `int64`: 8 bytes big-endian with the sign bit flipped, so byte order is numeric order.
/// - `string`: a 2-byte big-endian length, then the UTF-8 bytes. Strings sort by length, then
///   bytes: not alphabetical, but a total order that keeps each key's rows contiguous, which is
///   all the history layout needs.
/// - times (event, created): like `int64`, in microseconds.
/// - snapshot ids: 8 bytes big-endian.
///
/// A composite key is its parts concatenated in the view's entity order.
@usableFromInline
enum KeyEncoding {
    /// A one-part int64 entity key, as a value whose bytes are the key: for the lookup hot path,
    /// which keeps the key on the stack.
    @inlinable @inline(__always)
    static func int64Key(_ value: Int64) -> UInt64 { (UInt64(bitPattern: value) ^ (1 << 63)).bigEndian }

    /// LMDB's default maximum key size.
    static let maxKeyLength = 511
    /// The longest entity key a stored row can have (its history key is then LMDB's longest).
    static let maxEntityKeyLength = maxKeyLength - HistoryKey.suffixLength

    /// Whether `values` can be a stored key: each string's length fits its 2-byte prefix and
    /// the history key (entity + 24 bytes) fits LMDB's key size. No stored row has a key that
    /// does not, so a lookup for one simply finds nothing.
    static func fits(_ values: [EntityKeyValue]) -> Bool {
        for case .string(let text) in values where text.utf8.count > Int(UInt16.max) { return false }
        return length(of: values) <= maxEntityKeyLength
    }

    static func length(of values: [EntityKeyValue]) -> Int {
        values.reduce(0) { total, value in
            switch value {
            case .int64: total + 8
            case .string(let text): total + 2 + text.utf8.count
            }
        }
    }

    @inline(__always)
    static func storeInt64(_ value: Int64, at offset: Int, in buffer: UnsafeMutableRawBufferPointer) {
        buffer.storeBytes(of: int64Key(value), toByteOffset: offset, as: UInt64.self)
    }

    @inline(__always)
    static func loadInt64(at offset: Int, in buffer: UnsafeRawBufferPointer) -> Int64 {
        Int64(bitPattern: UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) ^ (1 << 63))
    }

    @inline(__always)
    static func storeUInt64(_ value: UInt64, at offset: Int, in buffer: UnsafeMutableRawBufferPointer) {
        buffer.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt64.self)
    }

    @inline(__always)
    static func loadUInt64(at offset: Int, in buffer: UnsafeRawBufferPointer) -> UInt64 {
        UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// Appends an int64 key part (or a time, in microseconds).
    @inline(__always)
    static func append(_ value: Int64, to key: inout [UInt8]) {
        withUnsafeBytes(of: (UInt64(bitPattern: value) ^ (1 << 63)).bigEndian) { key.append(contentsOf: $0) }
    }

    /// Writes a string key part (its 2-byte length, then its bytes) at `offset`; returns the bytes
    /// written, or nil when `buffer` has no room for it or it is too long for its length.
    @inline(__always)
    static func store(string bytes: UnsafeRawBufferPointer, at offset: Int, in buffer: UnsafeMutableRawBufferPointer) -> Int? {
        guard bytes.count <= Int(UInt16.max), offset + 2 + bytes.count <= buffer.count else { return nil }
        buffer.storeBytes(of: UInt16(bytes.count).bigEndian, toByteOffset: offset, as: UInt16.self)
        UnsafeMutableRawBufferPointer(rebasing: buffer[(offset + 2)...]).copyMemory(from: bytes)
        return 2 + bytes.count
    }

    /// Writes the entity key at the start of `buffer`; returns its length. `values` must `fit`.
    static func encode(_ values: [EntityKeyValue], into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var offset = 0
        for value in values {
            switch value {
            case .int64(let number):
                storeInt64(number, at: offset, in: buffer)
                offset += 8
            case .string(var text):
                guard let written = text.withUTF8({ store(string: UnsafeRawBufferPointer($0), at: offset, in: buffer) }) else {
                    preconditionFailure("an entity key that does not fit: callers check KeyEncoding.fits first")
                }
                offset += written
            }
        }
        return offset
    }

    /// The entity key as an array.
    static func encode(_ values: [EntityKeyValue]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: length(of: values))
        _ = bytes.withUnsafeMutableBytes { encode(values, into: $0) }
        return bytes
    }

    /// Reads an entity key back, given the key types of the view.
    static func decode(_ bytes: UnsafeRawBufferPointer, types: [Entity.KeyType]) -> [EntityKeyValue]? {
        var offset = 0
        var values: [EntityKeyValue] = []
        for type in types {
            switch type {
            case .int64:
                guard offset + 8 <= bytes.count else { return nil }
                values.append(.int64(loadInt64(at: offset, in: bytes)))
                offset += 8
            case .string:
                guard offset + 2 <= bytes.count else { return nil }
                let length = Int(UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
                offset += 2
                guard offset + length <= bytes.count else { return nil }
                values.append(.string(String(decoding: bytes[offset..<offset + length], as: UTF8.self)))
                offset += length
            }
        }
        return values
    }

    /// How many bytes of `bytes` the entity key takes, given the key types.
    static func entityKeyLength(_ bytes: UnsafeRawBufferPointer, types: [Entity.KeyType]) -> Int? {
        var offset = 0
        for type in types {
            switch type {
            case .int64: offset += 8
            case .string:
                guard offset + 2 <= bytes.count else { return nil }
                offset += 2 + Int(UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
            }
            guard offset <= bytes.count else { return nil }
        }
        return offset
    }
}
