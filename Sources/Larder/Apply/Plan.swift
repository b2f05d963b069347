/// What `apply` would do to the registry: the diff between the stored definitions and new ones.
///
/// `description` prints it for a person:
/// ```
/// + entity customer
/// ~ view driver_hourly_stats
///     + feature avg_rating: float64
///     ~ ttl: 1d -> 2d
/// - service old_service
///   (unchanged: entity driver, source driver_stats)
/// ```
public struct Plan: Sendable, Equatable, CustomStringConvertible {
    public enum Change: Sendable, Equatable {
        case added(RegistryObject)
        /// Field-level details, one line each (`+ feature x: float32`, `~ ttl: 1d -> 2d`).
        case changed(RegistryObject, details: [String])
        case removed(RegistryObject)

        public var object: RegistryObject {
            switch self {
            case .added(let object), .changed(let object, _), .removed(let object): object
            }
        }
    }

    /// Added, changed and removed objects, dependencies first.
    public internal(set) var changes: [Change] = []
    public internal(set) var unchanged: [RegistryObject] = []
    /// Stored objects the definitions do not mention: `apply` keeps them unless asked to delete.
    public internal(set) var notInDefinitions: [RegistryObject] = []
    /// Changes that break rows already stored; `apply` refuses them unless allowed.
    public internal(set) var breakingChanges: [String] = []

    /// Whether applying would change nothing.
    public var isEmpty: Bool { changes.isEmpty }

    public var description: String {
        var lines: [String] = []
        for change in changes {
            switch change {
            case .added(let object): lines.append("+ \(object)")
            case .removed(let object): lines.append("- \(object)")
            case .changed(let object, let details):
                lines.append("~ \(object)")
                lines += details.map { "    \($0)" }
            }
        }
        if changes.isEmpty { lines.append("no changes") }
        if !unchanged.isEmpty { lines.append("  (unchanged: \(unchanged.map(\.description).joined(separator: ", ")))") }
        if !notInDefinitions.isEmpty {
            lines.append("  (kept, not in the definitions: \(notInDefinitions.map(\.description).joined(separator: ", ")); delete them explicitly to remove them)")
        }
        for breaking in breakingChanges { lines.append("! breaking: \(breaking)") }
        return lines.joined(separator: "\n")
    }
}
