import Foundation
import Testing

@testable import ClearanceKit

/// One fixed report rendered through every reporter and compared with its golden file.
@Suite("Golden reports")
struct GoldenReportTests {
    static let orders = #"""
        id,supplier,customer,end_user,product,quantity,destination,date,end_use,note
        G-1,maker,alpha,,DY-MAG,1 t,DE,2026-03-01,civil,"plain, quoted"
        G-2,maker,gamma,,DY-MAG,1 t,DE,2026-03-01,civil,=HYPERLINK("x")
        G-3,maker,alpha,,DY-MAG,4.5 t,DE,2026-03-01,civil,"needs sign-off | <&> ""quoted"""
        G-4,maker,Stranger Ltd,,PLAIN-MAG,1 kg,US,2026-03-01,civil,+1 unknown customer
        G-5,maker,villain,,PLAIN-MAG,1 kg,US,2026-03-01,civil,@listed
        G-6,maker,alpha,,DY-MAG,5 KG,DE,2026-03-01,civil,-bad unit

        """#

    static let clearances = """
        clearances:
          - id: CLR-1
            orders: [G-3]
            clears: [licence-condition]
            by: Li Wei (export control officer)
            on: 2026-02-20
          - id: CLR-2
            orders: [G-99]
            clears: [unknown-party]
            by: Li Wei
            on: 2026-02-20
        """

    /// The pack's temporary directory, which golden files show as `${PACK}`.
    let packRoot: String
    /// The clearance file's temporary directory, shown as `${CLEARANCES}`.
    let clearanceRoot: String
    let report: EvaluationReport
    /// The same report from records read without their cells (`cells: false`).
    let cellFreeReport: EvaluationReport

    init() throws {
        packRoot = TestPack.write(["rules.yaml": TestPack.header + CoveragePack.yaml])
        let pack = try PackLoader().load(path: packRoot)
        clearanceRoot = TestPack.write(["clearances.yaml": Self.clearances])
        let clearanceFile = clearanceRoot + "/clearances.yaml"
        let clearances = try ClearanceLoader().load(paths: [clearanceFile], pack: pack)
        func evaluated(cells: Bool) throws -> EvaluationReport {
            var evaluator = Evaluator(pack: pack, options: EvaluationOptions(today: Day(parsing: "2026-03-02"), clearances: clearances))
            let records = Array(
                IteratorSequence(
                    try OrderSource.records(bytes: Array(Self.orders.utf8), file: "orders/golden.csv", format: .csv, cells: cells)))
            let results = records.map { evaluator.evaluate($0) }
            let warnings = evaluator.clearanceWarnings().map {
                $0.description.replacingOccurrences(of: clearanceFile, with: "clearances.yaml")
            }
            return EvaluationReport(
                pack: pack, asOf: nil, results: results, namesFiles: false, files: ["orders/golden.csv"],
                today: Day(parsing: "2026-03-02"), warnings: warnings)
        }
        report = try evaluated(cells: true)
        cellFreeReport = try evaluated(cells: false)
    }

    var placeholders: [String: String] { [packRoot: "${PACK}", clearanceRoot: "${CLEARANCES}", report.pack.digest: "${DIGEST}"] }

    @Test(
        "every reporter renders the fixed report as its golden file",
        arguments: [
            ("text", "golden.txt"), ("json", "golden.json"), ("jsonl", "golden.jsonl"), ("csv", "golden.csv"), ("sarif", "golden.sarif"),
            ("junit", "golden.junit.xml"), ("github", "golden.github.txt"), ("markdown", "golden.md"),
        ])
    func golden(format: String, file: String) throws {
        let reporter = try #require(Reporters.named(format))
        Snapshot.assert(reporter.report(report, options: ReportOptions()), named: file, placeholders: placeholders)
    }

    @Test("a reporter that says it does not read origins renders the same report from records read without cells")
    func withoutCells() throws {
        #expect(cellFreeReport.results.allSatisfy { $0.origin.cells.isEmpty })
        #expect(report.results.allSatisfy { !$0.origin.cells.isEmpty })
        let options = ReportOptions(verbose: true)
        for reporter in Reporters.all where !reporter.readsOrigins {
            #expect(
                reporter.report(cellFreeReport, options: options) == reporter.report(report, options: options), "\(reporter.identifier)")
        }
        // Reporters that read origins do see the difference, so the comparison above can fail.
        let readers: [any Reporter.Type] = [CSVReporter.self, SARIFReporter.self]
        for reporter in readers {
            let reads = reporter.readsOrigins
            #expect(reads)
            #expect(
                reporter.report(cellFreeReport, options: options) != reporter.report(report, options: options), "\(reporter.identifier)")
        }
    }

    @Test("JUnit can show reviews as skipped")
    func junitSkipped() {
        Snapshot.assert(
            JUnitReporter.report(report, options: ReportOptions(junitReview: .skipped)), named: "golden.junit-skipped.xml",
            placeholders: placeholders)
    }

    @Test("the fixed report has every verdict, a cleared reason and a clearance warning")
    func fixture() {
        #expect(
            report.summary
                == {
                    var s = EvaluationReport.Summary(); s.lines = 6; s.allow = 2; s.review = 2; s.deny = 2; return s
                }())
        #expect(report.results[2].codes == ["cleared", "covered"])
        #expect(report.results[2].reasons[0].clearance?.id == "CLR-1")
        #expect(report.warnings.count == 1)
    }

    @Test("JSON Lines streams: header, one object per line, then the summary")
    func jsonLinesStream() throws {
        let text = JSONLinesReporter.report(report, options: ReportOptions())
        let lines = text.split(separator: "\n")
        #expect(lines.count == 7)
        let last = try #require(try JSONSerialization.jsonObject(with: Data(lines[6].utf8)) as? [String: Any])
        #expect(Set(last.keys) == ["pack", "as_of", "summary"])
        for line in lines.prefix(6) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["verdict"] != nil)
        }
    }
}

@Suite("Report escaping")
struct EscapingTests {
    @Test(
        "CSV quotes RFC 4180 fields and defuses formulas",
        arguments: [
            ("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("two\nlines", "\"two\nlines\""),
            ("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-2", "'-2"), ("@cmd", "'@cmd"), ("\tx", "'\tx"), ("=a,b", "\"'=a,b\""),
            (" padded", "\" padded\""), ("", ""),
        ])
    func csv(input: String, output: String) {
        #expect(CSVReporter.field(input) == output)
    }

    @Test("GitHub workflow commands escape data and properties")
    func github() {
        #expect(GitHubReporter.data("50% done\r\nnext") == "50%25 done%0D%0Anext")
        #expect(GitHubReporter.property("a:b,c%") == "a%3Ab%2Cc%25")
        #expect(GitHubReporter.data("::set-output name=x::y") == "::set-output name=x::y")
    }

    @Test("XML escapes markup and replaces characters XML cannot hold")
    func xml() {
        #expect(JUnitReporter.xml("a < b & \"c\" > 'd'") == "a &lt; b &amp; &quot;c&quot; &gt; &apos;d&apos;")
        #expect(JUnitReporter.xml("bell\u{7}") == "bell\u{FFFD}")
        #expect(JUnitReporter.xml("line\nbreak") == "line&#10;break")
    }

    @Test("Markdown cells escape pipes and line breaks")
    func markdown() {
        #expect(MarkdownReporter.cell("a | b\nc <d>") == "a \\| b c &lt;d&gt;")
    }

    @Test("report paths are repository-relative URIs")
    func paths() {
        #expect(ReportPath.uri("Samples/orders.csv", workingDirectory: "/repo") == "Samples/orders.csv")
        #expect(ReportPath.uri("./a b.csv", workingDirectory: "/repo") == "a%20b.csv")
        #expect(ReportPath.uri("/repo/x/y.csv", workingDirectory: "/repo") == "x/y.csv")
        #expect(ReportPath.uri("/elsewhere/y.csv", workingDirectory: "/repo") == "file:///elsewhere/y.csv")
        #expect(ReportPath.uri("-", workingDirectory: "/repo") == "stdin")
    }

    @Test("Markdown stays under its size limit and says what was cut")
    func markdownTruncation() throws {
        let pack = try CoveragePack.pack()
        let records = (0..<400).map { _ in CoveragePack.line("gamma") }
        let report = EvaluationReport(pack: pack, asOf: nil, results: TestOrders.evaluate(pack, records), namesFiles: false)
        let saved = MarkdownReporter.maximumBytes
        MarkdownReporter.maximumBytes = 20_000
        defer { MarkdownReporter.maximumBytes = saved }
        let text = MarkdownReporter.report(report, options: ReportOptions())
        #expect(text.utf8.count < 20_000)
        #expect(text.contains("more deny lines not shown: the summary is cut to stay under 1 MiB"))
    }

    @Test("SARIF keeps the worst results when over its limit and says so")
    func sarifLimit() throws {
        let pack = try CoveragePack.pack()
        let records = (0..<10).map { index in
            CoveragePack.line(index % 2 == 0 ? "gamma" : "Stranger", product: index % 2 == 0 ? "DY-MAG" : "PLAIN-MAG")
        }
        let report = EvaluationReport(pack: pack, asOf: nil, results: TestOrders.evaluate(pack, records), namesFiles: false)
        let saved = SARIFReporter.maximumResults
        SARIFReporter.maximumResults = 4
        defer { SARIFReporter.maximumResults = saved }
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(SARIFReporter.report(report, options: ReportOptions()).utf8)) as? [String: Any])
        let run = try #require((json["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 4)
        #expect(results.allSatisfy { $0["level"] as? String == "error" })
        let notes = (run["invocations"] as? [[String: Any]])?.first?["toolExecutionNotifications"] as? [[String: Any]]
        #expect(
            (notes?.first?["message"] as? [String: Any])?["text"] as? String
                == "10 findings; only the 4 most severe are included (GitHub's limit per run)")
    }
}
