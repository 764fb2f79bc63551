import Foundation

/// The stable JSON report of contract §7: sorted keys, explicit nulls, byte-identical across runs.
public enum JSONReporter: Reporter {
    public static let identifier = "json"
    public static let description = "the stable JSON report (contract §7)"

    public static func report(_ report: EvaluationReport, options: ReportOptions) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(Document(report)) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private struct Document: Encodable {
        let report: EvaluationReport

        init(_ report: EvaluationReport) { self.report = report }

        enum Key: String, CodingKey { case pack, asOf = "as_of", summary, results, id, version, digest, lines, allow, review, deny }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            var pack = container.nestedContainer(keyedBy: Key.self, forKey: .pack)
            try pack.encode(report.pack.id, forKey: .id)
            try pack.encode(report.pack.version, forKey: .version)
            try pack.encode(report.pack.digest, forKey: .digest)
            try container.encode(report.asOf?.description, forKey: .asOf)
            var summary = container.nestedContainer(keyedBy: Key.self, forKey: .summary)
            try summary.encode(report.summary.lines, forKey: .lines)
            try summary.encode(report.summary.allow, forKey: .allow)
            try summary.encode(report.summary.review, forKey: .review)
            try summary.encode(report.summary.deny, forKey: .deny)
            try container.encode(report.results.map { Result($0, namesFile: report.namesFiles) }, forKey: .results)
        }
    }

    private struct Result: Encodable {
        let result: LineResult
        let namesFile: Bool

        init(_ result: LineResult, namesFile: Bool) {
            self.result = result
            self.namesFile = namesFile
        }

        enum Key: String, CodingKey { case file, line, id, verdict, licence, categories, reasons }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            if namesFile { try container.encode(result.file, forKey: .file) }
            try container.encode(result.line, forKey: .line)
            try container.encode(result.id, forKey: .id)
            try container.encode(result.verdict.name, forKey: .verdict)
            try container.encode(result.licence, forKey: .licence)
            try container.encode(result.categories, forKey: .categories)
            try container.encode(result.reasons.map(ReasonJSON.init), forKey: .reasons)
        }
    }

    private struct ReasonJSON: Encodable {
        let reason: Reason

        enum Key: String, CodingKey { case verdict, code, rule, message, source }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(reason.verdict.name, forKey: .verdict)
            try container.encode(reason.code.rawValue, forKey: .code)
            try container.encode(reason.rule, forKey: .rule)
            try container.encode(reason.message, forKey: .message)
            try container.encode(reason.source?.description, forKey: .source)
        }
    }
}
