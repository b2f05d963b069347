#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Parquet file that cannot be read: which file, and what is wrong with it.
public struct ParquetError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let reason: String

    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "\(file): \(reason)" }
}

/// The footer of a Parquet file: `PAR1` at both ends, and before the last one the Thrift
/// `FileMetaData` and its length (4 bytes, little-endian).
enum ParquetFooter {
    static let magic: [UInt8] = Array("PAR1".utf8)
    static let encryptedMagic: [UInt8] = Array("PARE".utf8)

    /// Reads and decodes the footer of an open file of `size` bytes; returns it and where it
    /// starts (the data ends there).
    static func read(_ descriptor: Int32, size: Int, path: String) throws(ParquetError) -> (FileMetaData, start: Int) {
        guard size >= 12 else { throw ParquetError(file: path, reason: "\(size) bytes is too short for a Parquet file (not one, or truncated)") }
        let head = try readBytes(descriptor, at: 0, count: 4, path: path)
        let tail = try readBytes(descriptor, at: size - 8, count: 8, path: path)
        guard head == magic else { throw ParquetError(file: path, reason: "it does not start with PAR1: not a Parquet file") }
        if Array(tail[4...]) == encryptedMagic {
            throw ParquetError(file: path, reason: "its footer is encrypted (PARE), which is not supported")
        }
        guard Array(tail[4...]) == magic else {
            throw ParquetError(file: path, reason: "it does not end with PAR1: truncated, or still being written")
        }
        let length = Int(UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24)
        guard length > 0, length <= size - 12 else {
            throw ParquetError(file: path, reason: "its footer length \(length) does not fit the file's \(size) bytes")
        }
        let start = size - 8 - length
        let footer = try readBytes(descriptor, at: start, count: length, path: path)
        do {
            return (try footer.withUnsafeBytes { bytes throws(ThriftError) in try FileMetaData(thrift: bytes) }, start)
        } catch {
            throw ParquetError(file: path, reason: "its footer cannot be read: \(error)")
        }
    }
}

/// `count` bytes of an open file from `offset`, or an error naming the file.
func readBytes(_ descriptor: Int32, at offset: Int, count: Int, path: String) throws(ParquetError) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    try readBytes(descriptor, at: offset, count: count, path: path, into: &bytes)
    return bytes
}

/// Reads `count` bytes at `offset` into the start of `bytes`, which holds at least that many.
func readBytes(_ descriptor: Int32, at offset: Int, count: Int, path: String, into bytes: inout [UInt8]) throws(ParquetError) {
    precondition(bytes.count >= count)
    var done = 0
    while done < count {
        let result = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, count - done, off_t(offset + done)) }
        if result < 0 && errno == EINTR { continue }
        guard result > 0 else {
            throw ParquetError(file: path, reason: result < 0 ? "cannot read it: " + String(cString: strerror(errno)) : "it ended while being read")
        }
        done += result
    }
}
