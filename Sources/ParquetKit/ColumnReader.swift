extension ParquetFile {
    /// A page claiming more values than this is refused: writers put thousands to a million in
    /// a page, and a damaged header must not make the reader reserve gigabytes.
    public static let maximumPageValues = 1 << 26

    /// Decodes a whole column chunk: its levels and its values — PLAIN, through its dictionary,
    /// RLE (booleans), DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY or
    /// BYTE_STREAM_SPLIT. An encoding that does not fit the column's type is refused by name.
    public func readColumn(rowGroup: Int, column: Int) throws -> ColumnData {
        guard columns.indices.contains(column) else {
            throw ParquetError(file: path, reason: "there is no column \(column) (the schema has \(columns.count))")
        }
        let descriptor = columns[column]
        let place = "row group \(rowGroup), column \(descriptor.path.joined(separator: "."))"
        func failure(_ reason: String) -> ParquetError { ParquetError(file: path, reason: "\(place): \(reason)") }

        var data = ColumnData(values: .empty(descriptor.type))
        // Room for the whole chunk up front: growing as pages come would copy it again and again.
        let groups = metadata.rowGroups
        let chunk = groups.indices.contains(rowGroup) && groups[rowGroup].columns.indices.contains(column) ? groups[rowGroup].columns[column].metaData : nil
        let announced = Int(max(0, min(chunk?.numValues ?? 0, Int64(Self.maximumPageValues))))
        data.values.reserve(announced)
        if descriptor.maxDefinitionLevel > 0 { data.definitionLevels.reserveCapacity(announced) }
        if descriptor.maxRepetitionLevel > 0 { data.repetitionLevels.reserveCapacity(announced) }
        var dictionary: ColumnValues?
        var indices: [UInt32] = []
        let typeLength = Int(descriptor.element.typeLength ?? 0)
        try forEachPage(rowGroup: rowGroup, column: column) { header, page in
            if let dictionaryPage = header.dictionaryPage {
                guard dictionary == nil else { throw failure("it has a second dictionary page") }
                guard dictionaryPage.encoding == .plain || dictionaryPage.encoding == .plainDictionary else {
                    throw failure("its dictionary page is encoded \(dictionaryPage.encoding), not PLAIN")
                }
                guard Int(dictionaryPage.numValues) <= Self.maximumPageValues else { throw failure("its dictionary of \(dictionaryPage.numValues) values is too large") }
                var entries = ColumnValues.empty(descriptor.type)
                if let problem = PlainDecoding.decode(page, type: descriptor.type, typeLength: typeLength, count: Int(dictionaryPage.numValues), into: &entries) {
                    throw failure("its dictionary page: " + problem)
                }
                dictionary = entries
                return
            }
            let valueCount = Int(header.valueCount)
            guard valueCount <= Self.maximumPageValues else { throw failure("a page of \(valueCount) values is more than this reader accepts") }
            var rest = page
            // Values in the page: all of them, unless definition levels say some are null.
            var present = valueCount
            // Levels: v1 pages prefix each with its length; v2 headers give the lengths.
            for (maximum, isRepetition) in [(descriptor.maxRepetitionLevel, true), (descriptor.maxDefinitionLevel, false)] where maximum > 0 {
                let length: Int
                if let v2 = header.dataPageV2 {
                    length = Int(isRepetition ? v2.repetitionLevelsByteLength : v2.definitionLevelsByteLength)
                } else {
                    let encoding = isRepetition ? header.dataPage!.repetitionLevelEncoding : header.dataPage!.definitionLevelEncoding
                    guard encoding == .rle else { throw failure("its levels are encoded \(encoding), not RLE") }
                    guard rest.count >= 4 else { throw failure("a page ends before its levels' length") }
                    length = Int(UInt32(littleEndian: rest.loadUnaligned(as: UInt32.self)))
                    rest = UnsafeRawBufferPointer(rebasing: rest[4...])
                }
                guard length <= rest.count else { throw failure("a page's levels (\(length) bytes) run past the page") }
                let width = Int.bitWidth - maximum.leadingZeroBitCount
                let levels = UnsafeRawBufferPointer(rebasing: rest[..<length])
                var decoded = isRepetition ? data.repetitionLevels : data.definitionLevels
                let before = decoded.count
                // The struct lets go of the array while it grows, so that appending does not copy it.
                if isRepetition { data.repetitionLevels = [] } else { data.definitionLevels = [] }
                if let problem = RLEBitPackedHybrid.decode(levels, bitWidth: width, count: valueCount, into: &decoded) {
                    throw failure("a page's \(isRepetition ? "repetition" : "definition") levels: " + problem)
                }
                // One pass: the highest level, and how many values the page holds (definition
                // levels at the maximum).
                let (high, top) = decoded.withUnsafeBufferPointer { levels -> (UInt32, Int) in
                    var high: UInt32 = 0
                    var top = 0
                    for level in UnsafeBufferPointer(rebasing: levels[before...]) {
                        high = Swift.max(high, level)
                        top &+= level == UInt32(maximum) ? 1 : 0
                    }
                    return (high, top)
                }
                if !isRepetition { present = top }
                if high > maximum {
                    throw failure("a page has a level of \(high), above the column's maximum of \(maximum)")
                }
                if isRepetition { data.repetitionLevels = decoded } else { data.definitionLevels = decoded }
                rest = UnsafeRawBufferPointer(rebasing: rest[length...])
            }
            let encoding = header.dataPage?.encoding ?? header.dataPageV2!.encoding
            switch encoding {
            case .plain:
                if let problem = PlainDecoding.decode(rest, type: descriptor.type, typeLength: typeLength, count: present, into: &data.values) {
                    throw failure("a page's values: " + problem)
                }
            case .plainDictionary, .rleDictionary:
                guard let dictionary else { throw failure("a page refers to a dictionary the column chunk does not have") }
                guard present > 0 else { return }
                guard let width = rest.first else { throw failure("a dictionary-encoded page has no bit width") }
                indices.removeAll(keepingCapacity: true)
                if let problem = RLEBitPackedHybrid.decode(UnsafeRawBufferPointer(rebasing: rest[1...]), bitWidth: Int(width), count: present, into: &indices) {
                    throw failure("a page's dictionary indices: " + problem)
                }
                if let problem = Self.gather(indices, from: dictionary, into: &data.values) { throw failure(problem) }
            case .rle where descriptor.type == .boolean:
                // Booleans as 1-bit runs, after a 4-byte length (what v2 pages use).
                guard rest.count >= 4 else { throw failure("a page of RLE booleans has no length") }
                let length = Int(UInt32(littleEndian: rest.loadUnaligned(as: UInt32.self)))
                guard length <= rest.count - 4 else { throw failure("a page's RLE booleans (\(length) bytes) run past the page") }
                indices.removeAll(keepingCapacity: true)
                if let problem = RLEBitPackedHybrid.decode(UnsafeRawBufferPointer(rebasing: rest[4..<4 + length]), bitWidth: 1, count: present, into: &indices) {
                    throw failure("a page's RLE booleans: " + problem)
                }
                guard case .boolean(var flags) = data.values else { throw failure("a boolean column holds other values") }
                data.values = .boolean([])
                flags.append(contentsOf: indices.lazy.map { $0 == 1 })
                data.values = .boolean(flags)
            case .deltaBinaryPacked where descriptor.type == .int32 || descriptor.type == .int64:
                switch DeltaEncodings.binaryPacked(rest, count: present) {
                case .failure(let error): throw failure("a page's values: \(error)")
                case .success(let decoded):
                    if case .int64(var array) = data.values {
                        data.values = .int64([])
                        array.append(contentsOf: decoded.values)
                        data.values = .int64(array)
                    } else if case .int32(var array) = data.values {
                        data.values = .int32([])
                        array.append(contentsOf: decoded.values.lazy.map { Int32(truncatingIfNeeded: $0) })
                        data.values = .int32(array)
                    }
                }
            case .deltaLengthByteArray where descriptor.type == .byteArray, .deltaByteArray where descriptor.type != .boolean:
                let decoded = encoding == .deltaByteArray
                    ? DeltaEncodings.byteArray(rest, count: present)
                    : DeltaEncodings.lengthByteArray(rest, count: present).map(\.values)
                switch decoded {
                case .failure(let error): throw failure("a page's values: \(error)")
                case .success(let arrays):
                    guard case .bytes(var all) = data.values else {
                        throw failure("its values are encoded \(encoding), which a \(descriptor.type) column cannot be")
                    }
                    data.values = .bytes(ByteArrays())
                    for index in 0..<arrays.count { all.append(contentsOf: arrays, index: index) }
                    data.values = .bytes(all)
                }
            case .byteStreamSplit where descriptor.type != .boolean && descriptor.type != .byteArray:
                let width = [PhysicalType.int32: 4, .int64: 8, .float: 4, .double: 8, .int96: 12][descriptor.type] ?? typeLength
                guard let plain = ByteStreamSplit.join(rest, width: width, count: present) else {
                    throw failure("its BYTE_STREAM_SPLIT values need \(present * width) bytes, the page has \(rest.count)")
                }
                let problem = plain.withUnsafeBytes {
                    PlainDecoding.decode($0, type: descriptor.type, typeLength: typeLength, count: present, into: &data.values)
                }
                if let problem { throw failure("a page's values: " + problem) }
            default:
                throw failure("its values are encoded \(encoding), which this reader does not decode for a \(descriptor.type) column")
            }
        }
        return data
    }

    /// Appends the dictionary entries `indices` point at.
    private static func gather(_ indices: [UInt32], from dictionary: ColumnValues, into values: inout ColumnValues) -> String? {
        guard let largest = indices.max(), Int(largest) < dictionary.count else {
            return indices.isEmpty ? nil : "a dictionary index is past the dictionary's \(dictionary.count) entries"
        }
        // Every index is below the dictionary's count (checked above): unchecked reads.
        func look<T>(_ entries: [T], into array: inout [T]) {
            array.reserveCapacity(array.count + indices.count)
            entries.withUnsafeBufferPointer { entries in
                for index in indices { array.append(entries[Int(index)]) }
            }
        }
        // The switch is on `values` alone, which is emptied before the append: a tuple of the
        // two would keep a second reference to the array, and every append would copy it whole.
        switch values {
        case .boolean(var array):
            guard case .boolean(let entries) = dictionary else { break }
            values = .boolean([]); look(entries, into: &array); values = .boolean(array); return nil
        case .int32(var array):
            guard case .int32(let entries) = dictionary else { break }
            values = .int32([]); look(entries, into: &array); values = .int32(array); return nil
        case .int64(var array):
            guard case .int64(let entries) = dictionary else { break }
            values = .int64([]); look(entries, into: &array); values = .int64(array); return nil
        case .int96(var array):
            guard case .int96(let entries) = dictionary else { break }
            values = .int96([]); look(entries, into: &array); values = .int96(array); return nil
        case .float(var array):
            guard case .float(let entries) = dictionary else { break }
            values = .float([]); look(entries, into: &array); values = .float(array); return nil
        case .double(var array):
            guard case .double(let entries) = dictionary else { break }
            values = .double([]); look(entries, into: &array); values = .double(array); return nil
        case .bytes(var arrays):
            guard case .bytes(let entries) = dictionary else { break }
            values = .bytes(ByteArrays())
            for index in indices { arrays.append(contentsOf: entries, index: Int(index)) }
            values = .bytes(arrays)
            return nil
        }
        return "the dictionary's type differs from the column's"
    }
}
