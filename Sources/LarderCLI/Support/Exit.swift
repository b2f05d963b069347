import ArgumentParser
import Foundation
import Larder

/// The exit statuses of `larder`: 0 on success, 1 for a mistake in the command line, 2 when
/// the data (definitions, sources, the store) is at fault, 3 when `drift` finds a feature that
/// drifts, 75 when another run holds the store (`EX_TEMPFAIL`: a scheduler retries this one; it
/// does not retry a 2).
enum Exit {
    static let success: Int32 = 0
    static let usage: Int32 = 1
    static let data: Int32 = 2
    static let drift: Int32 = 3
    static let busy: Int32 = 75
}

/// An error the CLI raises itself, with the one line it prints.
enum CLIError: Error, CustomStringConvertible {
    /// The command line is wrong (exit 1).
    case usage(String)
    /// The data or the store is wrong (exit 2).
    case data(String)

    var description: String {
        switch self {
        case .usage(let message), .data(let message): message
        }
    }
}

/// Writes `text` and a newline to standard error, control characters escaped: messages quote
/// names and values from files and command lines, which must not drive the terminal.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((printable(text) + "\n").utf8))
}

extension Exit {
    /// The status and the message for an error thrown while running a command.
    static func classify(_ error: any Error) -> (status: Int32, message: String) {
        switch error {
        case let error as CLIError:
            if case .usage = error { return (usage, error.description) }
            return (data, error.description)
        case let error as ValidationError:
            return (usage, error.message)
        case let error as LarderError:
            if case .runInProgress = error { return (busy, error.description) }
            return (data, error.description)
        case let error as SourceError:
            return (data, error.description)
        case let error as DefinitionsFileError:
            return (data, error.description)
        case let error as CocoaError:
            let path = (error.userInfo[NSFilePathErrorKey] as? String).map { "\($0): " } ?? ""
            if let underlying = error.underlying {
                let posix = underlying as NSError
                if posix.domain == NSPOSIXErrorDomain { return (data, path + String(cString: strerror(Int32(posix.code)))) }
            }
            return (data, path + error.localizedDescription)
        case let error as CustomStringConvertible:
            // LMDBError and the other library errors describe themselves in one line.
            return (data, error.description)
        default:
            return (data, error.localizedDescription)
        }
    }
}

extension CocoaError {
    fileprivate var underlying: (any Error)? { userInfo[NSUnderlyingErrorKey] as? any Error }
}
