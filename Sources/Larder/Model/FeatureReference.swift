/// A reference to features: `view:feature` for one, `view` for all of a view's features.
public struct FeatureReference: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public var view: String
    /// `nil` means every feature of the view.
    public var feature: String?

    public init(view: String, feature: String? = nil) {
        self.view = view
        self.feature = feature
    }

    /// Parses `view:feature` or `view`.
    public init(parsing text: String) {
        if let colon = text.firstIndex(of: ":") {
            self.init(view: String(text[..<colon]), feature: String(text[text.index(after: colon)...]))
        } else {
            self.init(view: text)
        }
    }

    public init(stringLiteral text: String) { self.init(parsing: text) }

    public var description: String { feature.map { "\(view):\($0)" } ?? view }
}

/// What a resolved feature request depends on: the references, the naming of the output
/// columns, and the registry they were resolved against.
struct FeatureRequestKey: Equatable, Sendable {
    let references: [FeatureReference]
    let fullNames: Bool
    let registryVersion: UInt64
}
