// Definitions are stored in the registry as JSON (small, rarely read, easy to inspect with
// `mdb_dump`); the hot paths never decode them, they use the parsed, cached `Registry`.
import Foundation

extension FeatureReference: Codable {
    public init(from decoder: Decoder) throws {
        self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension ValueType: Codable {
    public init(from decoder: Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let type = ValueType(name: name) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown value type \(name)"))
        }
        self = type
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}


extension Source.Kind: Codable {
    private enum CodingKeys: String, CodingKey { case csv, delimiter, jsonl, parquet, push }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let path = try container.decodeIfPresent(String.self, forKey: .csv) {
            let delimiter = try container.decodeIfPresent(String.self, forKey: .delimiter) ?? ","
            self = .csv(path: path, delimiter: delimiter.first ?? ",")
        } else if let path = try container.decodeIfPresent(String.self, forKey: .jsonl) {
            self = .jsonLines(path: path)
        } else if let path = try container.decodeIfPresent(String.self, forKey: .parquet) {
            self = .parquet(path: path)
        } else {
            self = .push
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .csv(let path, let delimiter):
            try container.encode(path, forKey: .csv)
            try container.encode(String(delimiter), forKey: .delimiter)
        case .jsonLines(let path):
            try container.encode(path, forKey: .jsonl)
        case .parquet(let path):
            try container.encode(path, forKey: .parquet)
        case .push:
            try container.encode(true, forKey: .push)
        }
    }
}
