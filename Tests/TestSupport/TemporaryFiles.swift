import Foundation

/// Temporary folders for tests, all inside one folder per test run that is removed when the
/// test process exits: tests used to leave hundreds of folders in the temporary directory on
/// every run.
public enum TemporaryFiles {
    /// The run's folder, `$TMPDIR/clearance-test-run-<pid>`, created on first use.
    public static let root: String = {
        let root = NSTemporaryDirectory() + "clearance-test-run-\(getpid())"
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: TemporaryFiles.root) }
        return root
    }()

    /// A new, empty folder inside the run's folder, named after `prefix`.
    public static func directory(_ prefix: String) -> String {
        let path = root + "/" + prefix + "-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
