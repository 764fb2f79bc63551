import Foundation
import Testing

@testable import ClearanceKit

@Suite("Reporters")
struct ReporterTests {
    static func report(namesFiles: Bool = false, asOf: Day? = nil, pack given: Pack? = nil) throws -> EvaluationReport {
        let pack = try given ?? CoveragePack.pack()
        let records = [
            CoveragePack.line(),
            CoveragePack.line("Stranger", product: "PLAIN-MAG"),
            CoveragePack.line(quantity: "5 KG"),
        ]
        return EvaluationReport(pack: pack, asOf: asOf, results: TestOrders.evaluate(pack, records), namesFiles: namesFiles)
    }

    func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("streamed reports are the same however the lines are split into slices", arguments: ["json", "jsonl", "text"])
    func slicesWriteTheSameBytes(format: String) throws {
        let one = try Self.report()
        // Nine results, so that slices start at every place.
        let results = one.results + one.results + one.results
        let report = EvaluationReport(pack: try CoveragePack.pack(), asOf: nil, results: results, namesFiles: false)
        let reporter = try #require(Reporters.named(format) as? any StreamingReporter.Type)
        let (layout, head) = reporter.begin(report.results, report: report, options: ReportOptions())
        let whole = reporter.report(report, options: ReportOptions())
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            var bytes: [UInt8] = []
            var start = 0
            while start < report.results.count {
                let end = Int.random(in: (start + 1)...report.results.count, using: &generator)
                reporter.lines(
                    report.results[start..<end], firstIndex: start, layout: layout, report: report, options: ReportOptions(), into: &bytes)
                start = end
            }
            #expect(head + String(decoding: bytes, as: UTF8.self) + reporter.footer(report, options: ReportOptions()) == whole)
        }
    }

    @Test("JSON has the contract's fields with explicit nulls")
    func jsonShape() throws {
        let text = JSONReporter.report(try Self.report(), options: ReportOptions())
        let json = try object(text)
        #expect(Set(json.keys) == ["pack", "as_of", "summary", "results"])
        #expect(json["as_of"] is NSNull)
        let pack = try #require(json["pack"] as? [String: Any])
        #expect(pack["id"] as? String == "test")
        #expect((pack["digest"] as? String)?.hasPrefix("sha256:") == true)
        let summary = try #require(json["summary"] as? [String: Int])
        #expect(summary == ["lines": 3, "allow": 1, "review": 2, "deny": 0])
        let results = try #require(json["results"] as? [[String: Any]])
        #expect(Set(results[0].keys) == ["line", "id", "verdict", "licence", "categories", "reasons"])
        #expect(results[0]["licence"] as? String == "L-EARLY")
        #expect(results[1]["licence"] is NSNull)
        let reasons = try #require(results[2]["reasons"] as? [[String: Any]])
        #expect(reasons[0]["code"] as? String == "input-error")
        #expect(reasons[0]["rule"] is NSNull)
        #expect(reasons[0]["source"] is NSNull)
        let covered = try #require((results[0]["reasons"] as? [[String: Any]])?.first)
        #expect((covered["source"] as? String)?.contains("rules.yaml:") == true)
    }

    @Test("JSON is byte-identical across runs and names files only when several were read")
    func jsonStable() throws {
        let pack = try CoveragePack.pack()
        let first = JSONReporter.report(try Self.report(pack: pack), options: ReportOptions())
        let second = JSONReporter.report(try Self.report(pack: pack), options: ReportOptions())
        #expect(first == second)
        #expect(!first.contains("\"file\""))
        let several = JSONReporter.report(try Self.report(namesFiles: true, asOf: Day(parsing: "2026-03-01")), options: ReportOptions())
        #expect(several.contains("\"file\" : \"orders.csv\""))
        #expect(several.contains("\"as_of\" : \"2026-03-01\""))
        #expect(!first.contains("\\/"))
    }

    @Test("JSON Lines holds the JSON report's result objects, one a line, with file names exactly when it does", arguments: [false, true])
    func jsonLinesMatchJSON(namesFiles: Bool) throws {
        var report = try Self.report(namesFiles: namesFiles, asOf: Day(parsing: "2026-03-01"))
        // A result with several categories and reasons, one with a quote to escape, and one
        // without an id or a licence.
        if var first = report.results.first {
            first.categories += ["CAT-\"2\""]
            first.reasons += first.reasons.map { reason in
                var changed = reason
                changed.message += " \"again\""
                return changed
            }
            first.id = nil
            first.licence = nil
            report.results.append(first)
        }
        let json = try object(JSONReporter.report(report, options: ReportOptions()))
        let results = try #require(json["results"] as? [[String: Any]])
        let lines = JSONLinesReporter.report(report, options: ReportOptions()).split(separator: "\n").map(String.init)
        #expect(lines.count == results.count + 1)
        for (line, result) in zip(lines, results) {
            let object = try object(line)
            #expect(NSDictionary(dictionary: object).isEqual(to: result), "\(line)")
            #expect((object["file"] != nil) == namesFiles)
        }
        #expect(lines.contains { $0.contains("\"id\":null,\"licence\":null") })
    }

    @Test("JSON escapes special characters in messages")
    func jsonEscaping() throws {
        let pack = try CoveragePack.pack()
        let result = TestOrders.evaluate(pack, [CoveragePack.line("Quote \"me\" \\ now\u{1}", product: "PLAIN-MAG")])
        let text = JSONReporter.report(
            EvaluationReport(pack: pack, asOf: nil, results: result, namesFiles: false), options: ReportOptions())
        let json = try object(text)
        let reasons = try #require((json["results"] as? [[String: Any]])?.first?["reasons"] as? [[String: Any]])
        #expect(reasons.contains { ($0["message"] as? String) == "customer 'Quote \"me\" \\ now\u{1}' is not in the party register" })
    }

    @Test("text: a table, the first reason of each line, and a summary line")
    func text() throws {
        let text = TextReporter.report(try Self.report(), options: ReportOptions())
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("LINE  ID"))
        #expect(lines[1].contains("allow") && lines[1].contains("L-EARLY") && lines[1].contains("[covered]"))
        #expect(lines[2].contains("review") && lines[2].contains("[unknown-party] customer 'Stranger' is not in the party register"))
        #expect(lines.last == "3 lines: 1 allow, 2 review, 0 deny (pack test@1)")
        #expect(!text.contains("\u{1B}["))
    }

    @Test("text: colour only when asked; verbose lists every reason with its source")
    func textOptions() throws {
        let coloured = TextReporter.report(try Self.report(), options: ReportOptions(colour: true))
        #expect(coloured.contains("\u{1B}[32mallow"))
        #expect(coloured.contains("\u{1B}[33mreview"))
        let verbose = TextReporter.report(try Self.report(), options: ReportOptions(verbose: true))
        #expect(verbose.contains("      allow [not-controlled] test: not controlled under test@1 ("))
        #expect(verbose.contains("      review [unknown-party]: customer 'Stranger' is not in the party register"))
    }

    @Test("the registry lists every reporter by its --format value")
    func registry() {
        #expect(Reporters.identifiers == ["text", "json", "jsonl", "csv", "sarif", "junit", "github", "markdown"])
        #expect(Reporters.named("json") == JSONReporter.self)
        #expect(Reporters.named("xml") == nil)
    }
}
