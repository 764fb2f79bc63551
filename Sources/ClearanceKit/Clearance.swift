import Foundation

/// The library's front door: load a pack, check order files, lint — what the CLI calls.
public enum Clearance {
    /// The tool's version, printed by `clearance --version` and in reports.
    public static let version = "0.1.0"

    /// The day of the run: `CLEARANCE_TODAY` (YYYY-MM-DD) when set, else today's UTC date.
    public static func today(environment: [String: String] = ProcessInfo.processInfo.environment) -> Day {
        if let text = environment["CLEARANCE_TODAY"], let day = Day(parsing: text) { return day }
        return Day(ordinal: Int((Date().timeIntervalSince1970 / 86_400).rounded(.down)))
    }

    /// Opens every order file first (so that an unreadable one stops the run before anything is
    /// evaluated), then evaluates all records in order, carrying licence usage across files.
    ///
    /// - Parameters:
    ///   - keepResults: keep every result in the report; without it only the summary is kept and
    ///     memory stays constant (for streaming reporters).
    ///   - onResult: called with each result as soon as it is evaluated.
    /// - Returns: the report and the clearance warnings of the run.
    /// - Throws: `OrderReadError` for the first file that cannot be read.
    public static func check(
        pack: Pack, files: [String], format: OrderFormat?, options: EvaluationOptions, ledger: LimitLedger = LimitLedger(),
        limits: InputLimits = InputLimits(), keepResults: Bool = true, onResult: (LineResult) -> Void = { _ in }
    ) throws(OrderReadError) -> (report: EvaluationReport, warnings: [PackWarning]) {
        var sources: [AnyIterator<OrderRecord>] = []
        for file in files { sources.append(try OrderSource.records(path: file, format: format, limits: limits)) }
        var evaluator = Evaluator(pack: pack, options: options, ledger: ledger)
        var results: [LineResult] = []
        var summary = EvaluationReport.Summary()
        for source in sources {
            for record in IteratorSequence(source) {
                let result = evaluator.evaluate(record)
                summary.count(result.verdict)
                onResult(result)
                if keepResults { results.append(result) }
            }
        }
        let warnings = evaluator.clearanceWarnings()
        let report = EvaluationReport(
            pack: pack, asOf: options.asOf, results: results, namesFiles: files.count > 1, files: files, today: options.today,
            warnings: warnings.map(\.description), summary: summary)
        return (report, warnings)
    }
}
