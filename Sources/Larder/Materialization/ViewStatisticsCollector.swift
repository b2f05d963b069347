/// The statistics of one view's rows in a run, fed each row as the parser encoded it — before
/// it is batched or sorted — so they cost one pass over values already in cache and no decoding
/// into `FeatureValue`s. Every row inside the run's interval counts, those whose identical value
/// was already stored included: a snapshot's statistics describe the data of its window.
struct ViewStatisticsCollector {
    private let names: [String]
    private let types: [ValueType]
    private var features: [FeatureStatistics]

    /// - Parameter fields: the view's features, in the order of the schema rows are encoded with.
    init(fields: [Field]) {
        names = fields.map(\.name)
        types = fields.map(\.type)
        features = Array(repeating: FeatureStatistics(), count: fields.count)
    }

    mutating func add(encodedRow bytes: UnsafeRawBufferPointer) {
        guard let row = RowView(bytes) else { return }
        for slot in types.indices {
            guard !row.isNull(slot) else {
                features[slot].addNull()
                continue
            }
            features[slot].countRow()
            switch types[slot] {
            case .bool: features[slot].addNumber(row.fixed(slot, as: UInt8.self) != 0 ? 1 : 0)
            case .int32: features[slot].addNumber(Double(row.fixed(slot, as: Int32.self)))
            case .int64: features[slot].addNumber(Double(row.fixed(slot, as: Int64.self)))
            case .float32: features[slot].addNumber(Double(Float(bitPattern: row.fixed(slot, as: UInt32.self))))
            case .float64: features[slot].addNumber(Double(bitPattern: row.fixed(slot, as: UInt64.self)))
            case .timestamp: features[slot].addNumber(Double(row.fixed(slot, as: Int64.self)) / 1_000_000)
            case .string: features[slot].addString(utf8: row.variable(slot))
            case .bytes: features[slot].addBytes(row.variable(slot))
            case .int64List, .float64List: features[slot].addLength(row.variable(slot).count / 8)
            case .float32List: features[slot].addLength(row.variable(slot).count / 4)
            case .stringList:
                if case .stringList(let list) = row.value(slot, as: .stringList) { features[slot].addLength(list.count) }
            }
        }
    }

    /// Feature name → its statistics.
    var statistics: [String: FeatureStatistics] {
        Dictionary(uniqueKeysWithValues: zip(names, features))
    }
}
