// What every struct decoder of ParquetKit does the same way: read the fields of a struct,
// check a field's type, and name a required field that is missing.

/// Reads a struct's fields: `field` is called with each field's header and must read its value
/// (or leave it to be skipped by returning false).
func readStruct(
    _ reader: inout CompactReader, _ name: String,
    _ field: (inout CompactReader, CompactReader.FieldHeader) throws(ThriftError) -> Bool
) throws(ThriftError) {
    try reader.beginStruct()
    while let header = try reader.readFieldHeader() {
        if try !field(&reader, header) { try reader.skip(header.type) }
    }
    reader.endStruct()
}

func missing(_ field: String, of name: String, _ reader: borrowing CompactReader) -> ThriftError {
    ThriftError(offset: reader.offset, reason: "\(name) has no \(field)")
}

/// Checks a field's type before its value is read: a field of an unexpected type is a file
/// this reader does not understand, not one to guess at.
func expect(_ header: CompactReader.FieldHeader, _ type: CompactReader.FieldType, _ name: String,
                    _ reader: borrowing CompactReader) throws(ThriftError) {
    let matches = header.type == type || (type == .boolTrue && header.type == .boolFalse)
    guard matches else { throw ThriftError(offset: reader.offset, reason: "field \(header.id) of \(name) is \(header.type), not \(type)") }
}
