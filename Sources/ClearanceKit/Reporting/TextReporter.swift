/// A readable table for terminals and CI logs: line, id, verdict, licence and first reason, then
/// a summary line.
///
/// It streams: the column widths come from the first batch of lines (all of them for files of up
/// to 2,048 lines); a longer value later widens only its own row.
public enum TextReporter: StreamingReporter {
    public static let identifier = "text"
    public static let description = "a readable table with a summary line (default)"
    public static let readsOrigins = false

    static let titles = ["LINE", "ID", "VERDICT", "LICENCE", "REASON"]

    static func cells(_ result: LineResult, namesFiles: Bool) -> [String] {
        let place = namesFiles ? "\(result.file):\(result.line)" : String(result.line)
        let first = result.reasons.first.map { "[\($0.code.rawValue)] \($0.message)" } ?? ""
        return [place, result.id ?? "-", result.verdict.name, result.licence ?? "-", first]
    }

    static func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }

    public static func begin(_ firstBatch: [LineResult], report: EvaluationReport, options: ReportOptions) -> (
        layout: ReportLayout, text: String
    ) {
        var widths = titles.map(\.count)
        for result in firstBatch {
            let row = cells(result, namesFiles: report.namesFiles)
            for column in 0..<4 { widths[column] = max(widths[column], row[column].count) }
        }
        let text = (0..<4).map { pad(titles[$0], widths[$0]) }.joined(separator: "  ") + "  " + titles[4] + "\n"
        return (ReportLayout(widths: widths), text)
    }

    public static func line(
        _ result: LineResult, index: Int, layout: ReportLayout, report: EvaluationReport, options: ReportOptions, into bytes: inout [UInt8]
    ) {
        let row = cells(result, namesFiles: report.namesFiles)
        let widths = layout.widths
        var text =
            (0..<4).map { column in
                let cell = pad(row[column], column < widths.count ? widths[column] : 0)
                guard column == 2, options.colour else { return cell }
                let code = row[2] == "deny" ? "31" : row[2] == "review" ? "33" : "32"
                return "\u{1B}[\(code)m\(cell)\u{1B}[0m"
            }.joined(separator: "  ") + "  " + row[4] + "\n"
        if options.verbose {
            for reason in result.reasons {
                let origin = reason.rule.map { " \($0)" } ?? ""
                let source = reason.source.map { " (\($0))" } ?? ""
                text += "      \(reason.verdict.name) [\(reason.code.rawValue)]\(origin): \(reason.message)\(source)\n"
            }
        }
        bytes += text.utf8
    }

    public static func footer(_ report: EvaluationReport, options: ReportOptions) -> String {
        let summary = report.summary
        let asOf = report.asOf.map { " as of \($0)" } ?? ""
        return
            "\(summary.lines) \(summary.lines == 1 ? "line" : "lines"): \(summary.allow) allow, \(summary.review) review, \(summary.deny) deny"
            + " (pack \(report.pack.id)@\(report.pack.version)\(asOf))\n"
    }
}
