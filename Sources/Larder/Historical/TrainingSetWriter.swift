import ParquetKit

/// The writer of a training set file, by format: text (CSV, JSON Lines) or columnar (Parquet,
/// Arrow).
enum TrainingSetWriter {
    case text(HistoricalFileWriter)
    case columnar(ColumnarFileWriter)

    init(path: String, format: HistoricalOutputFormat, columns: TrainingSetColumns, input: EntityRows, options: HistoricalOptions) throws {
        switch format {
        case .csv, .jsonLines:
            self = .text(try HistoricalFileWriter(path: path, format: format == .csv ? .csv : .jsonLines, columns: columns.all, access: options.outputAccess))
        case .parquet, .arrow:
            guard path != OutputFile.standardOutput else {
                throw OutputFileError(path: path, reason: "a \(format.rawValue) file cannot be streamed to standard output (its footer points back into it); give a file")
            }
            let codec: CompressionCodec = switch options.parquetCompression {
            case .snappy: .snappy
            case .zstd: .zstd
            case .gzip: .gzip
            case .none: .uncompressed
            }
            self = .columnar(try ColumnarFileWriter(
                path: path, format: format == .arrow ? .arrow : .parquet(ParquetWriteOptions(compression: codec, createdBy: "Larder")),
                input: input, inputColumns: columns.input, inputKeyTypes: columns.inputKeyTypes, featureNames: columns.features, featureTypes: columns.featureTypes,
                timestampColumn: options.timestampColumn, timestampFormat: options.timestampFormat, access: options.outputAccess))
        }
    }

    var rows: Int {
        switch self {
        case .text(let writer): writer.rows
        case .columnar(let writer): writer.rows
        }
    }

    func write(_ row: EntityRow, _ features: JoinedFeatures) throws {
        switch self {
        case .text(let writer): try writer.write(row, features)
        case .columnar(let writer): try writer.write(row, features)
        }
    }

    func finish() throws {
        switch self {
        case .text(let writer): try writer.finish()
        case .columnar(let writer): try writer.finish()
        }
    }

    func discard() {
        switch self {
        case .text(let writer): writer.discard()
        case .columnar(let writer): writer.discard()
        }
    }
}
