/// Names one registry object, as `plan` reports it and `delete` takes it.
public enum RegistryObject: Hashable, Sendable, Comparable, CustomStringConvertible {
    case entity(String)
    case source(String)
    case view(String)
    case service(String)

    public var name: String {
        switch self {
        case .entity(let name), .source(let name), .view(let name), .service(let name): name
        }
    }

    public var kind: String {
        switch self {
        case .entity: "entity"
        case .source: "source"
        case .view: "view"
        case .service: "service"
        }
    }

    /// The order objects are listed and applied in: what others depend on comes first.
    var rank: Int {
        switch self {
        case .entity: 0
        case .source: 1
        case .view: 2
        case .service: 3
        }
    }

    public static func < (lhs: RegistryObject, rhs: RegistryObject) -> Bool {
        (lhs.rank, lhs.name) < (rhs.rank, rhs.name)
    }

    public var description: String { "\(kind) \(name)" }

    /// The registry database key: a kind byte, then the name.
    var storageKey: [UInt8] {
        let tag: UInt8 = switch self {
        case .entity: 0x45  // E
        case .source: 0x53  // S
        case .view: 0x56  // V
        case .service: 0x46  // F
        }
        return [tag] + Array(name.utf8)
    }
}
