import ArrowKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Encodes one Arrow column of a row group as a Parquet column chunk: a dictionary page where
/// it pays (any type but booleans, as pyarrow does), then data pages (v1) of about `pageSize` bytes each, every page
/// compressed with the file's codec; returns the chunk's metadata with its statistics.
///
/// A flat column's leaf is the column itself, with definition level 1 for a value and 0 for a
/// null. A list column's leaf is its element column: each row is one level (repetition 0,
/// definition 0 for a null list, 1 for an empty one) or one per element (repetition 0 for the
/// first and 1 after, definition 3).
struct ColumnChunkWriter {
    let column: ArrowColumn
    let field: ArrowField
    let options: ParquetWriteOptions

    private var isList: Bool {
        if case .list = column.type { return true }
        return false
    }

    /// The column (flat) or its elements (list): the values pages hold.
    private var leaf: ArrowColumn { column.elements ?? column }
    private var leafType: ArrowType { leaf.type }

    /// Buffers reused from page to page and chunk to chunk: a page's encoded body, and that
    /// body compressed.
    final class Buffers {
        var body: [UInt8] = []
        var compressed: [UInt8] = []
        /// The chunk's dictionary page, PLAIN-encoded, while it is built.
        var dictionary: [UInt8] = []
    }

    /// Writes the chunk through `emit`, from file offset `fileOffset`.
    func write(at fileOffset: Int, buffers: Buffers, emit: (UnsafeRawBufferPointer) throws -> Void) throws -> ColumnMetaData {
        var position = fileOffset
        var uncompressedTotal = 0
        let dictionary = makeDictionary(into: &buffers.dictionary)
        let indices = dictionary.map { ($0.indices, $0.count) }
        let pages = pageRanges(dictionaryIndices: dictionary?.indices)
        // A chunk whose first data page compresses by less than a tenth is stored uncompressed:
        // compressing the rest would cost time and save next to nothing (random floats).
        // (Dictionary-encoded chunks are not tried: their dictionary page comes first, and
        // strings compress.) The first page, encoded and compressed here, is written as it is.
        var codec = options.compression
        var firstPage: (levels: Int, encoding: Encoding)?
        if codec != .uncompressed, dictionary == nil, let first = pages.first {
            firstPage = encodePage(first, dictionary: nil, into: &buffers.body)
            buffers.compressed.removeAll(keepingCapacity: true)
            try buffers.body.withUnsafeBytes { try Compression.compress($0, codec: codec, into: &buffers.compressed) }
            if buffers.compressed.count * 10 > buffers.body.count * 9 { codec = .uncompressed }
        }
        /// Writes the page in `buffers.body`: its header, then the body as stored (compressed
        /// into `buffers.compressed` unless `compressed` says it already is).
        func writePage(compressed: Bool = false, _ header: (Int32, Int32) -> PageHeader) throws {
            if codec != .uncompressed && !compressed {
                buffers.compressed.removeAll(keepingCapacity: true)
                try buffers.body.withUnsafeBytes { try Compression.compress($0, codec: codec, into: &buffers.compressed) }
            }
            let stored = codec == .uncompressed ? buffers.body : buffers.compressed
            guard let uncompressedSize = Int32(exactly: buffers.body.count), let storedSize = Int32(exactly: stored.count) else {
                throw ParquetWriteError("column \(field.name): a page of \(buffers.body.count) bytes is larger than Parquet allows")
            }
            let headerBytes = header(uncompressedSize, storedSize).encoded()
            try headerBytes.withUnsafeBytes(emit)
            try stored.withUnsafeBytes(emit)
            position += headerBytes.count + stored.count
            uncompressedTotal += headerBytes.count + buffers.body.count
        }
        var dictionaryOffset: Int64?
        var encodings: [Encoding] = [.plain, .rle]
        if let dictionary {
            dictionaryOffset = Int64(position)
            swap(&buffers.body, &buffers.dictionary)
            try writePage { uncompressed, compressed in
                PageHeader(kind: .dictionaryPage, uncompressedSize: uncompressed, compressedSize: compressed,
                           dictionaryPage: DictionaryPageHeader(numValues: Int32(dictionary.count), encoding: .plain))
            }
            encodings.append(.rleDictionary)
        }
        let dataOffset = Int64(position)
        var levelCount = 0
        for (index, rows) in pages.enumerated() {
            let encoded = index == 0 ? firstPage : nil
            let page = encoded ?? encodePage(rows, dictionary: indices, into: &buffers.body)
            levelCount += page.levels
            try writePage(compressed: encoded != nil) { uncompressed, compressed in
                PageHeader(kind: .dataPage, uncompressedSize: uncompressed, compressedSize: compressed,
                           dataPage: DataPageHeader(numValues: Int32(page.levels), encoding: page.encoding,
                                                    definitionLevelEncoding: .rle, repetitionLevelEncoding: .rle))
            }
        }
        return ColumnMetaData(
            type: WriterSchema.physicalType(field.type), encodings: encodings, pathInSchema: WriterSchema.path(field),
            codec: codec, numValues: Int64(levelCount), totalUncompressedSize: Int64(uncompressedTotal),
            totalCompressedSize: Int64(position - fileOffset), dataPageOffset: dataOffset,
            indexPageOffset: nil, dictionaryPageOffset: dictionaryOffset, statistics: statistics())
    }

    /// Encodes the rows' levels and values as a data page's body; returns the page's level
    /// count and value encoding.
    private func encodePage(_ rows: Range<Int>, dictionary: (indices: [Int32], count: Int)?, into body: inout [UInt8]) -> (levels: Int, encoding: Encoding) {
        body.removeAll(keepingCapacity: true)
        let levels = appendLevels(rows, to: &body)
        return (levels, appendValues(rows, dictionary: dictionary, to: &body))
    }

    // MARK: Pages

    /// The row ranges of the data pages: as many as the chunk's values need at `pageSize`.
    private func pageRanges(dictionaryIndices: [Int32]?) -> [Range<Int>] {
        let rows = column.count
        guard rows > 0 else { return [] }
        let valueBytes: Int
        switch leafType {
        case .bool: valueBytes = leaf.count / 8
        case _ where dictionaryIndices != nil: valueBytes = leaf.count * 2
        case .string, .binary: valueBytes = leaf.withValueBytes(\.count) + 4 * leaf.count
        default: valueBytes = leaf.count * (leafType == .int32 || leafType == .float32 ? 4 : 8)
        }
        let pages = max(1, (valueBytes + options.pageSize - 1) / options.pageSize)
        let rowsPerPage = (rows + pages - 1) / pages
        return stride(from: 0, to: rows, by: rowsPerPage).map { $0..<min(rows, $0 + rowsPerPage) }
    }

    /// The leaf slots the rows `rows` cover.
    private func leafSlots(_ rows: Range<Int>) -> Range<Int> {
        isList ? Int(column.offsets[rows.lowerBound])..<Int(column.offsets[rows.upperBound]) : rows
    }

    // MARK: Levels

    /// Appends the rows' repetition levels (lists only) and definition levels, each RLE-encoded
    /// after its 4-byte length; returns how many levels each holds.
    private func appendLevels(_ rows: Range<Int>, to body: inout [UInt8]) -> Int {
        if !isList {
            if column.nullCount == 0 {
                // Every row defined: one run.
                var run: [UInt8] = []
                ULEB128.write(UInt64(rows.count) << 1, into: &run)
                run.append(1)
                appendSized(run, to: &body)
            } else {
                let levels = rows.map { column.isValid($0) ? UInt8(1) : 0 }
                appendEncoded(levels, bitWidth: 1, to: &body)
            }
            return rows.count
        }
        var repetition: [UInt8] = []
        var definition: [UInt8] = []
        for row in rows {
            let elements = Int(column.offsets[row + 1] - column.offsets[row])
            if !column.isValid(row) || elements == 0 {
                repetition.append(0)
                definition.append(column.isValid(row) ? 1 : 0)
            } else {
                repetition.append(0)
                repetition.append(contentsOf: repeatElement(1, count: elements - 1))
                definition.append(contentsOf: repeatElement(3, count: elements))
            }
        }
        appendEncoded(repetition, bitWidth: 1, to: &body)
        appendEncoded(definition, bitWidth: 2, to: &body)
        return definition.count
    }

    private func appendEncoded(_ levels: [UInt8], bitWidth: Int, to body: inout [UInt8]) {
        var encoded: [UInt8] = []
        levels.withUnsafeBufferPointer { RLEBitPackedHybrid.encode($0, bitWidth: bitWidth, into: &encoded) }
        appendSized(encoded, to: &body)
    }

    /// The bytes after their length, a 4-byte little-endian integer (data page v1's levels).
    private func appendSized(_ bytes: [UInt8], to body: inout [UInt8]) {
        appendLittleEndian(UInt32(bytes.count), to: &body)
        body.append(contentsOf: bytes)
    }

    // MARK: Values

    /// Appends the values of the rows' non-null leaf slots; returns their encoding.
    private func appendValues(_ rows: Range<Int>, dictionary: (indices: [Int32], count: Int)?, to body: inout [UInt8]) -> Encoding {
        let slots = leafSlots(rows)
        let leaf = self.leaf
        let allValid = leaf.nullCount == 0
        if let (indices, count) = dictionary {
            let bitWidth = max(1, Int.bitWidth - (count - 1).leadingZeroBitCount)
            body.append(UInt8(bitWidth))
            if allValid {
                indices.withUnsafeBufferPointer { RLEBitPackedHybrid.encode(UnsafeBufferPointer(rebasing: $0[slots]), bitWidth: bitWidth, into: &body) }
            } else {
                let present = slots.filter(leaf.isValid).map { indices[$0] }
                present.withUnsafeBufferPointer { RLEBitPackedHybrid.encode($0, bitWidth: bitWidth, into: &body) }
            }
            return .rleDictionary
        }
        leaf.withValueBytes { bytes in
            switch leafType {
            case .bool:
                var packed: UInt8 = 0
                var bit = 0
                for slot in slots where allValid || leaf.isValid(slot) {
                    if bytes[slot >> 3] & (1 << UInt8(slot & 7)) != 0 { packed |= 1 << UInt8(bit) }
                    bit += 1
                    if bit == 8 { body.append(packed); packed = 0; bit = 0 }
                }
                if bit > 0 { body.append(packed) }
            case .string, .binary:
                // Sized once (a length and the bytes per value), then filled in place.
                leaf.offsets.withUnsafeBufferPointer { offsets in
                    var size = 0
                    for slot in slots where allValid || leaf.isValid(slot) { size += 4 + Int(offsets[slot + 1] - offsets[slot]) }
                    var target = body.count
                    body.append(contentsOf: repeatElement(0, count: size))
                    body.withUnsafeMutableBytes { output in
                        for slot in slots where allValid || leaf.isValid(slot) {
                            let start = Int(offsets[slot]), length = Int(offsets[slot + 1]) - start
                            output.storeBytes(of: UInt32(length).littleEndian, toByteOffset: target, as: UInt32.self)
                            if length > 0 { (output.baseAddress! + target + 4).copyMemory(from: bytes.baseAddress! + start, byteCount: length) }
                            target += 4 + length
                        }
                    }
                }
            default:
                let width = leafType == .int32 || leafType == .float32 ? 4 : 8
                if allValid {
                    body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[slots.lowerBound * width..<slots.upperBound * width]))
                } else {
                    // Sized once, then filled in place: an append per value would cost more than the copy.
                    let start = body.count
                    let present = slots.reduce(0) { $0 + (leaf.isValid($1) ? 1 : 0) }
                    body.append(contentsOf: repeatElement(0, count: present * width))
                    body.withUnsafeMutableBytes { target in
                        var offset = start
                        for slot in slots where leaf.isValid(slot) {
                            if width == 8 {
                                target.storeBytes(of: bytes.load(fromByteOffset: slot * 8, as: UInt64.self), toByteOffset: offset, as: UInt64.self)
                            } else {
                                target.storeBytes(of: bytes.load(fromByteOffset: slot * 4, as: UInt32.self), toByteOffset: offset, as: UInt32.self)
                            }
                            offset += width
                        }
                    }
                }
            }
        }
        return .plain
    }

    // MARK: Dictionary

    /// A chunk's dictionary: how many entries, their PLAIN encoding (in `Buffers.dictionary`),
    /// and each leaf slot's entry (-1 for a null).
    struct Dictionary {
        let count: Int
        let indices: [Int32]
    }

    /// With dictionary encoding on, for any type but booleans: the chunk's distinct values, if
    /// the dictionary pays — at most half as many entries as values, at most a page of bytes.
    /// Building it stops at the first checkpoint (1,024 values, then each doubling) where more
    /// than half the values so far were new: mostly distinct values will not pay.
    private func makeDictionary(into plain: inout [UInt8]) -> Dictionary? {
        guard options.dictionary, leafType != .bool, leaf.count > 0 else { return nil }
        let leaf = self.leaf
        let limit = max(1, leaf.count / 2)
        var indices = [Int32](repeating: -1, count: leaf.count)
        plain.removeAll(keepingCapacity: true)
        var seen = 0
        var checkpoint = 1024
        /// Whether to go on, after a value whose entry is `entry` of `count`.
        func pays(_ count: Int, bytes: Int) -> Bool {
            if count > limit || bytes > options.pageSize { return false }
            seen += 1
            if seen == checkpoint {
                if count > seen / 2 { return false }
                checkpoint *= 2
            }
            return true
        }
        if leafType.isVariableWidth {
            var dictionary = StringDictionary(expected: min(leaf.count, 1 << 16))
            let complete = leaf.withValueBytes { bytes -> Bool in
                for slot in 0..<leaf.count where leaf.isValid(slot) {
                    let start = Int(leaf.offsets[slot])
                    indices[slot] = dictionary.index(ofStringAt: start, count: Int(leaf.offsets[slot + 1]) - start, in: bytes)
                    if !pays(dictionary.entries.count, bytes: dictionary.byteCount + 4 * dictionary.entries.count) { return false }
                }
                for entry in dictionary.entries {
                    appendLittleEndian(UInt32(entry.count), to: &plain)
                    plain.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[entry.start..<entry.start + entry.count]))
                }
                return true
            }
            return complete ? Dictionary(count: dictionary.entries.count, indices: indices) : nil
        }
        let width = leafType == .int32 || leafType == .float32 ? 4 : 8
        var dictionary = FixedWidthDictionary(expected: 1 << 12)
        let complete = leaf.withValueBytes { bytes -> Bool in
            indices.withUnsafeMutableBufferPointer { indices -> Bool in
                let allValid = leaf.nullCount == 0
                for slot in 0..<leaf.count where allValid || leaf.isValid(slot) {
                    let value = width == 8 ? bytes.load(fromByteOffset: slot * 8, as: UInt64.self) : UInt64(bytes.load(fromByteOffset: slot * 4, as: UInt32.self))
                    indices[slot] = dictionary.index(of: value)
                    if !pays(dictionary.count, bytes: width * dictionary.count) { return false }
                }
                return true
            }
        }
        guard complete else { return nil }
        for entry in dictionary.entries {
            if width == 8 { appendLittleEndian(entry, to: &plain) } else { appendLittleEndian(UInt32(truncatingIfNeeded: entry), to: &plain) }
        }
        return Dictionary(count: dictionary.count, indices: indices)
    }

    // MARK: Statistics

    /// The null count, and the least and greatest values in the type's order, plain-encoded
    /// (NaN ignored; strings compared as unsigned bytes, left out past 256 bytes).
    private func statistics() -> Statistics {
        var statistics = Statistics()
        let leaf = self.leaf
        statistics.nullCount = Int64(isList ? (0..<column.count).filter { !column.isValid($0) }.count : column.nullCount)
        let valid = { (slot: Int) in leaf.nullCount == 0 || leaf.isValid(slot) }
        leaf.withValueBytes { bytes in
            switch leafType {
            case .int64, .timestampMicrosecondsUTC:
                if let (low, high) = Self.range(bytes.bindMemory(to: Int64.self), leaf, ignoring: { _ in false }) {
                    statistics.minValue = Self.plain(low); statistics.maxValue = Self.plain(high)
                }
            case .int32:
                if let (low, high) = Self.range(bytes.bindMemory(to: Int32.self), leaf, ignoring: { _ in false }) {
                    statistics.minValue = Self.plain(low); statistics.maxValue = Self.plain(high)
                }
            case .float64:
                if let (low, high) = Self.range(bytes.bindMemory(to: Double.self), leaf, ignoring: \.isNaN) {
                    // Zero is written as -0 for the least and +0 for the greatest, as the format asks.
                    statistics.minValue = Self.plain((low == 0 ? -0.0 : low).bitPattern)
                    statistics.maxValue = Self.plain((high == 0 ? 0.0 : high).bitPattern)
                }
            case .float32:
                if let (low, high) = Self.range(bytes.bindMemory(to: Float.self), leaf, ignoring: \.isNaN) {
                    statistics.minValue = Self.plain((low == 0 ? -Float(0) : low).bitPattern)
                    statistics.maxValue = Self.plain((high == 0 ? Float(0) : high).bitPattern)
                }
            case .bool:
                var seen: (false: Bool, true: Bool) = (false, false)
                for slot in 0..<leaf.count where valid(slot) {
                    if bytes[slot >> 3] & (1 << UInt8(slot & 7)) != 0 { seen.true = true } else { seen.false = true }
                }
                if seen.false || seen.true { statistics.minValue = [seen.false ? 0 : 1]; statistics.maxValue = [seen.true ? 1 : 0] }
            case .string, .binary:
                var low: UnsafeRawBufferPointer?, high: UnsafeRawBufferPointer?
                leaf.offsets.withUnsafeBufferPointer { offsets in
                    for slot in 0..<leaf.count where valid(slot) {
                        let value = UnsafeRawBufferPointer(rebasing: bytes[Int(offsets[slot])..<Int(offsets[slot + 1])])
                        if low == nil || Self.precedes(value, low!) { low = value }
                        if high == nil || Self.precedes(high!, value) { high = value }
                    }
                }
                if let low, let high, low.count <= 256, high.count <= 256 { statistics.minValue = Array(low); statistics.maxValue = Array(high) }
            case .list:
                break
            }
        }
        return statistics
    }

    /// The least and greatest of the column's non-null values, leaving out `ignored` ones (NaN).
    private static func range<T: Comparable>(_ values: UnsafeBufferPointer<T>, _ column: ArrowColumn, ignoring ignored: (T) -> Bool) -> (T, T)? {
        let allValid = column.nullCount == 0
        var slot = 0
        while slot < column.count && (!(allValid || column.isValid(slot)) || ignored(values[slot])) { slot += 1 }
        guard slot < column.count else { return nil }
        var low = values[slot], high = values[slot]
        for slot in slot + 1..<column.count where allValid || column.isValid(slot) {
            let value = values[slot]
            if ignored(value) { continue }
            if value < low { low = value }
            if value > high { high = value }
        }
        return (low, high)
    }

    /// Unsigned byte order, as Parquet orders strings.
    private static func precedes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let common = min(a.count, b.count)
        let order = common == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, common)
        return order != 0 ? order < 0 : a.count < b.count
    }

    private static func plain<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian, Array.init)
    }
}

func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
}
