import Foundation
import TestSupport
import Testing

/// Runs the built `clearance` binary as a user or CI script would, from the package root.
enum CLI {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary: next to the test bundle (SwiftPM builds it as a dependency), else `.build/debug`.
    static let binary: URL = {
        if let override = ProcessInfo.processInfo.environment["CLEARANCE_BIN"] { return URL(fileURLWithPath: override) }
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [here, here.deletingLastPathComponent(), here.deletingLastPathComponent().deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("clearance")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return root.appendingPathComponent(".build/debug/clearance")
    }()

    struct Output {
        var stdout: String
        var stderr: String
        var status: Int32
    }

    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Output {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = root
        var env = ProcessInfo.processInfo.environment
        env["CLEARANCE_TODAY"] = "2026-11-27"
        env["NO_COLOR"] = "1"
        env.removeValue(forKey: "CLEARANCE_RULES")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self),
            status: process.terminationStatus)
    }

    static func temporaryFile(_ name: String, _ text: String) -> String {
        let directory = TemporaryFiles.directory("cli")
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = "\(directory)/\(name)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }
}

@Suite("Samples: clearance check and explain against Samples/expected")
struct SampleTests {
    /// The sample commands, as Samples/README.md and Scripts/record-samples.sh run them.
    static let samples: [(expected: String, arguments: [String])] = [
        ("orders.csv.txt", ["check", "Samples/orders.csv"]),
        ("orders.csv.json", ["check", "Samples/orders.csv", "--format", "json"]),
        ("orders.json.json", ["check", "Samples/orders.json", "--format", "json"]),
        ("orders.jsonl.json", ["check", "Samples/orders.jsonl", "--format", "json"]),
        ("orders.yaml.json", ["check", "Samples/orders.yaml", "--format", "json"]),
        ("orders.csv.as-of-2026-11-11.txt", ["check", "Samples/orders.csv", "--as-of", "2026-11-11", "--fail-on", "deny"]),
        ("explain-line-15.txt", ["explain", "Samples/orders.csv", "--line", "15"]),
        ("orders.csv.cleared.txt", ["check", "Samples/orders.csv", "--clearances", "Samples/clearances.yaml", "--verbose"]),
        ("orders.csv.sarif", ["check", "Samples/orders.csv", "--format", "sarif"]),
        ("orders.csv.junit.xml", ["check", "Samples/orders.csv", "--format", "junit", "--junit-review", "skipped"]),
        ("orders.csv.md", ["check", "Samples/orders.csv", "--format", "markdown"]),
        ("orders.csv.checked.csv", ["check", "Samples/orders.csv", "--format", "csv"]),
        ("licences.txt", ["licences", "--as-of", "2026-11-27"]),
    ]

    static func expectedStatus(_ name: String) throws -> Int32 {
        let text = try String(contentsOf: CLI.root.appendingPathComponent("Samples/expected/exit-codes.txt"), encoding: .utf8)
        let line = text.split(separator: "\n").first { $0.hasPrefix(name + " ") }
        return Int32(line?.split(separator: " ").last ?? "") ?? -1
    }

    @Test(
        "each sample's output and exit code match Samples/expected (re-record: Scripts/record-samples.sh)",
        arguments: samples.map(\.expected))
    func sample(name: String) throws {
        let arguments = try #require(Self.samples.first { $0.expected == name }?.arguments)
        let output = try CLI.run(arguments)
        let expected = try String(contentsOf: CLI.root.appendingPathComponent("Samples/expected/\(name)"), encoding: .utf8)
        #expect(output.stdout == expected, "run Scripts/record-samples.sh and review the diff if the change is intended")
        #expect(output.status == (try Self.expectedStatus(name)))
        if name == "orders.csv.cleared.txt" {
            #expect(
                output.stderr
                    == "Samples/clearances.yaml:17:5: warning: [clearance-unused] clearance 'CLR-2026-016' matched no review reason\n")
        } else {
            #expect(output.stderr.isEmpty)
        }
    }

    @Test("the four order formats give the same verdicts for the same orders")
    func formatsAgree() throws {
        func verdicts(_ file: String) throws -> [String] {
            let data = try Data(contentsOf: CLI.root.appendingPathComponent("Samples/expected/\(file)"))
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let results = try #require(json["results"] as? [[String: Any]])
            // SO-1034 is malformed differently in each format (wrong column count, unit-less number, …).
            return results.filter { !($0["id"] is NSNull) && $0["id"] as? String != "SO-1034" }
                .map { "\($0["id"] ?? "-") \($0["verdict"] ?? "-") \($0["licence"] ?? "-")" }
        }
        let csv = try verdicts("orders.csv.json")
        #expect(csv.count >= 30)
        #expect(try verdicts("orders.json.json") == csv)
        #expect(try verdicts("orders.jsonl.json") == csv)
        #expect(try verdicts("orders.yaml.json") == csv)
    }

    @Test("the samples exercise every verdict and every reason code of the core")
    func coverage() throws {
        let text = try String(contentsOf: CLI.root.appendingPathComponent("Samples/expected/orders.csv.json"), encoding: .utf8)
        for code in [
            "covered", "not-controlled", "no-licence", "licence-limit", "licence-condition", "missing-data", "unknown-party",
            "listed-party", "rule", "input-error",
        ] {
            #expect(text.contains("\"code\" : \"\(code)\""), "no sample line gives \(code)")
        }
        for verdict in ["allow", "review", "deny"] { #expect(text.contains("\"verdict\" : \"\(verdict)\"")) }
    }
}

@Suite("CLI: exit codes and usage")
struct ExitCodeTests {
    static let allowOnly =
        "id,supplier,customer,destination,end_use,date,product,quantity\nSO-1,jl-mag,bosch,DE,automotive,2026-01-15,NDFEB-48H-DY,200 kg\n"

    @Test("0 when nothing reaches --fail-on, 1 when something does")
    func failOn() throws {
        let allow = CLI.temporaryFile("allow.csv", Self.allowOnly)
        #expect(try CLI.run(["check", allow]).status == 0)
        #expect(try CLI.run(["check", "Samples/orders.csv"]).status == 1)
        #expect(try CLI.run(["check", "Samples/orders.csv", "--fail-on", "deny"]).status == 1)
        #expect(try CLI.run(["check", "Samples/orders.csv", "--fail-on", "never"]).status == 0)
        let review = CLI.temporaryFile("review.csv", Self.allowOnly.replacingOccurrences(of: "bosch", with: "Someone New"))
        #expect(try CLI.run(["check", review, "--fail-on", "deny"]).status == 0)
        #expect(try CLI.run(["check", review]).status == 1)
    }

    @Test("2 when a report cannot be written whole: the full disk is named, never passed over")
    func reportWriteFails() throws {
        let toFile = try CLI.run(["check", "Samples/orders.csv", "--report", "jsonl=/dev/full", "--fail-on", "never"])
        #expect(toFile.status == 2)
        #expect(toFile.stderr.hasPrefix("error: the jsonl report to '/dev/full' is incomplete: "))
        let toStdout = try CLI.run(["check", "Samples/orders.csv", "--report", "json=/dev/full", "--format", "jsonl", "--fail-on", "never"])
        #expect(toStdout.status == 2)
        #expect(toStdout.stdout.split(separator: "\n").count == 42)  // the good report is still written whole
    }

    @Test("large batches of report lines are written straight out, in order, and a full disk still stops them")
    func largeReportWrites() throws {
        // 2,400 lines: each batch formats tens of kilobytes, written without the output buffer.
        let sample = try String(contentsOfFile: "Samples/orders.csv", encoding: .utf8).split(separator: "\n")
        let body = (0..<2_400).map { index in sample[1 + index % (sample.count - 1)] }.joined(separator: "\n")
        let orders = CLI.temporaryFile("many.csv", "\(sample[0])\n\(body)\n")
        let run = try CLI.run(["check", orders, "--format", "jsonl", "--fail-on", "never"])
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["line"] as? Int
        }
        #expect(lines == Array(2...2_401))
        let full = try CLI.run(["check", orders, "--report", "jsonl=/dev/full", "--fail-on", "never"])
        #expect(full.status == 2)
        #expect(full.stderr.hasPrefix("error: the jsonl report to '/dev/full' is incomplete: "))
    }

    @Test("2 when nothing was evaluated: bad pack, missing or unreadable orders, usage errors")
    func notEvaluated() throws {
        let broken = CLI.temporaryFile("pack.yaml", "pack: {id: x, version: '1'}\nlists:\n  - {id: l, verdict: maybe}\n")
        let badPack = try CLI.run(["check", "Samples/orders.csv", "--rules", (broken as NSString).deletingLastPathComponent])
        #expect(badPack.status == 2)
        #expect(badPack.stderr.contains("pack.yaml:3:22: error: [bad-value] 'maybe' is not a verdict allowed in list 'l'"))
        #expect(badPack.stdout.isEmpty)
        #expect(!badPack.stderr.hasPrefix("Error:"))
        #expect(try CLI.run(["check", "Samples/orders.csv", "--rules", "/nonexistent"]).status == 2)
        #expect(try CLI.run(["check", "Samples/orders.csv", "--rules", "/nonexistent", "--fail-on", "never"]).status == 2)
        let missing = try CLI.run(["check", "Samples/nope.csv"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no order file at 'Samples/nope.csv'"))
        let badJSON = CLI.temporaryFile("o.json", "[{\"id\": 1,]")
        #expect(try CLI.run(["check", badJSON]).status == 2)
        let halfGood = try CLI.run(["check", "Samples/orders.csv", badJSON, "--format", "json"])
        #expect(halfGood.status == 2)
        #expect(halfGood.stdout.isEmpty)
        for usage in [
            ["check", "Samples/orders.csv", "--format", "xml"], ["check", "Samples/orders.csv", "--fail-on", "sometimes"],
            ["check", "Samples/orders.csv", "--as-of", "2026-02-30"], ["check", "--bogus"], ["frobnicate"],
            ["check", "Samples/orders.csv", "--input-format", "xls"], ["explain", "Samples/orders.csv"],
        ] {
            let result = try CLI.run(usage)
            #expect(result.status == 2, "\(usage)")
            #expect(!result.stderr.isEmpty, "\(usage)")
        }
        let format = try CLI.run(["check", "Samples/orders.csv", "--format", "xml"])
        #expect(format.stderr.contains("expected one of: text, json"))
    }

    @Test("standard input, --input-format and CLEARANCE_RULES")
    func stdin() throws {
        let result = try CLI.run(
            ["check", "-", "--format", "json"], stdin: Self.allowOnly, environment: ["CLEARANCE_RULES": "Rules/cn-rare-earth"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\"source\" : \"Rules/cn-rare-earth/licences.yaml:7:5\""))
        let jsonl = try CLI.run(["check", "-", "--input-format", "jsonl"], stdin: "{\"id\": \"A\", \"supplier\": \"jl-mag\"}\n")
        #expect(jsonl.status == 1)
        #expect(jsonl.stdout.contains("A "))
    }

    @Test("several files: usage carried across, every result names its file")
    func severalFiles() throws {
        let first = CLI.temporaryFile(
            "a.csv",
            "id,supplier,customer,destination,end_use,date,product,quantity\nA1,ningbo-yunsheng,bosch,DE,automotive,2026-05-01,NDFEB-48H-DY,4 t\n"
        )
        let second = CLI.temporaryFile(
            "b.csv",
            "id,supplier,customer,destination,end_use,date,product,quantity\nB1,ningbo-yunsheng,bosch,DE,automotive,2026-05-02,NDFEB-48H-DY,4 t\n"
        )
        let result = try CLI.run(["check", first, second, "--format", "json"])
        #expect(result.stdout.contains("\"file\" : \"\(first)\""))
        #expect(result.stdout.contains("\"file\" : \"\(second)\""))
        var many = [String]()
        for index in 0..<11 {
            many.append(
                CLI.temporaryFile(
                    "f\(index).csv",
                    "id,supplier,customer,destination,end_use,date,product,quantity\nX\(index),ningbo-yunsheng,valeo,FR,automotive,2026-05-01,NDFEB-48H-DY,4 t\n"
                ))
        }
        let carried = try CLI.run(["check"] + many + ["--format", "json"])
        // valeo: 40 t per customer; the eleventh 4 t line is over it.
        #expect(carried.stdout.components(separatedBy: "\"licence-limit\"").count == 2)
    }

    @Test("--verbose lists every reason; --version and --help")
    func verboseVersionHelp() throws {
        let verbose = try CLI.run(["check", "Samples/orders.csv", "--verbose"])
        #expect(
            verbose.stdout.contains(
                "      deny [rule] CN-ENDUSE-MILITARY: Export of controlled rare-earth items for military end use is prohibited"))
        let version = try CLI.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout == "0.1.0\n")
        let help = try CLI.run(["check", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--fail-on"))
        #expect(help.stdout.contains("Examples:"))
    }

    /// argument-parser wraps help to the terminal (80 columns when piped) and keeps the text's own
    /// line breaks, so prose broken by hand in the source prints as ragged half-empty lines.
    @Test(
        "every command's help wraps its prose in full lines",
        arguments: [
            [], ["check"], ["lint"], ["explain"], ["test"], ["licences"], ["ledger"], ["ledger", "record"], ["ledger", "show"],
            ["ledger", "void"], ["ledger", "export"], ["workload"],
        ])
    func helpProseWraps(command: [String]) throws {
        let help = try CLI.run(command + ["--help"])
        #expect(help.status == 0)
        let lines = help.stdout.components(separatedBy: "\n")
        let usage = try #require(lines.firstIndex { $0.hasPrefix("USAGE:") })
        // Prose is the unindented text before USAGE; a line followed by more of its paragraph must
        // have been filled close to the width, not cut where the source line ended.
        let prose = lines[..<usage]
        for (line, next) in zip(prose, prose.dropFirst())
        where !line.isEmpty && !line.hasPrefix(" ") && !next.isEmpty && !next.hasPrefix(" ") {
            guard !line.hasSuffix(":") else { continue }
            #expect(line.count >= 60, "\(command): '\(line)' is cut short before '\(next)'")
        }
    }
}

@Suite("CLI: lint and explain")
struct LintExplainTests {
    @Test("lint: the shipped pack has no errors")
    func shippedPack() throws {
        let result = try CLI.run(["lint", "--rules", "Rules/cn-rare-earth"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("0 errors"))
    }

    @Test("lint: errors exit 2 with positions, sorted, and a count")
    func errors() throws {
        let path = CLI.temporaryFile(
            "pack.yaml",
            "pack: {id: x, version: '1'}\nlicences:\n  - id: L\n    holder: nobody\n    vaild: {from: 2026-01-01}\n    categories: [C]\n    customers: all\n    destinations: all\n"
        )
        let result = try CLI.run(["lint", "--rules", (path as NSString).deletingLastPathComponent])
        #expect(result.status == 2)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0] == "\(path):4:13: error: [undefined-reference] licence 'L' names party 'nobody', which is not defined")
        #expect(lines.contains("\(path):5:5: error: [unknown-key] unknown key 'vaild' in licence 'L'"))
        #expect(lines.contains("  help: did you mean 'valid'?"))
        #expect(lines.last == "3 errors in pack '\((path as NSString).deletingLastPathComponent)'; nothing was evaluated")
    }

    @Test("lint warns 30 days before the pack's review_by, and after it")
    func reviewBy() throws {
        let path = CLI.temporaryFile("pack.yaml", "pack: {id: x, version: '1', review_by: 2026-12-20}\n")
        let root = (path as NSString).deletingLastPathComponent
        let soon = try CLI.run(["lint", "--rules", root], environment: ["CLEARANCE_TODAY": "2026-11-27"])
        #expect(soon.stdout.contains("warning: [review-soon] the pack is due for review on 2026-12-20"))
        let early = try CLI.run(["lint", "--rules", root], environment: ["CLEARANCE_TODAY": "2026-11-01"])
        #expect(!early.stdout.contains("review-soon"))
        let late = try CLI.run(["lint", "--rules", root, "--strict"], environment: ["CLEARANCE_TODAY": "2026-12-21"])
        #expect(late.status == 1)
        #expect(late.stdout.contains("every line gets a stale-pack review"))
    }

    @Test("lint --strict exits 1 on warnings")
    func strict() throws {
        let path = CLI.temporaryFile(
            "pack.yaml",
            """
            pack: {id: x, version: '1'}
            parties:
              - {id: lonely, name: Lonely Ltd}
            categories:
              - id: C
                control: licence
                effective: {from: 2026-01-01}
                suspended: [{from: 2020-01-01, until: 2020-12-31}]
                when: {end_use: x}
            """)
        let root = (path as NSString).deletingLastPathComponent
        let plain = try CLI.run(["lint", "--rules", root])
        #expect(plain.status == 0)
        #expect(plain.stdout.contains("warning: [unused-party] party 'lonely' is named by no licence, condition or list"))
        #expect(plain.stdout.contains("warning: [suspension-outside-effective]"))
        #expect(try CLI.run(["lint", "--rules", root, "--strict"]).status == 1)
    }

    @Test("explain by flags shows leaves, licence checks and the verdict")
    func explainFlags() throws {
        let result = try CLI.run([
            "explain", "--supplier", "zhong-ke-san-huan", "--customer", "Tesla", "--product", "NDFEB-48H-DY", "--quantity", "1 t",
            "--destination", "US", "--end-use", "automotive", "--date", "2026-05-13",
        ])
        #expect(result.status == 0)
        #expect(result.stdout.contains("customer: 'Tesla' → party 'tesla'"))
        #expect(result.stdout.contains("composition.Dy gt 0% (line: 2%): true"))
        #expect(result.stdout.contains("CN-GL-2025-0003 for CN-1C905-DY-NDFEB-MAGNET: does not cover (false)"))
        #expect(result.stdout.contains("customer: false — customer 'tesla' is not on the approved list"))
        #expect(result.stdout.contains("Verdict: deny"))
        let composition = try CLI.run([
            "explain", "--hs-code", "8505111000", "--composition", "Dy=1%", "--attribute", "form=magnet", "--supplier", "jl-mag",
            "--customer", "bosch", "--destination", "DE", "--end-use", "civil", "--date", "2026-02-01",
        ])
        #expect(composition.stdout.contains("Verdict: allow (licence CN-GL-2025-0001)"))
    }

    @Test("explain --line on a missing line is an error")
    func explainMissingLine() throws {
        let result = try CLI.run(["explain", "Samples/orders.csv", "--line", "999"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no record of 'Samples/orders.csv' starts on line 999"))
    }
}

@Suite("CLI: --jobs")
struct JobsTests {
    @Test("every --jobs value prints the same report; bad values are usage errors")
    func jobs() throws {
        let one = try CLI.run(["check", "Samples/orders.csv", "--format", "json", "--jobs", "1"])
        for jobs in ["2", "4"] {
            let many = try CLI.run(["check", "Samples/orders.csv", "--format", "json", "--jobs", jobs])
            #expect(many.stdout == one.stdout)
            #expect(many.status == one.status)
        }
        #expect(try CLI.run(["check", "Samples/orders.csv", "--jobs", "0"]).status == 2)
    }
}

@Suite("CLI: streaming reports")
struct StreamingReportTests {
    /// 5,000 lines: more than one batch, the last with a much longer id.
    static let orders: String = {
        var text = "id,supplier,customer,destination,date,product,quantity\n"
        for number in 1...5_000 {
            let id = number == 5_000 ? "SO-" + String(repeating: "9", count: 40) : "SO-\(number)"
            text += "\(id),jl-mag,bosch,DE,2026-01-15,NDFEB-48H-DY,1 kg\n"
        }
        return text
    }()

    @Test("text streams: widths from the first batch, a longer id later widens only its row, every line and the summary printed")
    func text() throws {
        let path = CLI.temporaryFile("many.csv", Self.orders)
        let output = try CLI.run(["check", path, "--fail-on", "never", "--jobs", "2"])
        let lines = output.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 5_003)  // header, 5,000 rows, summary, final newline
        #expect(lines[0].hasPrefix("LINE  ID       VERDICT  LICENCE"))
        #expect(lines[5_000].hasPrefix("5001  SO-" + String(repeating: "9", count: 40) + "  review   -  "))
        #expect(lines[5_001].hasPrefix("5000 lines: 0 allow, 5000 review, 0 deny"))
    }

    @Test("JSON streams and stays one valid document with every result, across batches")
    func json() throws {
        let path = CLI.temporaryFile("many.csv", Self.orders)
        let output = try CLI.run(["check", path, "--format", "json", "--fail-on", "never"])
        let document = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        #expect((document?["results"] as? [Any])?.count == 5_000)
        #expect((document?["summary"] as? [String: Int])?["lines"] == 5_000)
    }
}

@Suite("CLI: benchmark helpers")
struct BenchmarkHelperTests {
    @Test("workload is hidden from help, writes a pack that checks, and --timings reports the phases on standard error")
    func workloadAndTimings() throws {
        #expect(try !CLI.run(["--help"]).stdout.contains("workload"))
        let directory = TemporaryFiles.directory("workload")
        let written = try CLI.run([
            "workload", "--out", directory, "--lines", "300", "--parties", "100", "--suppliers", "5", "--licences", "10",
        ])
        #expect(written.status == 0)
        let checked = try CLI.run([
            "check", "\(directory)/orders.csv", "--rules", "\(directory)/pack", "--format", "jsonl", "--fail-on", "never", "--timings",
        ])
        #expect(checked.status == 0)
        #expect(checked.stdout.split(separator: "\n").count == 301)
        #expect(checked.stderr.hasPrefix("timings: pack load "))
        #expect(checked.stderr.contains("300 lines checked in"))
        #expect(try CLI.run(["workload", "--out", directory, "--suppliers", "1"]).status == 2)
    }
}
