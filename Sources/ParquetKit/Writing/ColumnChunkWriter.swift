import ArrowKit

/// Encodes one Arrow column of a row group as a Parquet column chunk: a dictionary page for
/// strings where it pays, then data pages (v1) of about `pageSize` bytes each, every page
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

    /// Appends the chunk to `output`, whose end is at file offset `fileOffset`.
    func write(at fileOffset: Int, into output: inout [UInt8]) throws -> ColumnMetaData {
        let start = output.count
        var dictionaryOffset: Int64?
        var uncompressedTotal = 0
        var encodings: [Encoding] = [.plain, .rle]
        let dictionary = makeDictionary()
        if let (entries, _) = dictionary {
            dictionaryOffset = Int64(fileOffset + output.count - start)
            var plain: [UInt8] = []
            plain.reserveCapacity(entries.byteCount + 4 * entries.entries.count)
            leaf.withValueBytes { bytes in
                for entry in entries.entries {
                    appendLittleEndian(UInt32(entry.count), to: &plain)
                    plain.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[entry.start..<entry.start + entry.count]))
                }
            }
            uncompressedTotal += try writePage(plain, into: &output) { uncompressed, compressed in
                PageHeader(kind: .dictionaryPage, uncompressedSize: uncompressed, compressedSize: compressed,
                           dictionaryPage: DictionaryPageHeader(numValues: Int32(entries.entries.count), encoding: .plain))
            }
            encodings.append(.rleDictionary)
        }
        let dataOffset = Int64(fileOffset + output.count - start)
        var levelCount = 0
        for rows in pageRanges(dictionaryIndices: dictionary?.indices) {
            var body: [UInt8] = []
            let levels = appendLevels(rows, to: &body)
            levelCount += levels
            let encoding = appendValues(rows, dictionary: dictionary.map { ($0.indices, $0.dictionary.entries.count) }, to: &body)
            uncompressedTotal += try writePage(body, into: &output) { uncompressed, compressed in
                PageHeader(kind: .dataPage, uncompressedSize: uncompressed, compressedSize: compressed,
                           dataPage: DataPageHeader(numValues: Int32(levels), encoding: encoding, definitionLevelEncoding: .rle, repetitionLevelEncoding: .rle))
            }
        }
        var metadata = ColumnMetaData(
            type: WriterSchema.physicalType(field.type), encodings: encodings, pathInSchema: WriterSchema.path(field),
            codec: options.compression, numValues: Int64(levelCount), totalUncompressedSize: Int64(uncompressedTotal),
            totalCompressedSize: Int64(output.count - start), dataPageOffset: dataOffset,
            indexPageOffset: nil, dictionaryPageOffset: dictionaryOffset, statistics: nil)
        metadata.statistics = statistics()
        return metadata
    }

    // MARK: Pages

    /// Writes a page header and the compressed body; returns the page's uncompressed size
    /// (header included, as column metadata counts it).
    private func writePage(_ body: [UInt8], into output: inout [UInt8],
                           header: (Int32, Int32) -> PageHeader) throws -> Int {
        var compressed: [UInt8] = []
        try body.withUnsafeBytes { (bytes) throws in
            try Compression.compress(bytes, codec: options.compression, into: &compressed)
        }
        guard let uncompressedSize = Int32(exactly: body.count), let compressedSize = Int32(exactly: compressed.count) else {
            throw ParquetWriteError("column \(field.name): a page of \(body.count) bytes is larger than Parquet allows")
        }
        let headerBytes = header(uncompressedSize, compressedSize).encoded()
        output.append(contentsOf: headerBytes)
        output.append(contentsOf: compressed)
        return headerBytes.count + body.count
    }

    /// The row ranges of the data pages: as many as the chunk's values need at `pageSize`.
    private func pageRanges(dictionaryIndices: [Int32]?) -> [Range<Int>] {
        let rows = column.count
        guard rows > 0 else { return [] }
        let valueBytes: Int
        switch leafType {
        case .bool: valueBytes = leaf.count / 8
        case .string, .binary: valueBytes = dictionaryIndices != nil ? leaf.count * 2 : leaf.withValueBytes(\.count) + 4 * leaf.count
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
            let present = allValid ? Array(indices[slots]) : slots.filter(leaf.isValid).map { indices[$0] }
            body.append(UInt8(bitWidth))
            present.withUnsafeBufferPointer { RLEBitPackedHybrid.encode($0, bitWidth: bitWidth, into: &body) }
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
                for slot in slots where allValid || leaf.isValid(slot) {
                    let start = Int(leaf.offsets[slot]), end = Int(leaf.offsets[slot + 1])
                    appendLittleEndian(UInt32(end - start), to: &body)
                    body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                }
            default:
                let width = leafType == .int32 || leafType == .float32 ? 4 : 8
                if allValid {
                    body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[slots.lowerBound * width..<slots.upperBound * width]))
                } else {
                    for slot in slots where leaf.isValid(slot) {
                        body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[slot * width..<(slot + 1) * width]))
                    }
                }
            }
        }
        return .plain
    }

    // MARK: Dictionary

    /// For a string or binary column with dictionary encoding on: the distinct strings and each leaf
    /// slot's entry (-1 for a null), if the dictionary pays — at most half as many entries as
    /// values, and at most a page of bytes.
    private func makeDictionary() -> (dictionary: StringDictionary, indices: [Int32])? {
        guard options.dictionary, leafType.isVariableWidth, leaf.count > 0 else { return nil }
        let leaf = self.leaf
        let limit = max(1, leaf.count / 2)
        var dictionary = StringDictionary(expected: min(leaf.count, 1 << 16))
        var indices = [Int32](repeating: -1, count: leaf.count)
        let complete = leaf.withValueBytes { bytes -> Bool in
            for slot in 0..<leaf.count where leaf.isValid(slot) {
                let start = Int(leaf.offsets[slot])
                indices[slot] = dictionary.index(ofStringAt: start, count: Int(leaf.offsets[slot + 1]) - start, in: bytes)
                if dictionary.entries.count > limit || dictionary.byteCount > options.pageSize { return false }
            }
            return true
        }
        return complete ? (dictionary, indices) : nil
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
                let values = bytes.bindMemory(to: Int64.self)
                if let (low, high) = Self.range((0..<leaf.count).lazy.filter(valid).map { values[$0] }) {
                    statistics.minValue = Self.plain(low); statistics.maxValue = Self.plain(high)
                }
            case .int32:
                let values = bytes.bindMemory(to: Int32.self)
                if let (low, high) = Self.range((0..<leaf.count).lazy.filter(valid).map { values[$0] }) {
                    statistics.minValue = Self.plain(low); statistics.maxValue = Self.plain(high)
                }
            case .float64:
                let values = bytes.bindMemory(to: Double.self)
                if let (low, high) = Self.range((0..<leaf.count).lazy.filter(valid).map { values[$0] }.filter { !$0.isNaN }) {
                    // Zero is written as -0 for the least and +0 for the greatest, as the format asks.
                    statistics.minValue = Self.plain((low == 0 ? -0.0 : low).bitPattern)
                    statistics.maxValue = Self.plain((high == 0 ? 0.0 : high).bitPattern)
                }
            case .float32:
                let values = bytes.bindMemory(to: Float.self)
                if let (low, high) = Self.range((0..<leaf.count).lazy.filter(valid).map { values[$0] }.filter { !$0.isNaN }) {
                    statistics.minValue = Self.plain((low == 0 ? -Float(0) : low).bitPattern)
                    statistics.maxValue = Self.plain((high == 0 ? Float(0) : high).bitPattern)
                }
            case .bool:
                let flags = (0..<leaf.count).lazy.filter(valid).map { bytes[$0 >> 3] & (1 << UInt8($0 & 7)) != 0 ? UInt8(1) : 0 }
                if let (low, high) = Self.range(flags) { statistics.minValue = [low]; statistics.maxValue = [high] }
            case .string, .binary:
                var low: UnsafeRawBufferPointer?, high: UnsafeRawBufferPointer?
                for slot in 0..<leaf.count where valid(slot) {
                    let value = UnsafeRawBufferPointer(rebasing: bytes[Int(leaf.offsets[slot])..<Int(leaf.offsets[slot + 1])])
                    if low == nil || value.lexicographicallyPrecedes(low!) { low = value }
                    if high == nil || high!.lexicographicallyPrecedes(value) { high = value }
                }
                if let low, let high, low.count <= 256, high.count <= 256 { statistics.minValue = Array(low); statistics.maxValue = Array(high) }
            case .list:
                break
            }
        }
        return statistics
    }

    private static func range<S: Sequence>(_ values: S) -> (S.Element, S.Element)? where S.Element: Comparable {
        var iterator = values.makeIterator()
        guard let first = iterator.next() else { return nil }
        var low = first, high = first
        while let value = iterator.next() {
            if value < low { low = value }
            if value > high { high = value }
        }
        return (low, high)
    }

    private static func plain<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian, Array.init)
    }
}

func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
}
