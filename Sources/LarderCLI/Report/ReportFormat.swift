import Foundation

/// How the drift report writes numbers and text into HTML.
enum ReportFormat {
    /// Four significant digits: 0.2417, 1.235e+06.
    static func number(_ value: Double) -> String {
        String(format: "%.4g", value)
    }

    static func percent(_ share: Double) -> String {
        String(format: share < 0.1 && share > 0 ? "%.2f%%" : "%.1f%%", share * 100)
    }
}

extension String {
    /// Safe as HTML text and as a quoted attribute value: values shown in the report are data.
    var htmlEscaped: String {
        var escaped = ""
        escaped.reserveCapacity(utf8.count)
        for character in unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }
}
