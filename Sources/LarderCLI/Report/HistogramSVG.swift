import Foundation

/// Draws a `Histogram` as inline SVG: the baseline's bars and the current bars over each other,
/// each half transparent, so where they differ shows as colour. Numbers as columns over their
/// range; categories as rows, one pair of bars per value.
enum HistogramSVG {
    static let width = 560.0
    static let baselineColour = "#4c78a8"
    static let currentColour = "#f58518"

    static func render(_ histogram: Histogram) -> String {
        switch histogram.bins {
        case .numbers(let lower, let upper, let wholeNumbers): columns(histogram, lower: lower, upper: upper, wholeNumbers: wholeNumbers)
        case .categories(let names): rows(histogram, names: names + ["(other)"])
        }
    }

    private static func columns(_ histogram: Histogram, lower: Double, upper: Double, wholeNumbers: Bool) -> String {
        let height = 170.0, left = 44.0, right = 12.0, top = 10.0, bottom = 24.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let tallest = max(histogram.baseline.max() ?? 0, histogram.current.max() ?? 0, 1e-9)
        let barWidth = plotWidth / Double(histogram.baseline.count)
        var svg = open(height: height, label: "histogram of both sides from \(Format.significant(lower)) to \(Format.significant(upper))")
        for (shares, colour, side) in [(histogram.baseline, baselineColour, "baseline"), (histogram.current, currentColour, "current")] {
            svg += #"<g class="\#(side)" fill="\#(colour)" fill-opacity="0.55">"#
            for (index, share) in shares.enumerated() where share > 0 {
                let barHeight = share / tallest * plotHeight
                svg += rect(x: left + Double(index) * barWidth, y: top + plotHeight - barHeight, width: barWidth, height: barHeight, title: "\(side): \(Format.percent(share))")
            }
            svg += "</g>"
        }
        let axisY = top + plotHeight
        svg += ##"<line x1="\##(left)" y1="\##(axisY)" x2="\##(width - right)" y2="\##(axisY)" stroke="#666"/>"##
        svg += text(Format.percent(tallest), x: left - 4, y: top + 8, anchor: "end")
        svg += text("0", x: left - 4, y: axisY, anchor: "end")
        if wholeNumbers {
            // Each whole number under its bar, as many as fit.
            let every = max(1, Int((28 / barWidth).rounded(.up)))
            for index in stride(from: 0, to: histogram.baseline.count, by: every) {
                svg += text(Format.significant(lower + 0.5 + Double(index)), x: left + (Double(index) + 0.5) * barWidth, y: height - 6, anchor: "middle")
            }
        } else {
            svg += text(Format.significant(lower), x: left, y: height - 6, anchor: "start")
            svg += text(Format.significant((lower + upper) / 2), x: left + plotWidth / 2, y: height - 6, anchor: "middle")
            svg += text(Format.significant(upper), x: width - right, y: height - 6, anchor: "end")
        }
        return svg + "</svg>"
    }

    private static func rows(_ histogram: Histogram, names: [String]) -> String {
        let rowHeight = 20.0, left = 150.0, right = 110.0, top = 4.0
        let height = top * 2 + rowHeight * Double(names.count)
        let plotWidth = width - left - right
        let widest = max(histogram.baseline.max() ?? 0, histogram.current.max() ?? 0, 1e-9)
        var svg = open(height: height, label: "shares of the most frequent values on both sides")
        for (index, name) in names.enumerated() {
            let y = top + Double(index) * rowHeight
            let shown = name.count > 22 ? String(name.prefix(21)) + "…" : name
            svg += text(shown, x: left - 6, y: y + 14, anchor: "end")
            for (offset, shares, colour, side) in [(2.0, histogram.baseline, baselineColour, "baseline"), (10.0, histogram.current, currentColour, "current")] {
                let share = shares[index]
                svg += #"<g class="\#(side)" fill="\#(colour)">"#
                svg += rect(x: left, y: y + offset, width: max(share / widest * plotWidth, share > 0 ? 1 : 0), height: 7, title: "\(side) \(name): \(Format.percent(share))")
                svg += "</g>"
            }
            svg += text("\(Format.percent(histogram.baseline[index])) → \(Format.percent(histogram.current[index]))", x: width - 2, y: y + 14, anchor: "end")
        }
        return svg + "</svg>"
    }

    private static func open(height: Double, label: String) -> String {
        #"<svg class="histogram" width="\#(Int(width))" height="\#(Int(height))" viewBox="0 0 \#(Int(width)) \#(Int(height))" role="img" aria-label="\#(label.htmlEscaped)">"#
    }

    private static func rect(x: Double, y: Double, width: Double, height: Double, title: String) -> String {
        #"<rect x="\#(coordinate(x))" y="\#(coordinate(y))" width="\#(coordinate(width))" height="\#(coordinate(height))"><title>\#(title.htmlEscaped)</title></rect>"#
    }

    private static func text(_ content: String, x: Double, y: Double, anchor: String) -> String {
        #"<text x="\#(coordinate(x))" y="\#(coordinate(y))" text-anchor="\#(anchor)">\#(content.htmlEscaped)</text>"#
    }

    private static func coordinate(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
