import CSnappy
import CZlib
import CZstd

/// Compresses a page's bytes for a column chunk written with `codec`: the inverse of
/// `Decompression`, with the same libraries.
enum Compression {
    /// `input` compressed, appended to `output`.
    static func compress(_ input: UnsafeRawBufferPointer, codec: CompressionCodec, into output: inout [UInt8]) throws {
        let start = output.count
        switch codec {
        case .uncompressed:
            output.append(contentsOf: input)
        case .snappy:
            guard input.count > 0 else { return output.append(0) }  // Snappy's encoding of nothing: a zero length.
            let bound = snappy_max_compressed_length(input.count)
            output.append(contentsOf: repeatElement(0, count: bound))
            var length = bound
            let status = output.withUnsafeMutableBytes { target in
                snappy_compress(input.baseAddress!.assumingMemoryBound(to: CChar.self), input.count,
                                (target.baseAddress! + start).assumingMemoryBound(to: CChar.self), &length)
            }
            guard status == SNAPPY_OK else { throw ParquetWriteError("SNAPPY could not compress a page") }
            output.removeLast(bound - length)
        case .zstd:
            let bound = ZSTD_compressBound(input.count)
            output.append(contentsOf: repeatElement(0, count: bound))
            let length = output.withUnsafeMutableBytes { target in
                ZSTD_compress(target.baseAddress! + start, bound, input.baseAddress, input.count, 1)
            }
            guard ZSTD_isError(length) == 0 else { throw ParquetWriteError("ZSTD could not compress a page: " + String(cString: ZSTD_getErrorName(length))) }
            output.removeLast(bound - length)
        case .gzip:
            try gzip(input, into: &output)
        default:
            throw ParquetWriteError("the codec \(codec) cannot be written (SNAPPY, ZSTD, GZIP and UNCOMPRESSED can)")
        }
    }

    /// A gzip stream (RFC 1952), as Parquet's GZIP codec is defined.
    private static func gzip(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws {
        var stream = z_stream()
        guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ParquetWriteError("zlib could not start")
        }
        defer { deflateEnd(&stream) }
        let start = output.count
        let bound = Int(deflateBound(&stream, uLong(input.count)))
        output.append(contentsOf: repeatElement(0, count: bound))
        var spare: UInt8 = 0
        let status = withUnsafeMutableBytes(of: &spare) { fallback in
            output.withUnsafeMutableBytes { target in
                stream.next_in = UnsafeMutablePointer(mutating: (input.baseAddress ?? UnsafeRawPointer(fallback.baseAddress!)).assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(input.count)
                stream.next_out = (target.baseAddress! + start).assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(bound)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw ParquetWriteError("GZIP could not compress a page") }
        output.removeLast(bound - Int(stream.total_out))
    }
}

/// Why a Parquet file could not be written.
public struct ParquetWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
