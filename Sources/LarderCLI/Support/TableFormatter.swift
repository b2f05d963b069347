/// Aligned text tables for people: a header, a rule, and rows; numbers right-aligned.
///
/// ```
/// view                 entities  features  ttl
/// -------------------  --------  --------  ----
/// driver_hourly_stats  driver           3  1d
/// ```
struct TableFormatter {
    enum Alignment { case left, right }

    struct Column {
        let title: String
        let alignment: Alignment
    }

    private(set) var columns: [Column]
    private(set) var rows: [[String]] = []

    /// Columns by title; a title ending in `>` is right-aligned (the `>` is not shown).
    init(_ titles: [String]) {
        columns = titles.map { title in
            title.hasSuffix(">") ? Column(title: String(title.dropLast()), alignment: .right) : Column(title: title, alignment: .left)
        }
    }

    mutating func append(_ row: [String]) {
        rows.append(row + Array(repeating: "", count: max(0, columns.count - row.count)))
    }

    /// The table as lines, each prefixed by `indent`, without trailing spaces.
    func render(indent: String = "") -> String {
        let widths = columns.indices.map { index in
            rows.reduce(columns[index].title.count) { max($0, $1[index].count) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (index, cell) in cells.enumerated() where index < columns.count {
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                parts.append(columns[index].alignment == .right ? padding + cell : cell + padding)
            }
            return indent + String(parts.joined(separator: "  ").reversed().drop(while: { $0 == " " }).reversed())
        }
        var lines = [line(columns.map(\.title)), line(widths.map { String(repeating: "-", count: $0) })]
        lines += rows.map(line)
        return lines.joined(separator: "\n")
    }
}

/// `key: value` lines with the values aligned, for describing one object.
struct DetailsFormatter {
    private var items: [(String, String)] = []

    mutating func append(_ key: String, _ value: String) {
        items.append((key, value))
    }

    func render(indent: String = "") -> String {
        let width = items.map(\.0.count).max() ?? 0
        return items.map { key, value in
            indent + key + ":" + String(repeating: " ", count: width - key.count + 2) + value
        }.joined(separator: "\n")
    }
}
