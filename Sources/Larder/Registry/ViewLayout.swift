/// Where each current feature of a view sits in rows written with each schema version.
///
/// A feature keeps its field id while it keeps its name and type; in a row of an older schema
/// it is found by that id, and is null there when the row's schema did not have it (added
/// later, or retyped since).
struct ViewLayout: Sendable {
    let record: ViewRecord
    /// For each schema version, the slot of each current feature, or -1.
    private let slots: [UInt16: [Int]]

    init(_ record: ViewRecord) {
        self.record = record
        var slots: [UInt16: [Int]] = [:]
        for schema in record.schemas {
            slots[schema.version] = record.fieldIDs.map { schema.fieldIDs.firstIndex(of: $0) ?? -1 }
        }
        self.slots = slots
    }

    var features: [Field] { record.definition.features }

    /// The slot of current feature `index` in a row written with `version`, or `nil`.
    @inline(__always)
    func slot(ofFeature index: Int, inVersion version: UInt16) -> Int? {
        guard let table = slots[version] else { return nil }
        let slot = table[index]
        return slot < 0 ? nil : slot
    }

    /// The index of the feature called `name` in the current schema.
    func featureIndex(named name: String) -> Int? {
        record.definition.features.firstIndex { $0.name == name }
    }
}
