import Foundation
#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// A run file: records in key order, each as its key length and payload length (4 bytes each,
/// little-endian), then its key and payload bytes. Written by a sorter past its memory budget
/// and read back once, by the merge.
enum RunFile {
    /// Creates the file at `path` and writes the records that `produce` hands over, in the
    /// order given. Owner-only (mode 0600, created exclusively), like everything Larder writes
    /// unless asked otherwise: runs hold entity keys.
    static func write(
        to path: String,
        _ produce: (_ write: (_ key: UnsafeRawBufferPointer, _ payload: UnsafeRawBufferPointer) throws -> Void) throws -> Void
    ) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw TemporaryFileError(path: path, reason: "cannot create it: " + String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var buffer = GrowableBytes(capacity: 1 << 20)
        func flush() throws {
            var written = 0
            while written < buffer.count {
                let result = systemWrite(descriptor, buffer.base + written, buffer.count - written)
                if result < 0 && errno == EINTR { continue }
                guard result > 0 else {
                    throw TemporaryFileError(path: path, reason: "cannot write it: " + String(cString: strerror(result < 0 ? errno : EIO)))
                }
                written += result
            }
            buffer.removeAll()
        }
        try produce { key, payload in
            buffer.append(atMost: 8) { out in
                UnsafeMutableRawPointer(out).storeBytes(of: UInt32(key.count).littleEndian, as: UInt32.self)
                UnsafeMutableRawPointer(out + 4).storeBytes(of: UInt32(payload.count).littleEndian, as: UInt32.self)
                return 8
            }
            buffer.append(key)
            buffer.append(payload)
            if buffer.count >= 1 << 20 { try flush() }
        }
        try flush()
    }
}

/// Reads a run file record by record through a buffer it owns; the current record is lent
/// straight from that buffer, valid until the next `advance()`.
final class RunReader {
    private let descriptor: Int32
    private let path: String
    /// Read from the file, not yet dropped; the current record starts at `position`.
    private var buffer: GrowableBytes
    /// How much to read at a time (the buffer grows past it only for a longer record).
    private let readSize: Int
    private var position = 0
    private(set) var hasCurrent = false
    private(set) var currentKey = UnsafeRawBufferPointer(start: nil, count: 0)
    private(set) var currentPayload = UnsafeRawBufferPointer(start: nil, count: 0)
    /// The current key's first 16 bytes, to decide most merge comparisons.
    private(set) var currentPrefix = KeyPrefix(UnsafeRawBufferPointer(start: nil, count: 0))

    init(path: String, bufferSize: Int = 1 << 20) throws {
        readSize = bufferSize
        buffer = GrowableBytes(capacity: bufferSize)
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw TemporaryFileError(path: path, reason: "cannot open it: " + String(cString: strerror(errno)))
        }
        self.path = path
        try advance()
    }

    deinit {
        close(descriptor)
    }

    /// Makes `count` unread bytes available, reading more of the file straight into the
    /// buffer; false at its end.
    private func fill(_ count: Int) throws -> Bool {
        while buffer.count - position < count {
            if position > 0 {
                buffer.removeFirst(position)
                position = 0
            }
            buffer.reserve(max(count, readSize) - buffer.count)
            let spare = buffer.spare
            let result = read(descriptor, spare.baseAddress, spare.count)
            if result < 0 && errno == EINTR { continue }
            guard result >= 0 else {
                throw TemporaryFileError(path: path, reason: "cannot read it: " + String(cString: strerror(errno)))
            }
            guard result > 0 else {
                if buffer.count > position {
                    throw TemporaryFileError(path: path, reason: "it ends inside a record")
                }
                return false
            }
            buffer.didAppend(result)
        }
        return true
    }

    func advance() throws {
        hasCurrent = false
        guard try fill(8) else { return }
        let header = UnsafeRawBufferPointer(start: buffer.base + position, count: 8)
        let keyLength = Int(UInt32(littleEndian: header.loadUnaligned(as: UInt32.self)))
        let payloadLength = Int(UInt32(littleEndian: header.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
        guard try fill(8 + keyLength + payloadLength) else {
            throw TemporaryFileError(path: path, reason: "it ends inside a record")
        }
        let start = UnsafeRawPointer(buffer.base + position)
        currentKey = UnsafeRawBufferPointer(start: start + 8, count: keyLength)
        currentPayload = UnsafeRawBufferPointer(start: start + 8 + keyLength, count: payloadLength)
        currentPrefix = KeyPrefix(currentKey)
        position += 8 + keyLength + payloadLength
        hasCurrent = true
    }
}
