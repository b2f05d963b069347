import Foundation
import Larder

/// A run's feature statistics as `snapshots show` prints them: a table for people, a summary
/// object per feature for machines (the sketches themselves stay in the store).
enum StatisticsOutput {
    /// View → feature → statistics, in name order.
    typealias Views = [String: [String: FeatureStatistics]]

    static func table(_ views: Views) -> TableFormatter {
        var table = TableFormatter(["view", "feature"] + summaryColumns.map { $0 + ">" } + ["most frequent"])
        for (view, features) in views.sorted(by: { $0.key < $1.key }) {
            for (feature, statistics) in features.sorted(by: { $0.key < $1.key }) {
                let name = statistics.listLengths != nil ? "\(feature) (length)" : feature
                table.append([view, name] + summary(statistics) + [
                    statistics.strings?.frequent?.top(3).map { "\(printable($0.value)) (\(Format.count($0.count)))" }.joined(separator: ", ") ?? "",
                ])
            }
        }
        return table
    }

    /// The columns of ``summary(_:)``.
    static let summaryColumns = ["rows", "nulls", "mean", "std", "min", "median", "max", "distinct"]

    /// One feature's statistics in a line: rows, nulls, then for numbers (or list lengths) the
    /// mean, standard deviation, minimum, median and maximum, and for strings the distinct count.
    static func summary(_ statistics: FeatureStatistics) -> [String] {
        let numbers = (statistics.numbers ?? statistics.listLengths).flatMap { $0.moments.count > 0 ? $0 : nil }
        func number(_ value: Double?) -> String { value.map(Format.significant) ?? "" }
        return [
            Format.count(statistics.rows), Format.count(statistics.nulls),
            number(numbers?.moments.mean), number(numbers?.moments.standardDeviation), number(numbers?.moments.minimum),
            number(numbers?.quantiles.quantile(0.5)), number(numbers?.moments.maximum),
            statistics.strings.map { Format.count($0.distinct.estimate) } ?? "",
        ]
    }

    static func json(_ views: Views) -> JSON {
        .object(views.sorted { $0.key < $1.key }.map { view, features in
            (view, .object(features.sorted { $0.key < $1.key }.map { feature, statistics in
                (feature, summary(statistics))
            }))
        })
    }

    private static func summary(_ statistics: FeatureStatistics) -> JSON {
        var fields: [(String, JSON)] = [("rows", .int(Int64(statistics.rows))), ("nulls", .int(Int64(statistics.nulls)))]
        func numbers(_ numbers: FeatureStatistics.Numbers) -> JSON {
            let moments = numbers.moments
            let quantiles = numbers.quantiles.quantiles([0.01, 0.25, 0.5, 0.75, 0.99])
            return .object([
                ("count", .int(Int64(moments.count))), ("mean", double(moments.mean)), ("std", double(moments.standardDeviation)),
                ("min", double(moments.count > 0 ? moments.minimum : nil)), ("max", double(moments.count > 0 ? moments.maximum : nil)),
                ("p01", double(quantiles[0])), ("p25", double(quantiles[1])), ("p50", double(quantiles[2])),
                ("p75", double(quantiles[3])), ("p99", double(quantiles[4])),
            ])
        }
        if let values = statistics.numbers { fields.append(("numbers", numbers(values))) }
        if let lengths = statistics.listLengths { fields.append(("list_lengths", numbers(lengths))) }
        if let strings = statistics.strings {
            fields.append(("distinct", .int(Int64(strings.distinct.estimate))))
            if let frequent = strings.frequent {
                fields.append(("most_frequent", .array(frequent.top(10).map {
                    .object([("value", .string($0.value)), ("count", .int(Int64($0.count))), ("error", .int(Int64($0.error)))])
                })))
            }
        }
        return .object(fields)
    }

    private static func double(_ value: Double?) -> JSON {
        value.map(JSON.double) ?? .null
    }
}
