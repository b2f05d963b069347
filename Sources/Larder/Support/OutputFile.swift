import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file Larder writes for the user (a training set, a rejects file): written as
/// `<path>.partial` beside `path` and renamed into place by `finish()`, so a run that fails never
/// leaves a file that looks complete, and nothing but a regular file at `path` is ever replaced.
/// The path `-` means standard output, written as the rows come.
///
/// New files get the permissions of their ``FileAccess``, narrowed further by the umask.
public final class OutputFile {
    let path: String
    private let descriptor: Int32
    private var closed = false

    /// The path meaning standard output.
    public static let standardOutput = "-"

    var isStandardOutput: Bool { path == Self.standardOutput }

    /// Opens `path.partial` for writing. Callers check `path` first, before any work, with
    /// ``checkDestination(_:inputs:store:)``; `finish()` checks it again before replacing it.
    init(path: String, access: FileAccess) throws {
        self.path = path
        if path == Self.standardOutput {
            descriptor = STDOUT_FILENO
            return
        }
        // O_EXCL: never write through a symlink or into a file another run is writing.
        let fd = open(path + ".partial", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(access.outputFileMode))
        guard fd >= 0 else {
            let code = errno
            throw OutputFileError(path: path, reason: code == EEXIST
                ? Self.leftoverPartial(path)
                : "cannot create the .partial file beside it: \(String(cString: strerror(code)))")
        }
        descriptor = fd
    }

    /// Refuses a destination that is not a regular file or a free name: a directory, a device,
    /// a pipe, a socket, a symbolic link (dangling or not), or a leftover `path.partial`; and one
    /// of the run's own `inputs` or a file in the `store` directory, which the finished output
    /// would replace. Call it before any work starts so a long run cannot fail only at its end.
    public static func checkDestination(_ path: String, inputs: [String] = [], store: String? = nil) throws {
        if path == standardOutput { return }
        guard !path.isEmpty else { throw OutputFileError(path: path, reason: "the output path is empty") }
        var info = stat()
        if lstat(path, &info) == 0 {
            var kind = info.st_mode & S_IFMT
            var link = ""
            if kind == S_IFLNK {
                guard stat(path, &info) == 0 else {
                    throw OutputFileError(path: path, reason: "is a dangling symbolic link; remove it or give another path")
                }
                kind = info.st_mode & S_IFMT
                link = "is a symbolic link to "
            }
            switch kind {
            case S_IFREG where link.isEmpty: break
            case S_IFREG:
                throw OutputFileError(path: path, reason: link + "a file; give the path of the file itself (Larder replaces only regular files)")
            case S_IFDIR: throw OutputFileError(path: path, reason: (link.isEmpty ? "is " : link) + "a directory; give the path of a file to write")
            case S_IFCHR, S_IFBLK:
                throw OutputFileError(path: path, reason: (link.isEmpty ? "is " : link) + "a device; write to standard output with '-', or give the path of a file")
            default:
                throw OutputFileError(path: path, reason: (link.isEmpty ? "is " : link) + "a pipe or a socket; write to standard output with '-', or give the path of a file")
            }
            if let input = inputs.first(where: { identity($0) == identity(path) }) {
                throw OutputFileError(path: path, reason: "is \(input), which this command reads; write the output elsewhere")
            }
        } else if errno != ENOENT {
            throw OutputFileError(path: path, reason: String(cString: strerror(errno)))
        }
        let directory = (path as NSString).deletingLastPathComponent
        if let store, identity(directory.isEmpty ? "." : directory) == identity(store) {
            throw OutputFileError(path: path, reason: "is inside the store \(store); write the output elsewhere")
        }
        if lstat(path + ".partial", &info) == 0 {
            throw OutputFileError(path: path, reason: leftoverPartial(path))
        }
        guard access(directory.isEmpty ? "." : directory, W_OK) == 0 else {
            throw OutputFileError(path: path, reason: "cannot write in \(directory.isEmpty ? "." : directory): \(String(cString: strerror(errno)))")
        }
    }

    private static func leftoverPartial(_ path: String) -> String {
        "\((path as NSString).lastPathComponent).partial is there already: another run is writing it, or one was interrupted (remove it if no run is going)"
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = writeToDescriptor(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw OutputFileError(path: path, reason: "write failed: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    /// Moves the finished file into place with `rename(2)`, which replaces a regular file
    /// atomically and nothing else (it fails on a directory that appeared meanwhile).
    func finish() throws {
        guard !isStandardOutput else { return }
        closed = true
        let synced = fsync(descriptor) == 0 ? 0 : errno
        let closedCleanly = close(descriptor) == 0 ? 0 : errno
        guard synced == 0, closedCleanly == 0 else {
            unlink(path + ".partial")
            throw OutputFileError(path: path, reason: "cannot finish the file: \(String(cString: strerror(synced != 0 ? synced : closedCleanly)))")
        }
        var info = stat()
        if lstat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            unlink(path + ".partial")
            try Self.checkDestination(path)  // throws the message for what is there now
        }
        guard rename(path + ".partial", path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path + ".partial")
            throw OutputFileError(path: path, reason: "cannot move the finished .partial file into place: \(reason)")
        }
    }

    /// A file dropped without `finish()` (an error on the way) is removed, never left behind.
    deinit { discard() }

    /// Removes the unfinished file.
    func discard() {
        guard !isStandardOutput, !closed else { return }
        closed = true
        close(descriptor)
        unlink(path + ".partial")
    }
}

/// The file's identity (device and inode), to recognise one file under two names.
private func identity(_ path: String) -> [UInt64]? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return [UInt64(info.st_dev), UInt64(info.st_ino)]
}

/// `write(2)`, named apart from `OutputFile.write`.
private func writeToDescriptor(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

/// An output file that could not be written: which path, and why.
public struct OutputFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { "\(path): \(reason)" }
}
