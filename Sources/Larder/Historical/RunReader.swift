import Foundation

/// Reads a run file record by record through a buffer it owns; the current record is lent
/// straight from that buffer, valid until the next `advance()`.
final class RunReader {
    private let file: FileHandle
    private var buffer: UnsafeMutableRawPointer
    private var capacity = 1 << 20
    private var filled = 0
    private var position = 0
    private(set) var hasCurrent = false
    private(set) var currentKey = UnsafeRawBufferPointer(start: nil, count: 0)
    private(set) var currentPayload = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The current key's first 16 bytes, to decide most merge comparisons.
    private(set) var currentPrefix = KeyPrefix(UnsafeRawBufferPointer(start: nil, count: 0))

    init(path: String) throws {
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw SourceError(file: path, line: 0, column: nil, reason: "cannot read a temporary sort file")
        }
        self.file = file
        buffer = .allocate(byteCount: capacity, alignment: 8)
        try advance()
    }

    deinit {
        try? file.close()
        buffer.deallocate()
    }

    /// Makes `count` unread bytes available, reading more of the file; false at its end.
    private func fill(_ count: Int) throws -> Bool {
        while filled - position < count {
            if position > 0 {
                buffer.copyMemory(from: buffer + position, byteCount: filled - position)
                filled -= position
                position = 0
            }
            if count > capacity {
                let larger = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 8)
                larger.copyMemory(from: buffer, byteCount: filled)
                buffer.deallocate()
                buffer = larger
                capacity = count
            }
            guard let chunk = try file.read(upToCount: capacity - filled), !chunk.isEmpty else { return false }
            chunk.withUnsafeBytes { (buffer + filled).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            filled += chunk.count
        }
        return true
    }

    func advance() throws {
        hasCurrent = false
        guard try fill(8) else { return }
        let keyLength = Int(UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
        let payloadLength = Int(UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: position + 4, as: UInt32.self)))
        guard try fill(8 + keyLength + payloadLength) else { return }
        currentKey = UnsafeRawBufferPointer(start: buffer + position + 8, count: keyLength)
        currentPayload = UnsafeRawBufferPointer(start: buffer + position + 8 + keyLength, count: payloadLength)
        currentPrefix = KeyPrefix(currentKey)
        position += 8 + keyLength + payloadLength
        hasCurrent = true
    }
}
