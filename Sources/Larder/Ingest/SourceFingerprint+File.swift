import Foundation

extension SourceFingerprint {
    /// Reads the file once to fingerprint it: size, modification time, and Larder checksum v1.
    static func of(path: String) throws -> SourceFingerprint {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let modified = (attributes[.modificationDate] as? Date) ?? Date(timeIntervalSince1970: 0)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SourceError(file: path, line: 0, column: nil, reason: "cannot open the file")
        }
        defer { try? handle.close() }
        var checksum = Checksum()
        var size = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes { checksum.add($0) }
            size += chunk.count
        }
        return SourceFingerprint(
            path: path, size: size, checksum: checksum.hex,
            modifiedAt: Timestamp(microseconds: Int64(modified.timeIntervalSince1970 * 1_000_000)))
    }
}
