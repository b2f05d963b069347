import Foundation

/// A temporary file (the spills of a training set's external sort) that could not be created,
/// written or read: which file, and why. They go to `HistoricalOptions.temporaryDirectory`,
/// which needs room for about the size of the entity rows.
public struct TemporaryFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// For a failure Foundation reported: its POSIX reason when it has one.
    init(path: String, doing action: String, _ error: any Error) {
        let posix = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError).flatMap { $0.domain == NSPOSIXErrorDomain ? $0.code : nil }
        self.init(path: path, reason: "cannot \(action): " + (posix.map { String(cString: strerror(Int32($0))) } ?? error.localizedDescription))
    }

    public var description: String { "temporary file \(path): \(reason)" }
}
