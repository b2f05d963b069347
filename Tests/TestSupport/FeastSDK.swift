import Foundation

/// The Python of `.venv-feast` (Feast's SDK), which `scripts/test.sh` makes through
/// `scripts/ensure-feast.sh`: Feast's own client, pointed at `larder serve`.
/// `LARDER_FEAST_PYTHON` overrides the path.
public enum FeastSDK {
    public static func python() throws -> String {
        try virtualenvPython(".venv-feast", variable: "LARDER_FEAST_PYTHON", script: "ensure-feast.sh")
    }

    /// The `feast` command of the same virtualenv.
    public static func feast() throws -> String {
        ((try python()) as NSString).deletingLastPathComponent + "/feast"
    }
}
