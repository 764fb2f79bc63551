import Foundation

/// The stable JSON report of contract §7: sorted keys, explicit nulls, byte-identical across runs.
public enum JSONReporter: Reporter {
    public static let identifier = "json"
    public static let description = "the stable JSON report (contract §7)"

    public static func report(_ report: EvaluationReport, options: ReportOptions) -> String {
        ReportJSON.encode(ReportJSON.Document(report: report, includeResults: true), pretty: true) + "\n"
    }
}

/// JSON Lines: one result object per line as lines are evaluated, then one summary object.
public enum JSONLinesReporter: StreamingReporter {
    public static let identifier = "jsonl"
    public static let description = "one JSON object per line, then a summary object (streams)"

    public static func header(_ report: EvaluationReport, options: ReportOptions) -> String { "" }

    public static func line(_ result: LineResult, report: EvaluationReport, options: ReportOptions) -> String {
        ReportJSON.encode(ReportJSON.Result(result: result, namesFile: report.namesFiles), pretty: false) + "\n"
    }

    public static func footer(_ report: EvaluationReport, options: ReportOptions) -> String {
        ReportJSON.encode(ReportJSON.Document(report: report, includeResults: false), pretty: false) + "\n"
    }
}

/// The Codable shapes shared by the JSON and JSON Lines reports.
enum ReportJSON {
    static func encode(_ value: some Encodable, pretty: Bool) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    struct Document: Encodable {
        let report: EvaluationReport
        let includeResults: Bool

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
            if includeResults {
                try container.encode(report.results.map { Result(result: $0, namesFile: report.namesFiles) }, forKey: .results)
            }
        }
    }

    struct Result: Encodable {
        let result: LineResult
        let namesFile: Bool

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

    struct ReasonJSON: Encodable {
        let reason: Reason

        enum Key: String, CodingKey { case verdict, code, rule, message, source, clearance, id, by, on }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(reason.verdict.name, forKey: .verdict)
            try container.encode(reason.code.rawValue, forKey: .code)
            try container.encode(reason.rule, forKey: .rule)
            try container.encode(reason.message, forKey: .message)
            try container.encode(reason.source?.description, forKey: .source)
            if let stamp = reason.clearance {
                var clearance = container.nestedContainer(keyedBy: Key.self, forKey: .clearance)
                try clearance.encode(stamp.id, forKey: .id)
                try clearance.encode(stamp.by, forKey: .by)
                try clearance.encode(stamp.on.description, forKey: .on)
                try clearance.encode(stamp.code.rawValue, forKey: .code)
                try clearance.encode(stamp.source.description, forKey: .source)
            }
        }
    }
}
