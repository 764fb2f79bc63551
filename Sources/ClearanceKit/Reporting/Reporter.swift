/// Formats an evaluation report.
///
/// Each format is one small type; `--format` takes its identifier.
public protocol Reporter: SendableMetatype {
    /// The `--format` value, such as `json`.
    static var identifier: String { get }
    /// One line for `--help`.
    static var description: String { get }
    /// The whole report as text, ending in a newline.
    static func report(_ report: EvaluationReport, options: ReportOptions) -> String
    /// Whether the report echoes or points into the order file (`LineResult.origin`); results
    /// kept for reporters that do not are kept without it, to save memory.
    static var readsOrigins: Bool { get }
}

extension Reporter {
    public static var readsOrigins: Bool { true }
}

/// A reporter that can write each line as it is evaluated, in constant memory.
///
/// `report(_:options:)` is `begin(all lines) + line… + footer` of the same pieces.
public protocol StreamingReporter: Reporter {
    /// What comes before the first line, and how lines look from then on (text: its column
    /// widths); called once, with the first batch (empty when there are no lines). `report` is the
    /// run's report without results.
    static func begin(_ firstBatch: [LineResult], report: EvaluationReport, options: ReportOptions) -> (layout: ReportLayout, text: String)
    /// Appends one evaluated line, the `index`-th (0-based) of the report, as UTF-8.
    static func line(
        _ result: LineResult, index: Int, layout: ReportLayout, report: EvaluationReport, options: ReportOptions, into bytes: inout [UInt8])
    /// Appends evaluated lines, the first of them the `firstIndex`-th of the report, as `line`
    /// appends each; a reporter that writes many at once more cheaply implements it.
    static func lines(
        _ results: ArraySlice<LineResult>, firstIndex: Int, layout: ReportLayout, report: EvaluationReport, options: ReportOptions,
        into bytes: inout [UInt8])
    /// What comes after the last line; `report.summary` counts every line.
    static func footer(_ report: EvaluationReport, options: ReportOptions) -> String
}

/// How a streaming report lays out its lines, fixed by its first batch.
public struct ReportLayout: Sendable {
    /// Column widths, for reports that align columns.
    public var widths: [Int]

    public init(widths: [Int] = []) { self.widths = widths }
}

extension StreamingReporter {
    public static func report(_ report: EvaluationReport, options: ReportOptions) -> String {
        let (layout, text) = begin(report.results, report: report, options: options)
        var bytes: [UInt8] = []
        lines(report.results[...], firstIndex: 0, layout: layout, report: report, options: options, into: &bytes)
        return text + String(decoding: bytes, as: UTF8.self) + footer(report, options: options)
    }

    public static func lines(
        _ results: ArraySlice<LineResult>, firstIndex: Int, layout: ReportLayout, report: EvaluationReport, options: ReportOptions,
        into bytes: inout [UInt8]
    ) {
        for (offset, position) in results.indices.enumerated() {
            line(results[position], index: firstIndex + offset, layout: layout, report: report, options: options, into: &bytes)
        }
    }
}

/// Presentation choices that do not change what is reported.
public struct ReportOptions: Sendable {
    /// How JUnit shows review lines.
    public enum JUnitReview: String, Sendable, CaseIterable {
        case failure, skipped
    }

    /// ANSI colours (only on a terminal, never with `NO_COLOR`).
    public var colour = false
    /// List every reason, not just the first.
    public var verbose = false
    /// JUnit: review lines as `<failure>` or `<skipped>`.
    public var junitReview = JUnitReview.failure

    public init(colour: Bool = false, verbose: Bool = false, junitReview: JUnitReview = .failure) {
        self.colour = colour
        self.verbose = verbose
        self.junitReview = junitReview
    }
}

/// The registry of reporters.
public enum Reporters {
    public static let all: [any Reporter.Type] = [
        TextReporter.self, JSONReporter.self, JSONLinesReporter.self, CSVReporter.self, SARIFReporter.self, JUnitReporter.self,
        GitHubReporter.self, MarkdownReporter.self,
    ]

    /// Every `--format` value.
    public static var identifiers: [String] { all.map { $0.identifier } }

    /// The reporter for a `--format` value.
    public static func named(_ identifier: String) -> (any Reporter.Type)? {
        all.first { $0.identifier == identifier }
    }
}
