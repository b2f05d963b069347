/// Why a feature has the value an online lookup returned.
public enum FeatureStatus: String, Hashable, Sendable, Codable {
    /// A stored, non-null value within the view's ttl.
    case present
    /// A row exists and is within the ttl, but this feature is null in it (stored null, or a
    /// feature added after the row was written). Feast reports stored nulls as present.
    case null
    /// No row for this entity (at that time or snapshot).
    case notFound
    /// The newest row is older than the view's ttl, measured from now or from `asOf`. Its value
    /// is not served. Feast applies no ttl online.
    case outsideMaxAge
}
