/// The Python of `.venv-evidently` (Evidently 0.7.23), which `scripts/test.sh` makes through
/// `scripts/ensure-evidently.sh`. `LARDER_EVIDENTLY_PYTHON` overrides the path.
public enum Evidently {
    public static func python() throws -> String {
        try virtualenvPython(".venv-evidently", variable: "LARDER_EVIDENTLY_PYTHON", script: "ensure-evidently.sh")
    }
}
