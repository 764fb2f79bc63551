import Foundation

/// GitHub Actions workflow commands (`::error file=…,line=…,title=…::…`), worst first, at most
/// ten per level, then a notice saying how many more.
public enum GitHubReporter: Reporter {
    public static let identifier = "github"
    public static let description = "GitHub Actions annotations (and the step summary when GITHUB_STEP_SUMMARY is set)"

    /// GitHub shows at most ten annotations of each level per step.
    public static let perLevel = 10

    public static func report(_ report: EvaluationReport, options: ReportOptions) -> String {
        let workingDirectory = FileManager.default.currentDirectoryPath
        let findings = Finding.all(in: report)
        var lines: [String] = []
        for (verdict, command) in [(Verdict.deny, "error"), (.review, "warning")] {
            let level = findings.filter { $0.reason.verdict == verdict }
            for finding in level.prefix(perLevel) {
                let position = finding.position
                var properties = [
                    "file=" + property(ReportPath.uri(finding.result.file, workingDirectory: workingDirectory)),
                    "line=\(max(1, position.line))",
                ]
                if position.column > 0 { properties.append("col=\(position.column)") }
                properties.append("title=" + property("\(verdict.name) \(finding.reason.code.rawValue) \(finding.ruleID)"))
                let subject = finding.result.id.map { "\($0): " } ?? ""
                lines.append("::\(command) \(properties.joined(separator: ","))::" + data(subject + finding.reason.message))
            }
            if level.count > perLevel {
                lines.append(
                    "::notice::"
                        + data("\(level.count - perLevel) more \(command)s (\(verdict.name) reasons) not shown; see the full report"))
            }
        }
        let summary = report.summary
        lines.append(
            "::notice title=Clearance::"
                + data(
                    "\(summary.lines) lines: \(summary.allow) allow, \(summary.review) review, \(summary.deny) deny (pack \(report.pack.id)@\(report.pack.version))"
                ))
        return lines.joined(separator: "\n") + "\n"
    }

    /// Escapes a command's message: `%`, CR and LF.
    public static func data(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(
            of: "\n", with: "%0A")
    }

    /// Escapes a command property: as `data`, plus `:` and `,`.
    public static func property(_ text: String) -> String {
        data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
