/// A history key: entity key ‖ event time ‖ created time ‖ snapshot id (Docs/StorageFormat.md).
/// The one place that knows where each part of it sits: every writer and reader of history keys
/// goes through these, which inline to the same loads and stores as offsets written by hand.
enum HistoryKey {
    /// Event time, created time and snapshot id after the entity key.
    static let suffixLength = 24

    /// The length of a key for an entity key of `entityLength` bytes.
    @inline(__always) static func length(entityLength: Int) -> Int { entityLength + suffixLength }

    /// The length of the entity key at the start of `key`.
    @inline(__always) static func entityLength(_ key: UnsafeRawBufferPointer) -> Int { key.count - suffixLength }

    @inline(__always) static func eventTime(_ key: UnsafeRawBufferPointer) -> Int64 {
        KeyEncoding.loadInt64(at: key.count - suffixLength, in: key)
    }

    @inline(__always) static func createdTime(_ key: UnsafeRawBufferPointer) -> Int64 {
        KeyEncoding.loadInt64(at: key.count - 16, in: key)
    }

    @inline(__always) static func snapshot(_ key: UnsafeRawBufferPointer) -> UInt64 {
        KeyEncoding.loadUInt64(at: key.count - 8, in: key)
    }

    /// The key without its snapshot id: the versions of one (entity, event time, created time)
    /// share it.
    @inline(__always) static func withoutSnapshot(_ key: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: key[..<(key.count - 8)])
    }

    /// Whether `key` is a history key of exactly `entity`.
    @inline(__always) static func belongs(_ key: UnsafeRawBufferPointer, to entity: UnsafeRawBufferPointer) -> Bool {
        key.count == entity.count + suffixLength && key.starts(with: entity)
    }

    /// The key's first 8 bytes as a big-endian number, which decides most comparisons of two
    /// keys without a call to memcmp. Every history key has them (times and snapshot are 24).
    @inline(__always) static func leadingBytes(_ key: UnsafeRawBufferPointer) -> UInt64 {
        UInt64(bigEndian: key.loadUnaligned(as: UInt64.self))
    }

    /// The entity key at the start of `key`.
    @inline(__always) static func entity(_ key: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: key[..<entityLength(key)])
    }

    /// Whether two history keys have the same entity.
    static func sameEntity(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Bool {
        let entityLength = entityLength(left)
        return left.count == right.count
            && equalBytes(UnsafeRawBufferPointer(rebasing: left[..<entityLength]), UnsafeRawBufferPointer(rebasing: right[..<entityLength]))
    }

    /// Replaces the snapshot id, the last part of `key`.
    @inline(__always) static func storeSnapshot(_ snapshot: UInt64, into key: UnsafeMutableRawBufferPointer) {
        KeyEncoding.storeUInt64(snapshot, at: key.count - 8, in: key)
    }

    /// Writes the parts after an entity key of `entityLength` bytes already at the start of `key`.
    @inline(__always)
    static func writeSuffix(eventTime: Int64, createdTime: Int64, snapshot: UInt64, entityLength: Int, into key: UnsafeMutableRawBufferPointer) {
        KeyEncoding.storeInt64(eventTime, at: entityLength, in: key)
        KeyEncoding.storeInt64(createdTime, at: entityLength + 8, in: key)
        KeyEncoding.storeUInt64(snapshot, at: entityLength + 16, in: key)
    }

    /// A whole key.
    static func make(entity: [UInt8], eventTime: Int64, createdTime: Int64, snapshot: UInt64) -> [UInt8] {
        var key = entity + [UInt8](repeating: 0, count: suffixLength)
        key.withUnsafeMutableBytes { writeSuffix(eventTime: eventTime, createdTime: createdTime, snapshot: snapshot, entityLength: entity.count, into: $0) }
        return key
    }
}
