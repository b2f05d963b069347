import Foundation
import Larder

/// Progress of a long run on standard error: on a terminal a bar redrawn in place, with rows,
/// rows/s and an ETA; otherwise a plain log line every few seconds (none for short runs).
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let isTerminal: Bool
    private let lock = NSLock()
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant
    private var lastDraw: ContinuousClock.Instant
    private var drewBar = false
    private let enabled: Bool

    /// - Parameter enabled: false prints nothing (for `--json` and quiet runs).
    init(label: String, enabled: Bool = true) {
        self.label = label
        self.enabled = enabled
        self.isTerminal = isatty(STDERR_FILENO) == 1
        self.started = clock.now
        self.lastDraw = clock.now
    }

    /// Reports `rows` done, `fraction` (0…1) of the work when known, and what is being worked on.
    func update(rows: Int, fraction: Double?, detail: String = "") {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = clock.now
        let elapsed = (now - started).seconds
        let sinceDraw = (now - lastDraw).seconds
        guard isTerminal ? sinceDraw >= 0.1 : sinceDraw >= 2 else { return }
        lastDraw = now
        let rate = elapsed > 0 ? Double(rows) / elapsed : 0
        var eta = ""
        if let fraction, fraction > 0.01, fraction < 1 {
            eta = "ETA " + Format.seconds(elapsed / fraction - elapsed)
        }
        let subject = detail.isEmpty ? label : "\(label) \(detail)"
        if isTerminal {
            let width = 24
            let filled = Int((fraction ?? 0) * Double(width))
            let bar = fraction == nil ? "" : "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
                + String(format: "%3.0f%%  ", (fraction ?? 0) * 100)
            let text = "\(subject) \(bar)\(Format.count(rows)) rows  \(Format.compact(rate)) rows/s  \(eta)"
            FileHandle.standardError.write(Data(("\r\u{1B}[2K" + text).utf8))
            drewBar = true
        } else {
            let percent = fraction.map { String(format: " (%.0f%%)", $0 * 100) } ?? ""
            let text = "\(subject): \(Format.count(rows)) rows\(percent), \(Format.compact(rate)) rows/s\(eta.isEmpty ? "" : ", " + eta)"
            printError(text)
        }
    }

    /// Clears the bar, so the summary that follows starts on a clean line.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drewBar { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        drewBar = false
    }
}

extension ProgressBar {
    /// A materialization progress handler: the rows of each view add up, the fraction is that
    /// of the current view's source bytes.
    func materializeHandler() -> @Sendable (MaterializeProgress) -> Void {
        let state = MaterializeState()
        return { [self] progress in
            let rows = state.total(view: progress.view, rows: progress.rowsRead)
            let fraction = progress.totalBytes > 0 ? Double(progress.bytesRead) / Double(progress.totalBytes) : nil
            update(rows: rows, fraction: fraction, detail: progress.view)
        }
    }
}

/// Rows of the views finished so far, plus the current one.
private final class MaterializeState: @unchecked Sendable {
    private let lock = NSLock()
    private var finished = 0
    private var view = ""
    private var current = 0

    func total(view name: String, rows: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        if name != view {
            finished += current
            view = name
        }
        current = rows
        return finished + current
    }
}
