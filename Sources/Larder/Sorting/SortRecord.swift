import Foundation

/// Where a sorter's records hold their keys: whole in the record, when every key has the same
/// length, at most 24 bytes, and no payload (a join lookup with an int64 entity: entity ‖ time
/// ‖ row number); otherwise in the arena, each as its key and payload lengths (4 bytes each,
/// little-endian), then its key and payload bytes.
enum RecordLayout: Equatable {
    case inline(keyLength: Int)
    case arena
}

/// A record: its key's first 16 bytes, and either the key's bytes 16..<24 or its place in the
/// arena (see `RecordLayout`). The join's keys (an int64 entity and a time, or a row number)
/// are ordered by the prefix alone, without touching the arena; 24 bytes a record, so a million
/// lookups take 24 MB.
struct SortRecord {
    var prefix: KeyPrefix
    /// Inline: the key's bytes 16..<24 as a big-endian integer (zero-padded), so that integer
    /// order is byte order. In the arena: the offset of the record's entry.
    var word: UInt64

    init(prefix: KeyPrefix, word: UInt64) {
        self.prefix = prefix
        self.word = word
    }

    @inline(__always)
    init(inline key: UnsafeRawBufferPointer) {
        prefix = KeyPrefix(key)
        var tail: UInt64 = 0
        if key.count > 16 {
            withUnsafeMutableBytes(of: &tail) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: key[16...])) }
        }
        word = UInt64(bigEndian: tail)
    }

    /// Lends the key's bytes: from the record itself, or from `arena`.
    @inline(__always)
    func withKey<R>(_ layout: RecordLayout, in arena: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard case .inline(let keyLength) = layout else {
            let start = Int(word)
            let keyLength = Int(UInt32(littleEndian: arena.loadUnaligned(fromByteOffset: start, as: UInt32.self)))
            return try body(UnsafeRawBufferPointer(rebasing: arena[start + 8..<start + 8 + keyLength]))
        }
        var bytes = (prefix.high.bigEndian, prefix.low.bigEndian, word.bigEndian)
        return try withUnsafeBytes(of: &bytes) { try body(UnsafeRawBufferPointer(rebasing: $0[..<keyLength])) }
    }

    func payload(_ layout: RecordLayout, in arena: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard case .arena = layout else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let start = Int(word)
        let keyLength = Int(UInt32(littleEndian: arena.loadUnaligned(fromByteOffset: start, as: UInt32.self)))
        let payloadLength = Int(UInt32(littleEndian: arena.loadUnaligned(fromByteOffset: start + 4, as: UInt32.self)))
        return UnsafeRawBufferPointer(rebasing: arena[start + 8 + keyLength..<start + 8 + keyLength + payloadLength])
    }
}

/// The first 16 bytes of a key as two big-endian integers, zero-padded: comparing prefixes
/// orders keys as their bytes would, unless the prefixes are equal.
struct KeyPrefix: Comparable {
    let high: UInt64
    let low: UInt64

    @inline(__always)
    init(_ key: UnsafeRawBufferPointer) {
        if key.count >= 16 {
            high = UInt64(bigEndian: key.loadUnaligned(as: UInt64.self))
            low = UInt64(bigEndian: key.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            return
        }
        var padded: (UInt64, UInt64) = (0, 0)
        if !key.isEmpty { withUnsafeMutableBytes(of: &padded) { $0.copyMemory(from: key) } }
        high = UInt64(bigEndian: padded.0)
        low = UInt64(bigEndian: padded.1)
    }

    @inline(__always)
    static func < (left: KeyPrefix, right: KeyPrefix) -> Bool {
        left.high != right.high ? left.high < right.high : left.low < right.low
    }
}

/// Orders two keys with equal prefixes: by the bytes after the first 16, then by length.
@inline(__always)
func compareAfterPrefix(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Int {
    if left.count <= 16 || right.count <= 16 { return left.count - right.count }
    return compareBytes(UnsafeRawBufferPointer(rebasing: left[16...]), UnsafeRawBufferPointer(rebasing: right[16...]))
}
