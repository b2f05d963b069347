/// The distinct strings of a column chunk, in order of first appearance, for dictionary
/// encoding: an open-addressing table of entry numbers, the entries referring to their first
/// occurrence in the column's own bytes (nothing is copied until the dictionary page is written).
struct StringDictionary {
    /// Where each entry's bytes are in the column's value bytes.
    private(set) var entries: [(start: Int, count: Int)] = []
    /// Sum of the entries' lengths.
    private(set) var byteCount = 0
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var mask: Int

    init(expected: Int) {
        var capacity = 16
        while capacity < expected * 2 { capacity <<= 1 }
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
    }

    /// The entry number of the string `start..<start + count` of `bytes`, added if new.
    mutating func index(ofStringAt start: Int, count: Int, in bytes: UnsafeRawBufferPointer) -> Int32 {
        let value = UnsafeRawBufferPointer(rebasing: bytes[start..<start + count])
        let hash = Self.hash(value)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 {
            let entry = Int(slots[slot])
            if hashes[entry] == hash, entries[entry].count == count,
               count == 0 || memcmp(bytes.baseAddress! + entries[entry].start, value.baseAddress!, count) == 0 {
                return Int32(entry)
            }
            slot = (slot + 1) & mask
        }
        let entry = Int32(entries.count)
        slots[slot] = entry
        entries.append((start, count))
        hashes.append(hash)
        byteCount += count
        if entries.count * 2 > slots.count { grow() }
        return entry
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for (entry, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(entry)
        }
    }

    /// A 64-bit mix of the bytes, eight at a time.
    private static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = (hash ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            tail |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 29)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
