/// The key of a registry record: a kind byte, then the object's UTF-8 name. Pinned by a golden
/// test.
enum RegistryKey {
    enum Kind: UInt8 {
        case entity = 0x45  // E
        case source = 0x53  // S
        case view = 0x56  // V
        case service = 0x46  // F
    }

    static func make(_ kind: Kind, name: String) -> [UInt8] { [kind.rawValue] + Array(name.utf8) }

    /// The kind (nil for one this version does not know: a newer version may add kinds) and the
    /// name; nil for an empty key.
    static func parse(_ key: UnsafeRawBufferPointer) -> (kind: Kind?, name: String)? {
        guard let first = key.first else { return nil }
        return (Kind(rawValue: first), String(decoding: key.dropFirst(), as: UTF8.self))
    }
}
