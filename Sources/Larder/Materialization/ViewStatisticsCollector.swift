/// The statistics of one view's rows in a run, fed each row as the parser encoded it — before
/// it is batched or sorted — so they cost one pass over values already in cache and no decoding
/// into `FeatureValue`s. Every row inside the run's interval counts, those whose identical value
/// was already stored included: a snapshot's statistics describe the data of its window.
///
/// Each feature's accumulator sits in a flat array of its kind, updated in place (a
/// `FeatureStatistics` per feature would unwrap an optional per value).
struct ViewStatisticsCollector {
    /// What a slot holds and where its accumulator is.
    private enum Slot {
        case number(ValueType, Int)
        case string(Int)
        case bytes(Int)
        case fixedList(width: Int, Int)
        case stringList(Int)
    }

    private let names: [String]
    private let slots: [Slot]
    private var rows = 0
    private var nulls: [Int]
    private var nonFinite: [Int]
    private var numbers: [FeatureStatistics.Numbers] = []
    /// Values of each number feature not yet added to `numbers`: they go in blocks, which
    /// costs a fraction of adding them one by one (Docs/Monitoring.md).
    private var pending: [[Double]] = []
    private static let blockSize = 4_096
    private var strings: [FeatureStatistics.Strings] = []
    private var lengths: [FeatureStatistics.Numbers] = []

    /// - Parameter fields: the view's features, in the order of the schema rows are encoded with.
    init(fields: [Field]) {
        names = fields.map(\.name)
        nulls = Array(repeating: 0, count: fields.count)
        nonFinite = nulls
        var slots: [Slot] = []
        for field in fields {
            switch field.type {
            case .bool, .int32, .int64, .float32, .float64, .timestamp:
                slots.append(.number(field.type, numbers.count))
                numbers.append(FeatureStatistics.Numbers())
                pending.append([])
                pending[pending.count - 1].reserveCapacity(Self.blockSize)
            case .string:
                slots.append(.string(strings.count))
                strings.append(FeatureStatistics.Strings(frequent: true))
            case .bytes:
                slots.append(.bytes(strings.count))
                strings.append(FeatureStatistics.Strings(frequent: false))
            case .int64List, .float64List, .float32List:
                slots.append(.fixedList(width: field.type == .float32List ? 4 : 8, lengths.count))
                lengths.append(FeatureStatistics.Numbers())
            case .stringList:
                slots.append(.stringList(lengths.count))
                lengths.append(FeatureStatistics.Numbers())
            }
        }
        self.slots = slots
    }

    mutating func add(encodedRow bytes: UnsafeRawBufferPointer) {
        guard let row = RowView(bytes) else { return }
        rows += 1
        for (slot, kind) in slots.enumerated() {
            guard !row.isNull(slot) else {
                nulls[slot] += 1
                continue
            }
            switch kind {
            case .number(let type, let index):
                let value: Double = switch type {
                case .bool: row.fixed(slot, as: UInt8.self) != 0 ? 1 : 0
                case .int32: Double(row.fixed(slot, as: Int32.self))
                case .int64: Double(row.fixed(slot, as: Int64.self))
                case .float32: Double(Float(bitPattern: row.fixed(slot, as: UInt32.self)))
                case .timestamp: Double(row.fixed(slot, as: Int64.self)) / 1_000_000
                default: Double(bitPattern: row.fixed(slot, as: UInt64.self))
                }
                guard value.isFinite else {
                    nonFinite[slot] += 1
                    continue
                }
                pending[index].append(value)
                if pending[index].count == Self.blockSize { flush(index) }
            case .string(let index): strings[index].add(utf8: row.variable(slot))
            case .bytes(let index): strings[index].add(bytes: row.variable(slot))
            case .fixedList(let width, let index): lengths[index].add(Double(row.variable(slot).count / width))
            case .stringList(let index):
                if case .stringList(let list) = row.value(slot, as: .stringList) { lengths[index].add(Double(list.count)) }
            }
        }
    }

    private mutating func flush(_ index: Int) {
        pending[index].withUnsafeMutableBufferPointer { numbers[index].add(block: $0) }
        pending[index].removeAll(keepingCapacity: true)
    }

    /// Adds what is still pending; call once the run's rows are all added.
    mutating func finish() {
        for index in pending.indices { flush(index) }
    }

    /// Feature name → its statistics (after `finish`).
    var statistics: [String: FeatureStatistics] {
        var result: [String: FeatureStatistics] = [:]
        for (slot, kind) in slots.enumerated() {
            var number: FeatureStatistics.Numbers?, string: FeatureStatistics.Strings?, length: FeatureStatistics.Numbers?
            switch kind {
            case .number(_, let index): number = numbers[index].moments.count > 0 ? numbers[index] : nil
            case .string(let index), .bytes(let index): string = strings[index]
            case .fixedList(_, let index), .stringList(let index): length = lengths[index]
            }
            // Only what was seen: a feature that was null in every row has no numbers.
            if rows - nulls[slot] - nonFinite[slot] == 0 { (string, length) = (nil, nil) }
            result[names[slot]] = FeatureStatistics(rows: rows, nulls: nulls[slot], nonFinite: nonFinite[slot],
                                                    numbers: number, strings: string, listLengths: length)
        }
        return result
    }
}
