import Foundation

extension SourceFingerprint {
    /// Reads the file once to fingerprint it: size, modification time, and Larder checksum v1.
    static func of(path: String) throws -> SourceFingerprint {
        try of(files: [path], path: path)
    }

    /// One fingerprint for several files read as one source (a directory of Parquet files):
    /// their total size, their newest modification time, and the checksum of their bytes in
    /// order.
    static func of(files: [String], path: String) throws -> SourceFingerprint {
        var checksum = Checksum()
        var size = 0
        var newest = Date(timeIntervalSince1970: 0)
        for file in files {
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            newest = max(newest, (attributes[.modificationDate] as? Date) ?? newest)
            guard let handle = FileHandle(forReadingAtPath: file) else {
                throw SourceError(file: file, line: 0, column: nil, reason: "cannot open the file")
            }
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                chunk.withUnsafeBytes { checksum.add($0) }
                size += chunk.count
            }
        }
        return SourceFingerprint(
            path: path, size: size, checksum: checksum.hex,
            modifiedAt: Timestamp(microseconds: Int64(newest.timeIntervalSince1970 * 1_000_000)))
    }
}
