/// A readable table for terminals and CI logs: line, id, verdict, licence and first reason, then
/// a summary line.
public enum TextReporter: Reporter {
    public static let identifier = "text"
    public static let description = "a readable table with a summary line (default)"
    public static let readsOrigins = false

    public static func report(_ report: EvaluationReport, options: ReportOptions) -> String {
        let rows = report.results.map { result -> [String] in
            let place = report.namesFiles ? "\(result.file):\(result.line)" : String(result.line)
            let first = result.reasons.first.map { "[\($0.code.rawValue)] \($0.message)" } ?? ""
            return [place, result.id ?? "-", result.verdict.name, result.licence ?? "-", first]
        }
        let header = ["LINE", "ID", "VERDICT", "LICENCE", "REASON"]
        var widths = header.map(\.count)
        for row in rows {
            for column in 0..<4 { widths[column] = max(widths[column], row[column].count) }
        }
        func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        func paint(_ verdict: String, _ text: String) -> String {
            guard options.colour else { return text }
            let code = verdict == "deny" ? "31" : verdict == "review" ? "33" : "32"
            return "\u{1B}[\(code)m\(text)\u{1B}[0m"
        }
        var lines: [String] = []
        lines.append((0..<4).map { pad(header[$0], widths[$0]) }.joined(separator: "  ") + "  " + header[4])
        for (row, result) in zip(rows, report.results) {
            let cells = (0..<4).map { column in
                column == 2 ? paint(row[2], pad(row[2], widths[2])) : pad(row[column], widths[column])
            }
            lines.append(cells.joined(separator: "  ") + "  " + row[4])
            if options.verbose {
                for reason in result.reasons {
                    let origin = reason.rule.map { " \($0)" } ?? ""
                    let source = reason.source.map { " (\($0))" } ?? ""
                    lines.append("      \(reason.verdict.name) [\(reason.code.rawValue)]\(origin): \(reason.message)\(source)")
                }
            }
        }
        let summary = report.summary
        let asOf = report.asOf.map { " as of \($0)" } ?? ""
        lines.append(
            "\(summary.lines) \(summary.lines == 1 ? "line" : "lines"): \(summary.allow) allow, \(summary.review) review, \(summary.deny) deny"
                + " (pack \(report.pack.id)@\(report.pack.version)\(asOf))")
        return lines.joined(separator: "\n") + "\n"
    }
}
