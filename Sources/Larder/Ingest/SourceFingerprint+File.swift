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

/// A source's fingerprint computed on a worker thread while the run reads the files, so that
/// reading them twice (once for the rows, once for the checksum) does not add to the run's time.
final class FingerprintJob: @unchecked Sendable {
    private var result: Result<SourceFingerprint, any Error>?
    private let done = DispatchSemaphore(value: 0)

    init(files: [String], path: String) {
        DispatchQueue.global(qos: .userInitiated).async {
            self.result = Result { try SourceFingerprint.of(files: files, path: path) }
            self.done.signal()
        }
    }

    /// Waits for the fingerprint, or throws what stopped it.
    func finish() throws -> SourceFingerprint {
        done.wait()
        done.signal()  // A second call returns at once.
        return try result!.get()
    }
}
