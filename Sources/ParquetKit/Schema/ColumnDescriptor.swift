/// A leaf column of the schema: its path from the root and the levels its values carry.
public struct ColumnDescriptor: Sendable {
    /// Names from the root's child down to the leaf, as in `ColumnMetaData.pathInSchema`.
    public var path: [String]
    public var element: SchemaElement
    /// How many optional or repeated nodes the path crosses: a value is present when its
    /// definition level reaches this.
    public var maxDefinitionLevel: Int
    /// How many repeated nodes the path crosses (0: one value per row).
    public var maxRepetitionLevel: Int
    /// The top-level field the column belongs to (its path's first name), and its element.
    public var field: SchemaElement

    public var type: PhysicalType { element.type ?? .boolean }
}

extension FileMetaData {
    /// The leaf columns in schema order (the order of a row group's column chunks), or why the
    /// flattened schema is not a well-formed tree.
    public func columnDescriptors() throws(ParquetSchemaError) -> [ColumnDescriptor] {
        guard let root = schema.first else { throw ParquetSchemaError(reason: "the schema is empty") }
        var columns: [ColumnDescriptor] = []
        var position = 1
        // Walks the children of the node whose path, levels and top-level field are given.
        func walk(children: Int, path: [String], definition: Int, repetition: Int, field: SchemaElement?, depth: Int) throws(ParquetSchemaError) {
            guard depth < 64 else { throw ParquetSchemaError(reason: "the schema nests deeper than 64 levels") }
            for _ in 0..<children {
                guard position < schema.count else {
                    throw ParquetSchemaError(reason: "the schema announces more children than it has elements")
                }
                let element = schema[position]
                position += 1
                let repetitionType = element.repetition ?? .required
                let childDefinition = definition + (repetitionType == .required ? 0 : 1)
                let childRepetition = repetition + (repetitionType == .repeated ? 1 : 0)
                let top = field ?? element
                let count = Int(element.numChildren ?? 0)
                if count > 0 {
                    try walk(children: count, path: path + [element.name], definition: childDefinition, repetition: childRepetition,
                             field: top, depth: depth + 1)
                } else {
                    guard element.type != nil else {
                        throw ParquetSchemaError(reason: "column \((path + [element.name]).joined(separator: ".")) has no physical type")
                    }
                    columns.append(ColumnDescriptor(path: path + [element.name], element: element, maxDefinitionLevel: childDefinition,
                                                    maxRepetitionLevel: childRepetition, field: top))
                }
            }
        }
        let rootChildren = Int(root.numChildren ?? 0)
        guard rootChildren >= 0, rootChildren < schema.count else {
            throw ParquetSchemaError(reason: "the schema's root announces \(rootChildren) children for \(schema.count - 1) elements")
        }
        try walk(children: rootChildren, path: [], definition: 0, repetition: 0, field: nil, depth: 0)
        guard position == schema.count else { throw ParquetSchemaError(reason: "the schema has elements outside its tree") }
        return columns
    }
}

public struct ParquetSchemaError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}
