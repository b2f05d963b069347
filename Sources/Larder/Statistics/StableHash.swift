/// A 64-bit hash that is the same in every process and on every run (Swift's `Hasher` is seeded
/// per process): distinct-count sketches stored with a snapshot must merge with sketches made
/// by another process. FNV-1a over the bytes, then SplitMix64's finalizer to spread the bits.
enum StableHash {
    static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var state: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            state ^= UInt64(byte)
            state &*= 0x0000_0100_0000_01b3
        }
        return mix(state)
    }

    static func hash(_ value: UInt64) -> UInt64 {
        mix(value &+ 0x9e37_79b9_7f4a_7c15)
    }

    /// SplitMix64's finalizer.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
