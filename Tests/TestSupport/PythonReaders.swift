import Foundation

/// The Python of `.venv-readers` (pyarrow and pandas), which `scripts/test.sh` makes through
/// `scripts/ensure-python-readers.sh`: the real readers Larder's Parquet and Arrow files are
/// checked with. `LARDER_PYTHON` overrides the path.
public enum PythonReaders {
    public static func python() throws -> String {
        try virtualenvPython(".venv-readers", variable: "LARDER_PYTHON", script: "ensure-python-readers.sh")
    }

    /// Runs `script` (Python source) with `arguments`; returns its standard output, or throws
    /// with its standard error when it exits non-zero.
    public static func run(_ script: String, _ arguments: [String] = []) throws -> String {
        try runProgram(try python(), ["-c", script] + arguments)
    }
}
