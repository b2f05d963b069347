/// Definitions that cannot be applied, with every problem found, each naming its object.
public struct DefinitionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One problem: which object, and what is wrong with it.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// `entity driver`, `view driver_hourly_stats`, `service driver_activity`, `source trips`.
        public let object: String
        public let message: String

        public var description: String { "\(object): \(message)" }
    }

    public let problems: [Problem]

    public var description: String {
        problems.count == 1
            ? "invalid definitions: \(problems[0])"
            : "invalid definitions (\(problems.count) problems):\n" + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}
