import ArgumentParser

/// The exit codes of contract §8, in one place.
enum ExitStatus: Int32 {
    /// No line at or above `--fail-on`; for `lint`, no errors (and no warnings with `--strict`).
    case ok = 0
    /// Some line at or above `--fail-on`; for `lint --strict`, warnings.
    case failOn = 1
    /// Nothing was evaluated: unreadable rules or order files, or a usage error.
    case notEvaluated = 2

    var exitCode: ExitCode { ExitCode(rawValue) }
}
