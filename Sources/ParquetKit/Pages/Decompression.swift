import CSnappy
import CZlib
import CZstd

/// Decompresses a page's bytes with its column chunk's codec, into a buffer of the size the
/// page header announces: a result of any other size is an error, as is a codec this reader
/// does not have (LZO, BROTLI, LZ4).
enum Decompression {
    /// Fills `output` (exactly the uncompressed size) from `input`; returns why it could not.
    static func decompress(_ input: UnsafeRawBufferPointer, codec: CompressionCodec,
                           into output: UnsafeMutableRawBufferPointer) -> String? {
        switch codec {
        case .uncompressed:
            guard input.count == output.count else { return "an uncompressed page of \(input.count) bytes announces \(output.count)" }
            if let source = input.baseAddress, let target = output.baseAddress { target.copyMemory(from: source, byteCount: input.count) }
            return nil
        case .snappy: return snappy(input, into: output)
        case .zstd: return zstd(input, into: output)
        case .gzip: return gzip(input, into: output)
        default: return "its codec \(codec) is not supported (SNAPPY, ZSTD, GZIP and UNCOMPRESSED are)"
        }
    }

    private static func snappy(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> String? {
        let source = input.baseAddress?.assumingMemoryBound(to: CChar.self)
        var length = 0
        guard snappy_uncompressed_length(source, input.count, &length) == SNAPPY_OK else { return "its SNAPPY data is damaged" }
        guard length == output.count else { return "its SNAPPY data holds \(length) bytes where the page announces \(output.count)" }
        guard length > 0 else { return nil }
        var written = output.count
        let status = snappy_uncompress(source, input.count, output.baseAddress!.assumingMemoryBound(to: CChar.self), &written)
        guard status == SNAPPY_OK, written == output.count else { return "its SNAPPY data is damaged" }
        return nil
    }

    private static func zstd(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> String? {
        // A zero-capacity destination still needs an address for ZSTD_decompress.
        var empty: UInt8 = 0
        let written = withUnsafeMutableBytes(of: &empty) { fallback in
            ZSTD_decompress(output.baseAddress ?? fallback.baseAddress, output.count, input.baseAddress, input.count)
        }
        if ZSTD_isError(written) != 0 { return "its ZSTD data cannot be decompressed: " + String(cString: ZSTD_getErrorName(written)) }
        guard written == output.count else { return "its ZSTD data holds \(written) bytes where the page announces \(output.count)" }
        return nil
    }

    /// GZIP as Parquet writes it: a gzip stream (RFC 1952); zlib's automatic header detection
    /// also accepts a bare zlib stream, which some writers produce.
    private static func gzip(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> String? {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return "zlib could not start"
        }
        defer { inflateEnd(&stream) }
        var spare: UInt8 = 0
        return withUnsafeMutableBytes(of: &spare) { fallback -> String? in
            stream.next_in = UnsafeMutablePointer(mutating: (input.baseAddress ?? UnsafeRawPointer(fallback.baseAddress!)).assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(input.count)
            stream.next_out = (output.baseAddress ?? fallback.baseAddress!).assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(output.count)
            let status = inflate(&stream, Z_FINISH)
            guard status == Z_STREAM_END else {
                return status == Z_BUF_ERROR || status == Z_OK
                    ? "its GZIP data holds more than the \(output.count) bytes the page announces, or is cut short"
                    : "its GZIP data is damaged"
            }
            guard Int(stream.total_out) == output.count else {
                return "its GZIP data holds \(stream.total_out) bytes where the page announces \(output.count)"
            }
            return nil
        }
    }
}
