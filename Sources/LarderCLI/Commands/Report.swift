import ArgumentParser
import Foundation
import Larder

/// `larder report --baseline A --current B --out drift.html`: the comparison `larder drift`
/// scores, as one self-contained page people look at.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the drift between two snapshots, windows or the online table as one self-contained HTML page.",
        discussion: """
            The sides, views and thresholds are `larder drift`'s. The page has no script and loads \
            nothing: per feature, drifting features first, the baseline's and the current \
            histograms drawn over each other (SVG), the scores against their thresholds, and both \
            sides' statistics (Docs/Monitoring.md). Exit status 0 once the page is written, \
            whether features drift or not; `larder drift` is the command to branch on.
            """)

    @OptionGroup var comparison: DriftOptions

    @Option(help: ArgumentHelp("The page to write ('-' for standard output).", valueName: "file.html"))
    var out: String

    @OptionGroup var location: StoreOptions

    func run() throws {
        try OutputFile.checkDestination(out, store: location.storePath)
        let result = try comparison.compare(in: try location.openStore(readOnly: true))
        let page = Data(DriftReportPage.render(result, generatedAt: .now).utf8)
        if out == OutputFile.standardOutput {
            FileHandle.standardOutput.write(page)
            return
        }
        do {
            try page.write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            throw CLIError.data("\(out): cannot write the page: \((error as NSError).localizedFailureReason ?? error.localizedDescription)")
        }
        print("Wrote \(out): \(result.headline.prefix(1).lowercased() + result.headline.dropFirst()).")
    }
}
