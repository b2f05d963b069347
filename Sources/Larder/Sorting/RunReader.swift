import Foundation

/// Reads a run file record by record through a buffer it owns; the current record is lent
/// straight from that buffer, valid until the next `advance()`.
final class RunReader {
    private let file: FileHandle
    private let path: String
    /// Read from the file, not yet dropped; the current record starts at `position`.
    private var buffer = GrowableBytes(capacity: 1 << 20)
    private var position = 0
    private(set) var hasCurrent = false
    private(set) var currentKey = UnsafeRawBufferPointer(start: nil, count: 0)
    private(set) var currentPayload = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The current key's first 16 bytes, to decide most merge comparisons.
    private(set) var currentPrefix = KeyPrefix(UnsafeRawBufferPointer(start: nil, count: 0))

    init(path: String) throws {
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw TemporaryFileError(path: path, reason: "cannot open it: " + String(cString: strerror(errno)))
        }
        self.file = file
        self.path = path
        try advance()
    }

    deinit {
        try? file.close()
    }

    /// Makes `count` unread bytes available, reading more of the file; false at its end.
    private func fill(_ count: Int) throws -> Bool {
        while buffer.count - position < count {
            if position > 0 {
                buffer.removeFirst(position)
                position = 0
            }
            buffer.reserve(count - buffer.count)
            let chunk: Data?
            do { chunk = try file.read(upToCount: buffer.capacity - buffer.count) } catch { throw TemporaryFileError(path: path, doing: "read it", error) }
            guard let chunk, !chunk.isEmpty else { return false }
            chunk.withUnsafeBytes { buffer.append($0) }
        }
        return true
    }

    func advance() throws {
        hasCurrent = false
        guard try fill(8) else { return }
        let header = UnsafeRawBufferPointer(start: buffer.base + position, count: 8)
        let keyLength = Int(UInt32(littleEndian: header.loadUnaligned(as: UInt32.self)))
        let payloadLength = Int(UInt32(littleEndian: header.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
        guard try fill(8 + keyLength + payloadLength) else { return }
        let start = UnsafeRawPointer(buffer.base + position)
        currentKey = UnsafeRawBufferPointer(start: start + 8, count: keyLength)
        currentPayload = UnsafeRawBufferPointer(start: start + 8 + keyLength, count: payloadLength)
        currentPrefix = KeyPrefix(currentKey)
        position += 8 + keyLength + payloadLength
        hasCurrent = true
    }
}
