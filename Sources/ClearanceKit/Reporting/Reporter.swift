/// Formats an evaluation report.
///
/// Each format is one small type; `--format` takes its identifier.
public protocol Reporter {
    /// The `--format` value, such as `json`.
    static var identifier: String { get }
    /// One line for `--help`.
    static var description: String { get }
    /// The whole report as text, ending in a newline.
    static func report(_ report: EvaluationReport, options: ReportOptions) -> String
}

/// Presentation choices that do not change what is reported.
public struct ReportOptions: Sendable {
    /// ANSI colours (only on a terminal, never with `NO_COLOR`).
    public var colour = false
    /// List every reason, not just the first.
    public var verbose = false

    public init(colour: Bool = false, verbose: Bool = false) {
        self.colour = colour
        self.verbose = verbose
    }
}

/// The registry of reporters.
public enum Reporters {
    public static let all: [any Reporter.Type] = [TextReporter.self, JSONReporter.self]

    /// Every `--format` value.
    public static var identifiers: [String] { all.map { $0.identifier } }

    /// The reporter for a `--format` value.
    public static func named(_ identifier: String) -> (any Reporter.Type)? {
        all.first { $0.identifier == identifier }
    }
}
