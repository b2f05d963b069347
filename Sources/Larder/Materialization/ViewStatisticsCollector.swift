#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The statistics of one view's rows in a run, fed each row as the parser encoded it — before
/// it is batched or sorted — so they cost one pass over values already in cache and no decoding
/// into `FeatureValue`s. Every row inside the run's interval counts, those whose identical value
/// was already stored included: a snapshot's statistics describe the data of its window.
///
/// Runs once per row per feature, so its state is raw memory it owns: accumulators of each kind
/// in flat buffers, updated in place, and number values gathered in blocks (Docs/Monitoring.md)
/// — no array to check for uniqueness and no optional to unwrap per value. A class, so that it is
/// never copied.
final class ViewStatisticsCollector {
    /// What a slot holds and where its accumulator is.
    private enum Slot {
        case float64(Int), float32(Int), int64(Int), int32(Int), bool(Int), timestamp(Int)
        case string(Int)
        case bytes(Int)
        case fixedList(width: Int, Int)
        case stringList(Int)
    }

    /// Values per block: a sorted block that large keeps the quantile sketch close to exact and
    /// spreads the sort's fixed costs thin; 128 KB per number feature. (A size per view, smaller
    /// for wide views, cost 1.2% more instructions in the Materialize benchmark: not kept.)
    private static let blockSize = 16_384

    private let names: [String]
    /// Per slot; raw, so that reading it per row retains nothing.
    private let slots: UnsafeMutableBufferPointer<Slot>
    /// The float64 features' slots, by number index (they come first): the commonest kind of
    /// feature gets a loop of its own, with no dispatch per value.
    private let float64Slots: UnsafeMutableBufferPointer<Int>
    /// The float32 and int64 features' slots and number indexes: read by loops of their own
    /// from rows without nulls.
    private let float32Slots: UnsafeMutableBufferPointer<(slot: Int, index: Int)>
    private let int64Slots: UnsafeMutableBufferPointer<(slot: Int, index: Int)>
    /// The string and bytes features' slots and indexes, likewise.
    private let stringSlots: UnsafeMutableBufferPointer<(slot: Int, index: Int)>
    /// Every slot but the float64 ones, for the loop that dispatches on its kind.
    private let otherSlots: UnsafeMutableBufferPointer<Int>
    /// The slots none of the loops of their own reads, for rows without nulls.
    private let remainingSlots: UnsafeMutableBufferPointer<Int>
    private var rows = 0
    /// Per slot.
    private let nulls: UnsafeMutableBufferPointer<Int>
    private let nonFinite: UnsafeMutableBufferPointer<Int>
    /// Per number feature: its slot, its accumulator, and a block of values not yet added to it
    /// (non-finite ones too: the block counts and drops them when it is added).
    private let numberSlots: UnsafeMutableBufferPointer<Int>
    private let numbers: UnsafeMutableBufferPointer<FeatureStatistics.Numbers>
    private let pending: UnsafeMutablePointer<Double>
    private let pendingCounts: UnsafeMutableBufferPointer<Int>
    /// Per string or bytes feature.
    private let strings: UnsafeMutableBufferPointer<FeatureStatistics.Strings>
    /// Per string or bytes feature, the values met last: met again, they are not hashed again.
    private let recent: RecentStrings
    /// Per list feature: the distribution of its lengths.
    private let lengths: UnsafeMutableBufferPointer<FeatureStatistics.Numbers>

    /// - Parameter fields: the view's features, in the order of the schema rows are encoded with.
    init(fields: [Field]) {
        names = fields.map(\.name)
        // Float64 features take the first number indexes.
        let float64Slots = fields.indices.filter { fields[$0].type == .float64 }
        var slots: [Slot] = [], numberSlots = float64Slots, stringKinds: [Bool] = [], listCount = 0
        for (slot, field) in fields.enumerated() {
            func number(_ make: (Int) -> Slot) -> Slot {
                numberSlots.append(slot)
                return make(numberSlots.count - 1)
            }
            switch field.type {
            case .float64: slots.append(.float64(float64Slots.firstIndex(of: slot)!))
            case .float32: slots.append(number(Slot.float32))
            case .int64: slots.append(number(Slot.int64))
            case .int32: slots.append(number(Slot.int32))
            case .bool: slots.append(number(Slot.bool))
            case .timestamp: slots.append(number(Slot.timestamp))
            case .string, .bytes:
                slots.append(field.type == .string ? .string(stringKinds.count) : .bytes(stringKinds.count))
                stringKinds.append(field.type == .string)
            case .int64List, .float64List, .float32List:
                slots.append(.fixedList(width: field.type == .float32List ? 4 : 8, listCount))
                listCount += 1
            case .stringList:
                slots.append(.stringList(listCount))
                listCount += 1
            }
        }
        /// A copy in memory the collector owns (freed by `deinit`).
        func owned<T>(_ values: [T]) -> UnsafeMutableBufferPointer<T> {
            let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: values.count)
            _ = buffer.initialize(from: values)
            return buffer
        }
        /// The slots of one kind, with their accumulators' indexes.
        func indexed(_ index: (Slot) -> Int?) -> [(slot: Int, index: Int)] {
            slots.indices.compactMap { slot in index(slots[slot]).map { (slot, $0) } }
        }
        self.slots = owned(slots)
        self.float64Slots = owned(float64Slots)
        self.otherSlots = owned(fields.indices.filter { fields[$0].type != .float64 })
        float32Slots = owned(indexed { if case .float32(let index) = $0 { index } else { nil } })
        int64Slots = owned(indexed { if case .int64(let index) = $0 { index } else { nil } })
        stringSlots = owned(indexed {
            switch $0 {
            case .string(let index), .bytes(let index): index
            default: nil
            }
        })
        remainingSlots = owned(fields.indices.filter { ![.float64, .float32, .int64, .string, .bytes].contains(fields[$0].type) })
        let numberCount = numberSlots.count
        self.numberSlots = owned(numberSlots)
        nulls = .allocate(capacity: fields.count)
        nulls.initialize(repeating: 0)
        nonFinite = .allocate(capacity: fields.count)
        nonFinite.initialize(repeating: 0)
        numbers = .allocate(capacity: numberCount)
        numbers.initialize(repeating: FeatureStatistics.Numbers())
        pending = .allocate(capacity: max(1, numberCount) * Self.blockSize)
        pendingCounts = .allocate(capacity: numberCount)
        pendingCounts.initialize(repeating: 0)
        strings = .allocate(capacity: stringKinds.count)
        for (index, frequent) in stringKinds.enumerated() {
            (strings.baseAddress! + index).initialize(to: FeatureStatistics.Strings(frequent: frequent))
        }
        recent = RecentStrings(features: stringKinds.count)
        lengths = .allocate(capacity: listCount)
        lengths.initialize(repeating: FeatureStatistics.Numbers())
    }

    deinit {
        slots.deallocate()
        float64Slots.deallocate()
        otherSlots.deallocate()
        float32Slots.deallocate()
        int64Slots.deallocate()
        stringSlots.deallocate()
        remainingSlots.deallocate()
        numberSlots.deallocate()
        nulls.deallocate()
        nonFinite.deallocate()
        _ = numbers.deinitialize()
        numbers.deallocate()
        pending.deallocate()
        pendingCounts.deallocate()
        _ = strings.deinitialize()
        strings.deallocate()
        recent.deallocate()
        _ = lengths.deinitialize()
        lengths.deallocate()
    }

    func add(encodedRow bytes: UnsafeRawBufferPointer) {
        guard let row = RowView(bytes) else { return }
        rows &+= 1
        if row.fieldCount == slots.count, row.hasNoNulls, let start = bytes.baseAddress {
            // `RowView` checked that the row holds every slot: read them without checks.
            let slotsStart = start + RowFormat.slotOffset(0, fieldCount: row.fieldCount)
            func load<T: FixedWidthInteger>(_ slot: Int, as type: T.Type) -> T {
                T(littleEndian: slotsStart.loadUnaligned(fromByteOffset: slot &* RowFormat.slotWidth, as: T.self))
            }
            for index in 0..<float64Slots.count {
                addNumber(Double(bitPattern: load(float64Slots[index], as: UInt64.self)), index: index)
            }
            guard !otherSlots.isEmpty else { return }  // four empty loops cost the ten-float64 benchmark 2% more
            for (slot, index) in float32Slots { addNumber(Double(Float(bitPattern: load(slot, as: UInt32.self))), index: index) }
            for (slot, index) in int64Slots { addNumber(Double(load(slot, as: Int64.self)), index: index) }
            for (slot, index) in stringSlots { recent.add(row.variable(slot), in: bytes, feature: index, to: &strings[index]) }
            for slot in remainingSlots { addPresent(slot, of: row, in: bytes) }
            return
        }
        for index in 0..<float64Slots.count {
            let slot = float64Slots[index]
            if row.isNull(slot) {
                nulls[slot] &+= 1
            } else {
                addNumber(Double(bitPattern: row.fixed(slot, as: UInt64.self)), index: index)
            }
        }
        for slot in otherSlots {
            if row.isNull(slot) {
                nulls[slot] &+= 1
            } else {
                addPresent(slot, of: row, in: bytes)
            }
        }
    }

    /// Adds the value of `slot`, which is not null, by its kind.
    @inline(__always)
    private func addPresent(_ slot: Int, of row: RowView, in bytes: UnsafeRawBufferPointer) {
        switch slots[slot] {
        case .float64(let index): addNumber(Double(bitPattern: row.fixed(slot, as: UInt64.self)), index: index)
        case .float32(let index): addNumber(Double(Float(bitPattern: row.fixed(slot, as: UInt32.self))), index: index)
        case .int64(let index): addNumber(Double(row.fixed(slot, as: Int64.self)), index: index)
        case .int32(let index): addNumber(Double(row.fixed(slot, as: Int32.self)), index: index)
        case .bool(let index): addNumber(row.fixed(slot, as: UInt8.self) != 0 ? 1 : 0, index: index)
        case .timestamp(let index): addNumber(Double(row.fixed(slot, as: Int64.self)) / 1_000_000, index: index)
        case .string(let index), .bytes(let index):
            recent.add(row.variable(slot), in: bytes, feature: index, to: &strings[index])
        case .fixedList(let width, let index): lengths[index].add(Double(row.variable(slot).count / width))
        case .stringList(let index):
            if case .stringList(let list) = row.value(slot, as: .stringList) { lengths[index].add(Double(list.count)) }
        }
    }

    @inline(__always)
    private func addNumber(_ value: Double, index: Int) {
        // Unchecked arithmetic: `count` stays below the block size, `index` below the feature count.
        let count = pendingCounts[index]
        pending[index &* Self.blockSize &+ count] = value
        let next = count &+ 1
        pendingCounts[index] = next
        if next == Self.blockSize { flush(index) }
    }

    @inline(never)  // once per block: kept out of the per-value loops, which then set up less
    private func flush(_ index: Int) {
        let block = UnsafeMutableBufferPointer(start: pending + index * Self.blockSize, count: pendingCounts[index])
        nonFinite[numberSlots[index]] &+= numbers[index].add(block: block)
        pendingCounts[index] = 0
    }

    /// Adds what is still pending; call once the run's rows are all added.
    func finish() {
        for index in pendingCounts.indices { flush(index) }
    }

    /// Feature name → its statistics (after `finish`).
    var statistics: [String: FeatureStatistics] {
        var result: [String: FeatureStatistics] = [:]
        for (slot, kind) in slots.enumerated() {
            var number: FeatureStatistics.Numbers?, string: FeatureStatistics.Strings?, length: FeatureStatistics.Numbers?
            switch kind {
            case .float64(let index), .float32(let index), .int64(let index), .int32(let index), .bool(let index), .timestamp(let index):
                number = numbers[index].moments.count > 0 ? numbers[index] : nil
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
