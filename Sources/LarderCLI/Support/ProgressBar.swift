import Foundation
import Larder

/// Progress of a long run on standard error: on a terminal a bar redrawn in place, with rows,
/// rows/s and an ETA; otherwise a plain log line every few seconds (none for short runs).
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let isTerminal: Bool
    private let lock = NSLock()
    private let clock = ContinuousClock()
    private var lastDraw: ContinuousClock.Instant
    private var drewBar = false
    private let enabled: Bool
    /// What is being worked on (`detail`), since when, and the rows done when it began: rows/s
    /// and the ETA are those of the current phase (reading one view, then writing it).
    private var phase = ""
    private var phaseStarted: ContinuousClock.Instant
    private var phaseFirstRows = 0
    private var phaseFirstFraction = 0.0

    /// - Parameter enabled: false prints nothing (for `--json` and quiet runs).
    init(label: String, enabled: Bool = true) {
        self.label = label
        self.enabled = enabled
        self.isTerminal = isatty(STDERR_FILENO) == 1
        self.lastDraw = clock.now
        self.phaseStarted = clock.now
    }

    /// Reports `rows` done, `fraction` (0…1) of the current phase when known, and what is being
    /// worked on; a new `detail` starts a new phase.
    func update(rows: Int, fraction: Double?, detail: String = "") {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = clock.now
        if detail != phase {
            (phase, phaseStarted, phaseFirstRows, phaseFirstFraction) = (detail, now, rows, fraction ?? 0)
        }
        let elapsed = (now - phaseStarted).seconds
        let sinceDraw = (now - lastDraw).seconds
        guard isTerminal ? sinceDraw >= 0.1 : sinceDraw >= 2 else { return }
        lastDraw = now
        // Rate and ETA once the phase has run long enough to tell.
        let measured = elapsed >= 0.2
        let rate = measured ? Format.compact(Double(rows - phaseFirstRows) / elapsed) + " rows/s" : ""
        var eta = ""
        if measured, let fraction, fraction - phaseFirstFraction > 0.01, fraction < 1 {
            eta = "ETA " + Format.seconds(elapsed * (1 - fraction) / (fraction - phaseFirstFraction))
        }
        let subject = detail.isEmpty ? label : "\(label) \(detail)"
        if isTerminal {
            let width = 24
            let filled = Int((fraction ?? 0) * Double(width))
            let bar = fraction == nil ? "" : "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
                + String(format: "%3.0f%%  ", (fraction ?? 0) * 100)
            let text = "\(subject) \(bar)\(Format.count(rows)) rows  \(rate)  \(eta)"
            FileHandle.standardError.write(Data(("\r\u{1B}[2K" + text).utf8))
            drewBar = true
        } else {
            let percent = fraction.map { String(format: " (%.0f%%)", $0 * 100) } ?? ""
            let text = "\(subject): \(Format.count(rows)) rows\(percent)" + [rate, eta].filter { !$0.isEmpty }.map { ", " + $0 }.joined()
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
    /// A materialization progress handler. While a view's source is read: the rows read, those
    /// of the views before added, and the fraction of the source's bytes. Once it is read and
    /// rows that had to be put in order are written: the rows written, of those read.
    func materializeHandler() -> @Sendable (MaterializeProgress) -> Void {
        let state = MaterializeState()
        return { [self] progress in
            let rows = state.total(view: progress.view, rows: progress.rowsRead)
            let readingDone = progress.totalBytes > 0 && progress.bytesRead >= progress.totalBytes
            if readingDone {
                // Rows written as they were read leave nothing to report here.
                guard progress.rowsWritten < progress.rowsRead else { return }
                update(rows: progress.rowsWritten, fraction: Double(progress.rowsWritten) / Double(progress.rowsRead),
                       detail: progress.view + " (writing)")
                return
            }
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
