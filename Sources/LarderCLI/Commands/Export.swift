import ArgumentParser
import Foundation
import Larder

/// `larder export PATH`: a compacted copy for serving hosts.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a compacted copy of the store, for serving hosts to open read-only.",
        discussion: "The copy is a consistent snapshot taken in a read transaction; writers are not blocked.")

    @Argument(help: "The directory to write the copy into (missing or empty).")
    var path: String

    @OptionGroup var location: StoreOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var files: AccessOptions

    func run() throws {
        let store = try location.openStore(readOnly: true, access: files.access)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw CLIError.data("\(path) is a file; export writes into a missing or empty directory")
        }
        if let contents = try? FileManager.default.contentsOfDirectory(atPath: path), !contents.isEmpty {
            throw CLIError.data("\(path) is not empty; export writes into a missing or empty directory")
        }
        let ((), seconds) = try timed { try store.environment.copy(to: path) }
        let size = Self.size(of: (path as NSString).appendingPathComponent("data.mdb"))
        let original = Self.size(of: (location.storePath as NSString).appendingPathComponent("data.mdb"))
        // Check the copy the way a serving host will use it.
        let copy = try FeatureStore.open(path, readOnly: true)
        let registry = try copy.registry
        let latest = try copy.snapshots().last?.id ?? 0
        if output.json {
            JSON.object([
                ("path", .string(path)), ("bytes", .int(size)), ("source_bytes", .int(original)),
                ("registry_version", .uint(registry.version)), ("latest_snapshot", .uint(latest)), ("seconds", .double(seconds)),
            ]).print()
        } else {
            print("Exported \(location.storePath) to \(path) in \(Format.seconds(seconds)): data.mdb \(Format.bytes(size)) (the store's is \(Format.bytes(original))).")
            print("It opens read-only: registry version \(registry.version), \(registry.definitions.views.count) views, latest snapshot \(latest).")
        }
    }

    static func size(of path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}
