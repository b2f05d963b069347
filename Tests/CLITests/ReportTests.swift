import Foundation
import Testing
import TestSupport

/// `larder report`: one self-contained page per comparison, checked as a person sees it —
/// headless Chromium renders it to a PNG (scripts/render-report.sh), and the page as Chromium
/// parsed it must hold every feature, the drifting ones first and marked.
@Suite struct ReportTests {
    /// Day 2 moves `rate` by half its range and brings a new city whose name is markup; `trips`
    /// keeps its distribution; `rare` has too few values for a score.
    static func makeRepository(in directory: String) throws {
        var csv = "driver_id,event_timestamp,rate,city,trips,rare\n"
        for driver in 0..<300 {
            let rare = driver < 5 ? "\(driver)" : ""
            csv += "\(driver),2024-05-01T10:00:00Z,\(Double(driver) / 300),\(driver % 2 == 0 ? "a" : "b"),\(driver % 21),\(rare)\n"
            let city = driver % 3 == 0 ? "<script>alert(1)</script>" : (driver % 2 == 0 ? "a" : "b")
            csv += "\(driver),2024-05-02T10:00:00Z,\(0.5 + Double(driver) / 300),\(city),\((driver + 150) % 21),\(rare)\n"
        }
        try csv.write(toFile: directory + "/stats.csv", atomically: true, encoding: .utf8)
        try """
            entities: [{name: driver, join_key: driver_id}]
            sources: [{name: stats, csv: stats.csv}]
            views:
              - name: driver_stats
                entities: [driver]
                source: stats
                features:
                  - {name: rate, type: float64}
                  - {name: city, type: string}
                  - {name: trips, type: int64}
                  - {name: rare, type: float64}
            """.write(toFile: directory + "/features.yaml", atomically: true, encoding: .utf8)
        for command in [["apply"], ["materialize", "2024-05-01", "2024-05-02"], ["materialize", "2024-05-02", "2024-05-03"]] {
            let result = try larder(command, in: directory)
            #expect(result.status == 0, "\(result)")
        }
    }

    /// The `<section>` start tags of the feature sections, in page order.
    static func sections(in html: String) -> [(feature: String, classes: String, drifts: String)] {
        let pattern = try! NSRegularExpression(pattern: #"<section class="([^"]*)"[^>]*data-feature="([^"]*)" data-drifts="([^"]*)">"#)
        return pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { match in
            func group(_ index: Int) -> String { String(html[Range(match.range(at: index), in: html)!]) }
            return (group(2), group(1), group(3))
        }
    }

    @Test func theRenderedPageHoldsEveryFeatureWithTheDriftingOnesFirstAndMarked() throws {
        try withTemporaryDirectory { directory in
            try Self.makeRepository(in: directory)
            let written = try larder("report", "--baseline", "1", "--current", "2", "--out", "drift.html", in: directory)
            #expect(written.status == 0, "\(written)")
            #expect(written.stdout == "Wrote drift.html: snapshot 1 → snapshot 2: 2 of 4 features drift.\n", "\(written)")
            let page = try String(contentsOfFile: directory + "/drift.html", encoding: .utf8)
            // Self-contained: nothing to fetch, nothing to run.
            for outside in ["http:", "https:", "src=", "<script", "<link", "url("] {
                #expect(!page.contains(outside), "the page contains \(outside)")
            }

            let png = directory + "/drift.png"
            let dom = try runProgram("/bin/bash", [repositoryRoot + "/scripts/render-report.sh", directory + "/drift.html", png])
            let image = try Data(contentsOf: URL(fileURLWithPath: png))
            #expect(image.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "not a PNG")
            let width = image[16..<20].reduce(0) { $0 << 8 | Int($1) }
            #expect(width == 1000 && image.count > 20_000, "\(width) pixels wide, \(image.count) bytes")

            // What Chromium parsed: four sections, the two drifting first and marked.
            let sections = Self.sections(in: dom)
            #expect(sections.map(\.feature) == ["city", "rate", "rare", "trips"], "\(sections)")
            #expect(sections.map(\.classes) == ["feature drifting", "feature drifting", "feature", "feature"])
            #expect(sections.map(\.drifts) == ["true", "true", "false", "false"])
            // Each drawn: SVG histograms for numbers and strings; too few values said in words.
            #expect(dom.components(separatedBy: "<svg class=\"histogram\"").count - 1 == 4)
            #expect(dom.contains("No score: too few values for a score: 5 in the baseline and 5 now; at least 10 on each side."))
            #expect(dom.components(separatedBy: #"<span class="flag">DRIFT</span>"#).count - 1 == 4)  // summary rows and headings
            // A value that is markup is shown as text: Chromium found no script element.
            #expect(!dom.contains("<script") && dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
    }

    @Test func thresholdsAndViewsAsDriftTakesThem() throws {
        try withTemporaryDirectory { directory in
            try Self.makeRepository(in: directory)
            let loose = try larder("report", "--baseline", "1", "--current", "2", "--psi", "100", "--jensen-shannon", "1", "--wasserstein", "100",
                                   "--out", "-", in: directory)
            #expect(loose.status == 0, "\(loose)")
            #expect(Self.sections(in: loose.stdout).allSatisfy { $0.drifts == "false" }, "\(loose.stdout.prefix(500))")
            #expect(loose.stdout.contains("0 of 4 features drift"))
        }
    }

    @Test func badRequestsWriteNothing() throws {
        try withTemporaryDirectory { directory in
            try Self.makeRepository(in: directory)
            try FileManager.default.createDirectory(atPath: directory + "/out", withIntermediateDirectories: false)
            let intoDirectory = try larder("report", "--baseline", "1", "--current", "2", "--out", "out", in: directory)
            #expect(intoDirectory.status == 2 && intoDirectory.stderr.contains("out: is a directory"), "\(intoDirectory)")
            let unknown = try larder("report", "--baseline", "1", "--current", "9", "--out", "drift.html", in: directory)
            #expect(unknown.status == 2 && unknown.stderr.contains("no snapshot 9"), "\(unknown)")
            #expect(!FileManager.default.fileExists(atPath: directory + "/drift.html"))
            let missingOut = try larder("report", "--baseline", "1", "--current", "2", in: directory)
            #expect(missingOut.status == 1 && missingOut.stderr.contains("--out"), "\(missingOut)")
        }
    }
}
