/// Larder checksum v1: 64-bit FNV-1a over the bytes, fed 8 bytes at a time (little-endian
/// words) with the tail byte by byte. Detects changed files; it is not a cryptographic hash.
struct Checksum {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325
    private var pending: [UInt8] = []
    private static let prime: UInt64 = 0x0000_0100_0000_01B3

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        if !pending.isEmpty {
            while pending.count < 8, offset < bytes.count {
                pending.append(bytes[offset])
                offset += 1
            }
            guard pending.count == 8 else { return }
            mix(pending.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) })
            pending.removeAll(keepingCapacity: true)
        }
        while offset + 8 <= bytes.count {
            mix(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            offset += 8
        }
        pending.append(contentsOf: bytes[offset...])
    }

    private mutating func mix(_ word: UInt64) {
        state = (state ^ word) &* Checksum.prime
    }

    var hex: String {
        var final = self
        for byte in final.pending { final.state = (final.state ^ UInt64(byte)) &* Checksum.prime }
        return String(final.state, radix: 16).leftPadded(to: 16)
    }
}
