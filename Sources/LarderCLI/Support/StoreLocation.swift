import ArgumentParser
import Foundation
import Larder

/// Where the definitions file and the store are: `--file` (default `features.yaml`) and
/// `--store` (default `.larder` in the directory of the definitions file).
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store directory (default: .larder beside the definitions file).", valueName: "path"))
    var store: String?

    @Option(name: [.customShort("f"), .customLong("file")], help: ArgumentHelp("The definitions file.", valueName: "path"))
    var file: String = "features.yaml"

    /// The store directory, as the user would write it.
    var storePath: String {
        if let store { return store }
        let directory = (file as NSString).deletingLastPathComponent
        return directory.isEmpty ? ".larder" : (directory as NSString).appendingPathComponent(".larder")
    }

    /// The feature repository: the directory of the definitions file, as an absolute path.
    /// Relative source paths in the definitions are read from here.
    var repositoryRoot: String {
        let directory = (absolute(file) as NSString).deletingLastPathComponent
        return directory.isEmpty ? "/" : directory
    }

    /// Parses the definitions file.
    func loadDefinitions() throws -> Definitions {
        try Definitions(contentsOfFile: file)
    }

    /// Opens the existing store; only `apply` creates one.
    /// - Throws: a one-line error when there is no store at the path.
    func openStore(readOnly: Bool = false, access: FileAccess = .owner) throws -> FeatureStore {
        let path = storePath
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CLIError.data("no store at \(path) (run `larder apply` to create it, or pass --store PATH)")
        }
        guard isDirectory.boolValue, FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent("data.mdb")) else {
            throw CLIError.data("\(path) is not a Larder store (no data.mdb in it)")
        }
        do {
            return try FeatureStore.open(path, readOnly: readOnly, createIfMissing: false, access: access)
        } catch LarderError.noStore {
            throw CLIError.data("\(path) holds no Larder store (its data.mdb is empty); run `larder apply` to create one")
        }
    }

    /// Opens the store, creating it if it does not exist yet.
    func openOrCreateStore(access: FileAccess) throws -> FeatureStore {
        try FeatureStore.open(storePath, access: access)
    }

    /// Checks that the file sources of `views` exist, read relative to the repository, and
    /// makes the repository the working directory so the library finds them.
    func prepareSources(of views: [String]?, in store: FeatureStore) throws {
        let definitions = try store.registry.definitions
        let root = repositoryRoot
        let names = views ?? definitions.views.map(\.name)
        for name in names {
            guard let view = definitions.view(named: name), let source = definitions.source(named: view.source) else { continue }
            let path: String
            switch source.kind {
            case .csv(let file, _), .jsonLines(let file), .parquet(let file): path = file
            case .push: continue
            }
            let resolved = path.hasPrefix("/") ? path : (root as NSString).appendingPathComponent(path)
            // A glob (a Parquet source) is matched when the source is read, and says so if it matches nothing.
            let isPattern = path.contains(where: { "*?[".contains($0) })
            guard isPattern || FileManager.default.fileExists(atPath: resolved) else {
                throw CLIError.data("source \(source.name) of view \(name): no file at \(path)\(path.hasPrefix("/") ? "" : " (relative paths are read from \(root))")")
            }
        }
        _ = FileManager.default.changeCurrentDirectoryPath(root)
    }
}

/// `--group-access`: who may read what a command creates.
struct AccessOptions: ParsableArguments {
    @Flag(name: .customLong("group-access"),
          help: "Let the file's group read what this command creates (files 0640; a store 0660 in a 0750 directory). Default: the owner only.")
    var groupAccess = false

    var access: FileAccess { groupAccess ? .group : .owner }
}

/// `--json`: machine-readable output instead of tables.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of tables.")
    var json = false
}

/// `path` made absolute against the working directory.
func absolute(_ path: String) -> String {
    if path.hasPrefix("/") { return (path as NSString).standardizingPath }
    let joined = (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    return (joined as NSString).standardizingPath
}
