import Foundation
import Larder

/// `larder report`'s page: one self-contained HTML document — styles inline, histograms as inline
/// SVG, no script, no external asset — with a summary table, then a section per feature,
/// drifting features first (Docs/Monitoring.md).
///
/// Its structure is what tests and scripts read: each feature is a
/// `<section class="feature" data-view=… data-feature=… data-drifts=…>`, with the class
/// `drifting` added when it drifts.
enum DriftReportPage {
    static func render(_ comparison: DriftComparison, generatedAt: Timestamp) -> String {
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Feature drift: \(comparison.baseline.description.htmlEscaped) → \(comparison.current.description.htmlEscaped)</title>
            <style>\(style)</style>
            </head>
            <body>
            <header>
            <h1>Feature drift</h1>
            <p class="headline">\(comparison.headline.htmlEscaped).</p>
            <p class="meta">Baseline: <span class="swatch baseline"></span>\(comparison.baseline.description.htmlEscaped) · \
            current: <span class="swatch current"></span>\(comparison.current.description.htmlEscaped) · \
            thresholds: \(comparison.thresholdSummary.htmlEscaped) · generated \(generatedAt)</p>
            </header>

            """
        page += summaryTable(comparison)
        for feature in comparison.features { page += section(feature) }
        page += """
            <footer>A feature drifts when any score reaches its threshold (<code>larder drift</code>, Docs/Monitoring.md). \
            Histograms are drawn from each side's stored sketches: numbers over 30 equal bins between both sides' 1st and 99th \
            percentiles (the end bins hold the tails), strings as the shares of the most frequent values.</footer>
            </body>
            </html>

            """
        return page
    }

    private static func summaryTable(_ comparison: DriftComparison) -> String {
        var html = #"<table class="summary"><thead><tr><th>feature</th><th>psi</th><th>jensen-shannon</th><th>wasserstein</th><th>null rate change</th><th></th></tr></thead><tbody>"# + "\n"
        for feature in comparison.features {
            let link = ##"<a href="#\##(anchor(feature))">\##("\(feature.view):\(feature.name)".htmlEscaped)</a>"##
            html += feature.drifts ? #"<tr class="drifting">"# : "<tr>"
            switch feature.result {
            case .success(let scores):
                html += "<td>\(link)</td>" + scoreCells(scores, feature.thresholds) + "<td>\(feature.drifts ? #"<span class="flag">DRIFT</span>"# : "")</td>"
            case .failure(let error):
                html += #"<td>\#(link)</td><td colspan="5" class="no-score">no score: \#(error.description.htmlEscaped)</td>"#
            }
            html += "</tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    /// The scores, the ones at or over their threshold marked.
    private static func scoreCells(_ scores: DriftScores, _ thresholds: DriftThresholds) -> String {
        func cell(_ score: Double?, _ threshold: Double?) -> String {
            guard let score else { return "<td>–</td>" }
            let reached = threshold.map { score >= $0 } ?? false
            return (reached ? #"<td class="reached">"# : "<td>") + Format.score(score) + "</td>"
        }
        return cell(scores.psi, thresholds.psi) + cell(scores.jensenShannon, thresholds.jensenShannon)
            + cell(scores.wasserstein, thresholds.wasserstein) + "<td>\(String(format: "%+.4f", scores.nullRateChange))</td>"
    }

    private static func section(_ feature: DriftComparison.Feature) -> String {
        let name = "\(feature.view):\(feature.name)"
        var html = #"<section class="feature\#(feature.drifts ? " drifting" : "")" id="\#(anchor(feature))" data-view="\#(feature.view.htmlEscaped)" data-feature="\#(feature.name.htmlEscaped)" data-drifts="\#(feature.drifts)">"# + "\n"
        html += "<h2>\(name.htmlEscaped)\(feature.drifts ? #" <span class="flag">DRIFT</span>"# : "")</h2>\n"
        switch feature.result {
        case .success(let scores):
            html += #"<table class="scores"><tr><th>psi</th><th>jensen-shannon</th><th>wasserstein</th><th>null rate change</th></tr><tr>"#
                + scoreCells(scores, feature.thresholds) + "</tr><tr class=\"thresholds\">"
                + [feature.thresholds.psi, feature.thresholds.jensenShannon, feature.thresholds.wasserstein]
                    .map { "<td>\($0.map { "≥ \(Format.significant($0))" } ?? "")</td>" }.joined() + "<td></td></tr></table>\n"
        case .failure(let error):
            html += #"<p class="no-score">No score: \#(error.description.htmlEscaped).</p>"# + "\n"
        }
        if let histogram = Histogram(baseline: feature.baseline, current: feature.current) {
            html += HistogramSVG.render(histogram) + "\n"
        } else {
            html += #"<p class="no-histogram">No distribution to draw (bytes keep a distinct count only).</p>"# + "\n"
        }
        html += #"<table class="sides"><tr><th></th>"# + StatisticsOutput.summaryColumns.map { "<th>\($0)</th>" }.joined() + "</tr>"
        html += side("baseline", feature.baseline) + side("current", feature.current) + "</table>\n</section>\n"
        return html
    }

    private static func side(_ label: String, _ statistics: FeatureStatistics) -> String {
        #"<tr class="\#(label)">"# + ([label] + StatisticsOutput.summary(statistics)).map { "<td>\($0.htmlEscaped)</td>" }.joined() + "</tr>"
    }

    /// A fragment id from the view and feature names (identifiers, so already safe).
    private static func anchor(_ feature: DriftComparison.Feature) -> String {
        "feature-\(feature.view)-\(feature.name)".htmlEscaped
    }

    private static let style = """
        body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:900px;color:#222;padding:0 16px}\
        h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:0 0 8px}\
        .meta,footer{color:#555;font-size:12px}footer{margin-top:32px}\
        table{border-collapse:collapse;margin:8px 0}th,td{padding:3px 10px;text-align:right;border-bottom:1px solid #e3e3e3}\
        th:first-child,td:first-child{text-align:left}.summary tr.drifting td:first-child a{font-weight:600}\
        td.reached{color:#b00020;font-weight:600}.thresholds td{color:#888;font-size:12px}\
        section.feature{border:1px solid #ddd;border-radius:6px;padding:12px 16px;margin:16px 0}\
        section.drifting{border-color:#b00020;border-left-width:5px}\
        .flag{background:#b00020;color:#fff;border-radius:3px;padding:1px 6px;font-size:11px;font-weight:600;vertical-align:middle}\
        .no-score,.no-histogram{color:#8a6d00}\
        svg.histogram{display:block;margin:6px 0}svg text{font-size:11px;fill:#444}\
        .swatch{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:baseline}\
        .swatch.baseline{background:\(HistogramSVG.baselineColour)}.swatch.current{background:\(HistogramSVG.currentColour)}\
        tr.baseline td:first-child{color:\(HistogramSVG.baselineColour)}tr.current td:first-child{color:\(HistogramSVG.currentColour)}
        """
}
