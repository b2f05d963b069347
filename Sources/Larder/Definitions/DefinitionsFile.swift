import Foundation
import Yams

// The YAML definitions file (format: Docs/Definitions.md).
//
// The file is read by walking Yams' node tree by hand rather than through `Decodable`, because a
// person fixing a file needs the exact place of each mistake: the key path (`views[0].ttl`) and the
// line and column. Decoding errors cannot give the line, and would accept misspelled optional keys
// silently. This layer checks only syntax, structure and values; whether the definitions make
// sense together (known entities, unique names) is `Definitions.validate()`'s job.

extension Definitions {
    /// Parses a YAML definitions document. `file` is used only in error messages.
    public init(yaml: String, file: String = "<string>") throws(DefinitionsFileError) {
        let root: Yams.Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw DefinitionsFileError(yamlError: error, yaml: yaml, file: file)
        }
        self = try DefinitionsFileReader(file: file).definitions(from: root)
    }

    /// Reads and parses a YAML definitions file.
    public init(contentsOfFile path: String) throws(DefinitionsFileError) {
        func failure(_ message: String) -> DefinitionsFileError {
            DefinitionsFileError(file: path, line: nil, column: nil, keyPath: "", message: message)
        }
        var isDirectory: ObjCBool = false
        // "No such file" is by far the common case; say it plainly rather than in Foundation's words.
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw failure("no such file") }
        guard !isDirectory.boolValue else { throw failure("is a directory; give the definitions file in it (features.yaml)") }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw failure("cannot read the file: \((error as NSError).localizedFailureReason ?? error.localizedDescription)")
        }
        guard let yaml = String(validating: data, as: UTF8.self) else {
            let offset = data.withUnsafeBytes { $0.firstInvalidUTF8Offset } ?? 0
            throw failure("not UTF-8 text: the byte at offset \(offset) (0x\(String(data[data.startIndex + offset], radix: 16))) is not valid UTF-8")
        }
        try self.init(yaml: yaml, file: path)
    }
}

/// A definitions file that cannot be read, with the place of the mistake.
public struct DefinitionsFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    /// 1-based; `nil` when unknown (the file could not be read).
    public let line: Int?
    /// 1-based, counted in Unicode scalars as libyaml does; `nil` when unknown.
    public let column: Int?
    /// Where in the document: `views[0].features[2].type`; empty for the document as a whole.
    public let keyPath: String
    public let message: String

    /// `features.yaml:14:11: views[0].features[2].type: unknown value type 'float'; …`, the shape
    /// compilers use, so editors and terminals can jump to the place.
    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return keyPath.isEmpty ? "\(location): \(message)" : "\(location): \(keyPath): \(message)"
    }
}

extension DefinitionsFileError {
    /// Translates what Yams throws for malformed YAML, keeping its position when it has one.
    init(yamlError error: any Error, yaml: String, file: String) {
        func make(_ mark: (line: Int, column: Int)?, _ message: String) -> DefinitionsFileError {
            DefinitionsFileError(file: file, line: mark?.line, column: mark?.column, keyPath: "", message: message)
        }
        switch error as? YamlError {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            self = make((mark.line, mark.column), "invalid YAML: " + Self.phrase(problem, context))
        case .reader(let problem, let offset, _, _):
            self = make(offset.flatMap { Self.mark(atCharacterOffset: $0, in: yaml) }, "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            self = make((context.mark.line, context.mark.column), "duplicate key \(keys) in one mapping")
        default:
            self = make(nil, "invalid YAML: \(error)")
        }
    }

    /// libyaml's problem with its context: "did not find expected key (while parsing a block
    /// mapping at line 3)". A few problems continue their context ("expected a single document…,
    /// but found another document") and read better after it.
    private static func phrase(_ problem: String, _ context: YamlError.Context?) -> String {
        guard let context else { return problem }
        if problem.hasPrefix("but ") { return "\(context.text), \(problem)" }
        return "\(problem) (\(context.text) at line \(context.mark.line))"
    }

    /// Yams reports reader errors (bad encoding, control characters) as a character offset.
    private static func mark(atCharacterOffset offset: Int, in text: String) -> (line: Int, column: Int)? {
        guard let end = text.index(text.startIndex, offsetBy: offset, limitedBy: text.endIndex) else { return nil }
        let before = text[..<end]
        let line = before.reduce(1) { $1.isNewline ? $0 + 1 : $0 }
        let lineStart = before.lastIndex(where: \.isNewline).map { before.index(after: $0) } ?? before.startIndex
        return (line, before[lineStart...].unicodeScalars.count + 1)
    }
}

// MARK: - The sections

/// Turns the node tree into model values, one section reader per kind of object.
private struct DefinitionsFileReader {
    let file: String

    func definitions(from root: Yams.Node?) throws(DefinitionsFileError) -> Definitions {
        // An empty file (or one with only comments) declares nothing, which is not a mistake.
        guard let root else { return Definitions() }
        let document = YAMLNode(node: root, keyPath: "", file: file)
        try checkTags(root)
        if document.isNull { return Definitions() }

        let sections = try document.mapping(allowing: ["entities", "sources", "views", "services"])
        return Definitions(
            entities: try sections.optional("entities")?.list(of: entity) ?? [],
            sources: try sections.optional("sources")?.list(of: source) ?? [],
            views: try sections.optional("views")?.list(of: view) ?? [],
            services: try sections.optional("services")?.list(of: service) ?? []
        )
    }

    /// Refuses tags other than YAML's own (`!!str`, …): `ttl: !secret 1d` must not quietly
    /// read as `1d`.
    private func checkTags(_ node: Yams.Node) throws(DefinitionsFileError) {
        let name = node.tag.rawValue
        if !name.hasPrefix("tag:yaml.org,2002:"), name != "?", name != "!" {
            throw DefinitionsFileError(file: file, line: node.mark?.line, column: node.mark?.column, keyPath: "",
                                       message: "unknown YAML tag '\(printable(name))'; definitions use plain values")
        }
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                try checkTags(key)
                try checkTags(value)
            }
        case .sequence(let sequence):
            for element in sequence { try checkTags(element) }
        case .scalar, .alias: break
        }
    }

    func entity(_ node: YAMLNode) throws(DefinitionsFileError) -> Entity {
        let keys = try node.mapping(allowing: ["name", "join_key", "type", "description", "tags"])
        return Entity(
            try keys.required("name").text(),
            joinKey: try keys.required("join_key").text(),
            type: try keys.optional("type").map(entityKeyType) ?? .int64,
            description: try keys.optional("description")?.text() ?? "",
            tags: try keys.optional("tags")?.textMap() ?? [:]
        )
    }

    private func entityKeyType(_ node: YAMLNode) throws(DefinitionsFileError) -> Entity.KeyType {
        let text = try node.text()
        guard let type = Entity.KeyType(rawValue: text) else {
            throw node.error("unknown join key type '\(text)'; expected int64 or string")
        }
        return type
    }

    func source(_ node: YAMLNode) throws(DefinitionsFileError) -> Source {
        let keys = try node.mapping(allowing: [
            "name", "csv", "jsonl", "parquet", "push", "delimiter", "timestamp_format", "timezone", "column_mapping", "description",
        ])
        return Source(
            try keys.required("name").text(),
            kind: try sourceKind(keys),
            columnMapping: try keys.optional("column_mapping")?.textMap() ?? [:],
            timestampFormat: try timestampFormat(keys),
            description: try keys.optional("description")?.text() ?? ""
        )
    }

    /// Exactly one of `csv: PATH`, `jsonl: PATH`, `parquet: PATH`, `push: true`, plus the
    /// delimiter for CSV.
    private func sourceKind(_ keys: YAMLMapping) throws(DefinitionsFileError) -> Source.Kind {
        let inputs = keys.presentKeys(among: ["csv", "jsonl", "parquet", "push"])
        guard let input = inputs.first else {
            throw keys.node.error("missing the input: give exactly one of csv: PATH, jsonl: PATH, parquet: PATH or push: true")
        }
        if inputs.count > 1, let second = keys.optional(inputs[1]) {
            throw second.error("a source takes exactly one of csv, jsonl, parquet and push; this one already has \(input)")
        }
        let delimiter = keys.optional("delimiter")
        if let delimiter, input != "csv" {
            throw delimiter.error("delimiter applies only to csv sources")
        }

        let value = try keys.required(input)
        func path() throws(DefinitionsFileError) -> String {
            let text = try value.text()
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw value.error("the \(input) path is empty") }
            return text
        }
        switch input {
        case "csv":
            return .csv(path: try path(), delimiter: try delimiter.map(singleCharacter) ?? ",")
        case "jsonl":
            return .jsonLines(path: try path())
        case "parquet":
            return .parquet(path: try path())
        default:
            guard try value.bool() else {
                throw value.error("push: false names no input; use push: true, csv: PATH, jsonl: PATH or parquet: PATH")
            }
            return .push
        }
    }

    private func singleCharacter(_ node: YAMLNode) throws(DefinitionsFileError) -> Character {
        let text = try node.text()
        guard text.count == 1, let character = text.first else {
            throw node.error("the delimiter must be one character, found '\(text)' (write a tab as \"\\t\")")
        }
        return character
    }

    private static let timestampFormats: [(name: String, format: TimestampFormat)] = [
        ("iso8601", .iso8601), ("epoch_seconds", .epochSeconds),
        ("epoch_millis", .epochMilliseconds), ("epoch_micros", .epochMicroseconds),
    ]

    /// `timestamp_format`, refined by `timezone` for ISO-8601 timestamps written without a zone.
    private func timestampFormat(_ keys: YAMLMapping) throws(DefinitionsFileError) -> TimestampFormat {
        var format = TimestampFormat.iso8601
        if let node = keys.optional("timestamp_format") {
            let text = try node.text()
            guard let known = Self.timestampFormats.first(where: { $0.name == text }) else {
                let names = Self.timestampFormats.map(\.name).joined(separator: ", ")
                throw node.error("unknown timestamp format '\(text)'; expected one of \(names)")
            }
            format = known.format
        }
        guard let timezone = keys.optional("timezone") else { return format }
        guard format == .iso8601 else {
            throw timezone.error("timezone applies only to timestamp_format iso8601 (epoch timestamps have no zone)")
        }
        let text = try timezone.text()
        guard let seconds = utcOffsetSeconds(fromTimezone: text) else {
            throw timezone.error("invalid timezone '\(text)'; expected UTC, Z, +HH:MM or -HH:MM")
        }
        return .iso8601AssumingOffset(seconds: seconds)
    }

    func view(_ node: YAMLNode) throws(DefinitionsFileError) -> FeatureView {
        let keys = try node.mapping(allowing: [
            "name", "entities", "source", "timestamp_field", "created_timestamp_field", "ttl",
            "online", "owner", "description", "tags", "features", "monitoring",
        ])
        var view = FeatureView(
            try keys.required("name").text(),
            entityNames: try keys.required("entities").textList(),
            sourceName: try keys.required("source").text(),
            features: try keys.required("features").list(of: field),
            ttl: try keys.optional("ttl").map(duration) ?? .zero,
            timestampColumn: try keys.optional("timestamp_field")?.text() ?? "event_timestamp",
            createdTimestampColumn: try keys.optional("created_timestamp_field")?.text()
        )
        view.online = try keys.optional("online")?.bool() ?? true
        view.owner = try keys.optional("owner")?.text() ?? ""
        view.description = try keys.optional("description")?.text() ?? ""
        view.tags = try keys.optional("tags")?.textMap() ?? [:]
        if let node = keys.optional("monitoring") {
            let monitoring = try monitoring(node)
            view.monitoring = monitoring.isEmpty ? nil : monitoring
        }
        return view
    }

    /// `monitoring: {psi: 0.2, features: {conv_rate: {wasserstein: 0.3}}}`: thresholds for the
    /// view, and per feature (Docs/Monitoring.md).
    private func monitoring(_ node: YAMLNode) throws(DefinitionsFileError) -> Monitoring {
        let keys = try node.mapping(allowing: Self.driftThresholdKeys + ["features"])
        var features: [String: DriftThresholds] = [:]
        if let featuresNode = keys.optional("features") {
            for (name, value) in try featuresNode.entries() {
                features[name] = try driftThresholds(try value.mapping(allowing: Self.driftThresholdKeys))
            }
        }
        return Monitoring(try driftThresholds(keys), features: features)
    }

    private static let driftThresholdKeys = ["psi", "jensen_shannon", "wasserstein"]

    private func driftThresholds(_ keys: YAMLMapping) throws(DefinitionsFileError) -> DriftThresholds {
        func threshold(_ key: String) throws(DefinitionsFileError) -> Double? {
            guard let node = keys.optional(key) else { return nil }
            let text = try node.text()
            guard let value = Double(text), value > 0, value.isFinite else {
                throw node.error("a drift threshold is a number above 0, found '\(text)'")
            }
            return value
        }
        return DriftThresholds(psi: try threshold("psi"), jensenShannon: try threshold("jensen_shannon"), wasserstein: try threshold("wasserstein"))
    }

    private func duration(_ node: YAMLNode) throws(DefinitionsFileError) -> Duration {
        let text = try node.text()
        do {
            return try parseDuration(text)
        } catch {
            throw node.error("invalid duration '\(text)': \(error.message)")
        }
    }

    func field(_ node: YAMLNode) throws(DefinitionsFileError) -> Field {
        let keys = try node.mapping(allowing: ["name", "type", "description", "tags"])
        return Field(
            try keys.required("name").text(),
            try valueType(keys.required("type")),
            description: try keys.optional("description")?.text() ?? "",
            tags: try keys.optional("tags")?.textMap() ?? [:]
        )
    }

    /// `float32`, or a list type: `"[float32]"` as a string, or `[float32]` unquoted, which YAML
    /// reads as a one-element sequence. Both spellings are accepted so neither surprises anyone.
    private func valueType(_ node: YAMLNode) throws(DefinitionsFileError) -> ValueType {
        let allNames = ValueType.allCases.map(\.description).joined(separator: ", ")
        guard case .sequence = node.node else {
            let text = try node.text()
            guard let type = ValueType(name: text) else {
                throw node.error("unknown value type '\(text)'; expected one of \(allNames)")
            }
            return type
        }
        let elements = try node.elements()
        guard elements.count == 1, let element = elements.first else {
            throw node.error("a list type names one element type, like [float32]; expected one of \(allNames)")
        }
        let elementName = try element.text()
        guard let type = ValueType(name: "[\(elementName)]") else {
            let listNames = ValueType.allCases.filter { $0.element != nil }.map(\.description).joined(separator: ", ")
            throw node.error("there is no list of '\(elementName)'; list types are \(listNames)")
        }
        return type
    }

    func service(_ node: YAMLNode) throws(DefinitionsFileError) -> FeatureService {
        let keys = try node.mapping(allowing: ["name", "features", "description", "tags"])
        return FeatureService(
            try keys.required("name").text(),
            features: try keys.required("features").textList().map(FeatureReference.init(parsing:)),
            description: try keys.optional("description")?.text() ?? "",
            tags: try keys.optional("tags")?.textMap() ?? [:]
        )
    }
}

/// Seconds east of UTC for `UTC`, `Z`, `+HH:MM` or `-HH:MM`; `nil` for anything else.
func utcOffsetSeconds(fromTimezone text: String) -> Int? {
    if text == "UTC" || text == "Z" { return 0 }
    let characters = Array(text)
    guard characters.count == 6, characters[3] == ":",
          let sign = characters.first.flatMap({ ["+": 1, "-": -1][$0] }),
          let hours = twoDigits(characters[1], characters[2]), hours <= 23,
          let minutes = twoDigits(characters[4], characters[5]), minutes <= 59
    else { return nil }
    return sign * (hours * 3_600 + minutes * 60)
}

private func twoDigits(_ tens: Character, _ ones: Character) -> Int? {
    guard tens.isASCII, ones.isASCII, let high = tens.wholeNumberValue, let low = ones.wholeNumberValue else { return nil }
    return high * 10 + low
}

// MARK: - Walking the node tree

/// A YAML node with the key path that leads to it, so that every error can say where it is.
private struct YAMLNode {
    let node: Yams.Node
    let keyPath: String
    let file: String

    func error(_ message: String) -> DefinitionsFileError {
        DefinitionsFileError(file: file, line: node.mark?.line, column: node.mark?.column, keyPath: keyPath, message: message)
    }

    /// `null`, `~`, or nothing after the colon. An optional key written this way counts as absent,
    /// so a section whose items are all commented out still reads.
    var isNull: Bool {
        node.null != nil
    }

    /// What the node is, for "expected …, found …" messages.
    var found: String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let scalar): isNull ? "nothing" : "'\(scalar.string)'"
        case .alias: "an alias"
        }
    }

    /// A scalar's text as written: `tags: {version: 2}` reads as "2", and `owner: no` stays "no".
    func text() throws(DefinitionsFileError) -> String {
        guard case .scalar(let scalar) = node, !isNull else { throw error("expected a string, found \(found)") }
        return scalar.string
    }

    func bool() throws(DefinitionsFileError) -> Bool {
        guard case .scalar = node, let value = node.bool else { throw error("expected true or false, found \(found)") }
        return value
    }

    func elements() throws(DefinitionsFileError) -> [YAMLNode] {
        guard case .sequence(let sequence) = node else { throw error("expected a list, found \(found)") }
        return sequence.enumerated().map { index, element in
            YAMLNode(node: element, keyPath: "\(keyPath)[\(index)]", file: file)
        }
    }

    func list<Element>(of read: (YAMLNode) throws(DefinitionsFileError) -> Element) throws(DefinitionsFileError) -> [Element] {
        var result: [Element] = []
        for element in try elements() { result.append(try read(element)) }
        return result
    }

    func textList() throws(DefinitionsFileError) -> [String] {
        try list { (element) throws(DefinitionsFileError) in try element.text() }
    }

    /// A mapping of names to strings: `tags` and `column_mapping`.
    func textMap() throws(DefinitionsFileError) -> [String: String] {
        guard case .mapping = node else { throw error("expected a mapping of names to strings, found \(found)") }
        var result: [String: String] = [:]
        for (name, value) in try entries() { result[name] = try value.text() }
        return result
    }

    /// A mapping of names to nodes, in document order (names chosen by the file, such as features).
    func entries() throws(DefinitionsFileError) -> [(key: String, value: YAMLNode)] {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping of names, found \(found)") }
        var entries: [(key: String, value: YAMLNode)] = []
        for (keyNode, value) in mapping {
            let name = try YAMLNode(node: keyNode, keyPath: keyPath, file: file).keyName()
            entries.append((name, YAMLNode(node: value, keyPath: YAMLNode.join(keyPath, name), file: file)))
        }
        return entries
    }

    /// A mapping whose keys must all be among `allowed`, so a misspelled optional key is an error
    /// instead of a silently ignored line.
    func mapping(allowing allowed: [String]) throws(DefinitionsFileError) -> YAMLMapping {
        guard case .mapping(let mapping) = node else {
            throw error("expected a mapping with keys \(allowed.joined(separator: ", ")); found \(found)")
        }
        var entries: [(key: String, value: YAMLNode)] = []
        for (keyNode, value) in mapping {
            let key = try YAMLNode(node: keyNode, keyPath: keyPath, file: file).keyName()
            let path = YAMLNode.join(keyPath, key)
            guard allowed.contains(key) else {
                let unknown = YAMLNode(node: keyNode, keyPath: path, file: file)
                throw unknown.error("unknown key '\(key)'; allowed keys: \(allowed.joined(separator: ", "))")
            }
            entries.append((key, YAMLNode(node: value, keyPath: path, file: file)))
        }
        return YAMLMapping(node: self, entries: entries)
    }

    private func keyName() throws(DefinitionsFileError) -> String {
        guard case .scalar(let scalar) = node, !isNull else { throw error("expected a plain key, found \(found)") }
        return scalar.string
    }

    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }
}

/// A mapping's entries by key, in document order, with their key paths.
private struct YAMLMapping {
    let node: YAMLNode
    let entries: [(key: String, value: YAMLNode)]

    /// The value of `key`; `nil` when the key is absent or its value is null.
    func optional(_ key: String) -> YAMLNode? {
        entries.first { $0.key == key && !$0.value.isNull }?.value
    }

    func required(_ key: String) throws(DefinitionsFileError) -> YAMLNode {
        guard let entry = entries.first(where: { $0.key == key }) else {
            let missing = YAMLNode(node: node.node, keyPath: YAMLNode.join(node.keyPath, key), file: node.file)
            throw missing.error("missing required key")
        }
        guard !entry.value.isNull else { throw entry.value.error("required key has no value") }
        return entry.value
    }

    /// Which of `keys` have a value, in the order the document gives them.
    func presentKeys(among keys: [String]) -> [String] {
        entries.filter { keys.contains($0.key) && !$0.value.isNull }.map(\.key)
    }
}
