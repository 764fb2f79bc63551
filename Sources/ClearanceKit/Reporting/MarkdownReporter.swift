/// A Markdown summary for a pull-request comment or a CI step summary: counts, then tables of
/// denied and reviewed lines with their reasons, cut by section to stay under 1 MiB.
public enum MarkdownReporter: Reporter {
    public static let identifier = "markdown"
    public static let description = "a Markdown summary for PR comments and step summaries"
    public static let readsOrigins = false

    /// GitHub's step-summary limit; the report stays below it.
    public nonisolated(unsafe) static var maximumBytes = 1_048_576

    public static func report(_ report: EvaluationReport, options: ReportOptions) -> String {
        let summary = report.summary
        let verdict = summary.deny > 0 ? "❌ deny" : summary.review > 0 ? "⚠️ review" : "✅ allow"
        var out = "## Clearance: \(verdict)\n\n"
        out += "Pack `\(report.pack.id)@\(report.pack.version)` (`\(report.pack.digest)`)"
        if let asOf = report.asOf { out += ", every line as of \(asOf)" }
        out +=
            ".\n\n| verdict | lines |\n|---|---:|\n| deny | \(summary.deny) |\n| review | \(summary.review) |\n| allow | \(summary.allow) |\n"
        out += "| **total** | **\(summary.lines)** |\n"
        for warning in report.warnings { out += "\n> ⚠️ \(cell(warning))\n" }
        let budget = maximumBytes - 512
        for (verdict, heading) in [(Verdict.deny, "Denied"), (.review, "To review")] {
            let results = report.results.filter { $0.verdict == verdict }
            guard !results.isEmpty else { continue }
            var section = "\n### \(heading) (\(results.count))\n\n| line | id | licence | reasons |\n|---|---|---|---|\n"
            var shown = 0
            for result in results {
                let place = report.namesFiles ? "\(result.file):\(result.line)" : String(result.line)
                let reasons = result.reasons.filter { $0.verdict >= .review }.map { "`\($0.code.rawValue)` \($0.message)" }.joined(
                    separator: "<br>")
                let row = "| \(cell(place)) | \(cell(result.id ?? "")) | \(cell(result.licence ?? "")) | \(cell(reasons)) |\n"
                if out.utf8.count + section.utf8.count + row.utf8.count > budget { break }
                section += row
                shown += 1
            }
            if shown < results.count {
                section +=
                    "\n_\(results.count - shown) more \(verdict.name) lines not shown: the summary is cut to stay under 1 MiB; see the full report._\n"
            }
            out += section
        }
        return out
    }

    /// Escapes a table cell: pipes, line breaks and HTML-significant characters.
    public static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
            of: ">", with: "&gt;"
        )
        .replacingOccurrences(of: "&lt;br&gt;", with: "<br>").replacingOccurrences(of: "|", with: "\\|")
        .replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
    }
}
