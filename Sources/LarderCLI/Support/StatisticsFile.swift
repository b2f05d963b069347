import Foundation
import Larder

/// A statistics file (`larder historical --stats FILE`): JSON of view → feature →
/// `FeatureStatistics`, sketches included, so that `larder drift --baseline FILE` compares
/// other rows with it as with a snapshot's.
enum StatisticsFile {
    static func write(_ statistics: [String: [String: FeatureStatistics]], to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(statistics).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    static func read(_ path: String) throws -> [String: [String: FeatureStatistics]] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError.data("\(path): no such file (a statistics file)") }
        do {
            return try JSONDecoder().decode([String: [String: FeatureStatistics]].self, from: data)
        } catch {
            throw CLIError.data("\(path): not a statistics file written by larder historical --stats (\(error))")
        }
    }
}
