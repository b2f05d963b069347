import ArrowKit

/// How each Arrow type is stored in a Parquet file this writer writes, as pyarrow stores it:
/// every column optional; strings as UTF-8 byte arrays; timestamps as INT64 microseconds
/// adjusted to UTC; lists in the three-level form (`optional group (LIST)` › `repeated group
/// list` › `optional element`).
enum WriterSchema {
    /// The schema's elements, depth first from the root.
    static func elements(_ fields: [ArrowField]) -> [SchemaElement] {
        var elements = [SchemaElement(name: "schema", numChildren: Int32(fields.count))]
        for field in fields {
            if case .list(let element) = field.type {
                elements.append(SchemaElement(repetition: .optional, name: field.name, numChildren: 1, convertedType: .list, logicalType: .list))
                elements.append(SchemaElement(repetition: .repeated, name: "list", numChildren: 1))
                elements.append(leaf("element", element))
            } else {
                elements.append(leaf(field.name, field.type))
            }
        }
        return elements
    }

    /// The column's path from the root, as column metadata names it.
    static func path(_ field: ArrowField) -> [String] {
        if case .list = field.type { return [field.name, "list", "element"] }
        return [field.name]
    }

    static func physicalType(_ type: ArrowType) -> PhysicalType {
        switch type {
        case .int32: .int32
        case .int64, .timestampMicrosecondsUTC: .int64
        case .float32: .float
        case .float64: .double
        case .bool: .boolean
        case .string, .binary: .byteArray
        case .list(let element): physicalType(element)
        }
    }

    private static func leaf(_ name: String, _ type: ArrowType) -> SchemaElement {
        var element = SchemaElement(type: physicalType(type), repetition: .optional, name: name)
        switch type {
        case .string:
            element.convertedType = .utf8
            element.logicalType = .string
        case .timestampMicrosecondsUTC:
            element.convertedType = .timestampMicros
            element.logicalType = .timestamp(isAdjustedToUTC: true, unit: .micros)
        default: break
        }
        return element
    }
}

extension SchemaElement {
    init(type: PhysicalType? = nil, repetition: Repetition? = nil, name: String, numChildren: Int32? = nil,
         convertedType: ConvertedType? = nil, logicalType: LogicalType? = nil) {
        self.init(type: type, typeLength: nil, repetition: repetition, name: name, numChildren: numChildren,
                  convertedType: convertedType, scale: nil, precision: nil, logicalType: logicalType)
    }
}
