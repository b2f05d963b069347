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

    /// The registry database key (`RegistryKey`).
    var storageKey: [UInt8] {
        let kind: RegistryKey.Kind = switch self {
        case .entity: .entity
        case .source: .source
        case .view: .view
        case .service: .service
        }
        return RegistryKey.make(kind, name: name)
    }
}
