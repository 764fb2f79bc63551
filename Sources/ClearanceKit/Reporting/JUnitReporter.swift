/// JUnit XML (the Apache Ant schema Jenkins, GitLab and most CI test views read): one testsuite
/// per order file, one testcase per line named `line N · ID`; deny is a `<failure type="deny">`,
/// review a failure or `<skipped>` (`--junit-review`).
public enum JUnitReporter: Reporter {
    public static let identifier = "junit"
    public static let description = "JUnit XML: a testsuite per order file, a testcase per line"
    public static let readsOrigins = false

    public static func report(_ report: EvaluationReport, options: ReportOptions) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
        let timestamp = (report.today?.description ?? "1970-01-01") + "T00:00:00"
        for (index, file) in report.files.enumerated() {
            let results = report.results.filter { $0.file == file }
            let denies = results.filter { $0.verdict == .deny }.count
            let reviews = results.filter { $0.verdict == .review }.count
            let failures = denies + (options.junitReview == .failure ? reviews : 0)
            let skipped = options.junitReview == .skipped ? reviews : 0
            out += "  <testsuite name=\"\(xml(file))\" package=\"clearance\" id=\"\(index)\" timestamp=\"\(timestamp)\""
            out +=
                " hostname=\"localhost\" tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\" time=\"0\">\n"
            out += "    <properties>\n"
            out += "      <property name=\"pack\" value=\"\(xml(report.pack.id + "@" + report.pack.version))\"/>\n"
            out += "      <property name=\"digest\" value=\"\(xml(report.pack.digest))\"/>\n"
            if let asOf = report.asOf { out += "      <property name=\"as_of\" value=\"\(asOf)\"/>\n" }
            out += "    </properties>\n"
            for result in results {
                let name = "line \(result.line) · \(result.id ?? "(no id)")"
                out += "    <testcase classname=\"\(xml(file))\" name=\"\(xml(name))\" time=\"0\""
                let details = result.reasons.map { reason in
                    "\(reason.verdict.name) [\(reason.code.rawValue)]\(reason.rule.map { " \($0)" } ?? ""): \(reason.message)"
                        + (reason.source.map { " (\($0))" } ?? "")
                }.joined(separator: "\n")
                let first = result.reasons.first.map { "[\($0.code.rawValue)] \($0.message)" } ?? ""
                switch result.verdict {
                case .allow:
                    out += "/>\n"
                case .deny:
                    out += ">\n      <failure type=\"deny\" message=\"\(xml(first))\">\(xml(details))</failure>\n    </testcase>\n"
                case .review where options.junitReview == .skipped:
                    out += ">\n      <skipped message=\"\(xml("review: " + first))\">\(xml(details))</skipped>\n    </testcase>\n"
                case .review:
                    out += ">\n      <failure type=\"review\" message=\"\(xml(first))\">\(xml(details))</failure>\n    </testcase>\n"
                }
            }
            out += "    <system-out/>\n    <system-err/>\n  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    /// Escapes text for XML attributes and content; characters XML 1.0 cannot hold become U+FFFD.
    public static func xml(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case "\t": out += "&#9;"
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
