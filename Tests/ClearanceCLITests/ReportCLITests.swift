import Foundation
import TestSupport
import Testing

@Suite("CLI: reports, clearances and evidence")
struct ReportCLITests {
    func directory() -> String {
        let path = TemporaryFiles.directory("cli")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("--report writes several formats in one run; standard output keeps --format")
    func severalReports() throws {
        let dir = directory()
        let result = try CLI.run([
            "check", "Samples/orders.csv", "--format", "jsonl", "--report", "sarif=\(dir)/r.sarif", "--report", "junit=\(dir)/r.xml",
            "--report", "csv=\(dir)/r.csv", "--report", "markdown=\(dir)/r.md",
        ])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 42)
        #expect(lines.last?.hasPrefix("{\"as_of\":null,\"pack\":") == true)
        for file in ["r.sarif", "r.xml", "r.csv", "r.md"] {
            let text = try String(contentsOfFile: "\(dir)/\(file)", encoding: .utf8)
            #expect(!text.isEmpty, "\(file)")
        }
        let csv = try String(contentsOfFile: "\(dir)/r.csv", encoding: .utf8)
        #expect(
            csv.hasPrefix(
                "id,supplier,customer,end_user,destination,end_use,date,product,quantity,value,hs_code,composition,attributes.form,note,verdict,licence,codes,reasons\r\n"
            ))
        #expect(csv.components(separatedBy: "\r\n").count == 43)
        let bad = try CLI.run(["check", "Samples/orders.csv", "--report", "xml=\(dir)/x"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("unknown format 'xml' in --report"))
        #expect(try CLI.run(["check", "Samples/orders.csv", "--report", "sarif"]).status == 2)
    }

    @Test("the github format writes annotations and appends the Markdown summary to GITHUB_STEP_SUMMARY")
    func github() throws {
        let dir = directory()
        let summary = "\(dir)/summary.md"
        _ = FileManager.default.createFile(atPath: summary, contents: Data("existing\n".utf8))
        let result = try CLI.run(["check", "Samples/orders.csv", "--format", "github"], environment: ["GITHUB_STEP_SUMMARY": summary])
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("::error ") }.count == 10)
        #expect(lines.filter { $0.hasPrefix("::warning ") }.count == 10)
        #expect(lines.contains { $0.hasPrefix("::notice::") && $0.contains("more errors") })
        let text = try String(contentsOfFile: summary, encoding: .utf8)
        #expect(text.hasPrefix("existing\n## Clearance: ❌ deny"))
    }

    @Test("clearances clear reviews, warn about what matched nothing, and --strict-clearances fails on warnings")
    func clearances() throws {
        let dir = directory()
        let orders = "\(dir)/o.csv"
        _ = FileManager.default.createFile(
            atPath: orders,
            contents: Data(
                "id,supplier,customer,destination,end_use,date,product,quantity\nSO-1,ningbo-yunsheng,bosch,DE,automotive,2026-04-10,NDFEB-48H-DY,8 t\n"
                    .utf8))
        let signOff = "\(dir)/c.yaml"
        _ = FileManager.default.createFile(
            atPath: signOff,
            contents: Data(
                """
                clearances:
                  - {id: CLR-1, orders: [SO-1], clears: [licence-condition], by: Li Wei, on: 2026-04-09}
                  - {id: CLR-2, orders: [SO-9], clears: [licence-condition], by: Li Wei, on: 2026-04-09}

                """.utf8))
        let result = try CLI.run(["check", orders, "--clearances", signOff, "--format", "json"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\"code\" : \"cleared\""))
        #expect(result.stdout.contains("\"by\" : \"Li Wei\""))
        #expect(result.stderr.contains("warning: [clearance-unused] clearance 'CLR-2' matched no review reason"))
        #expect(try CLI.run(["check", orders, "--clearances", signOff, "--strict-clearances"]).status == 1)
        let broken = "\(dir)/bad.yaml"
        _ = FileManager.default.createFile(
            atPath: broken, contents: Data("clearances:\n  - {id: X, orders: [SO-1], clears: [x], by: Y}\n".utf8))
        let bad = try CLI.run(["check", orders, "--clearances", broken])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("bad.yaml:2:5: error: [missing-key] clearance 'X' has no 'on'"))
    }

    @Test("--evidence records the pack, the inputs with their hashes, the options and the summary")
    func evidence() throws {
        let dir = directory()
        let result = try CLI.run(["check", "Samples/orders.csv", "--evidence", "\(dir)/evidence.json", "--fail-on", "never"])
        #expect(result.status == 0)
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/evidence.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let inputs = try #require(json["inputs"] as? [[String: Any]])
        #expect(inputs.first?["path"] as? String == "Samples/orders.csv")
        #expect(inputs.first?["lines"] as? Int == 42)
        #expect((inputs.first?["sha256"] as? String)?.hasPrefix("sha256:") == true)
        #expect((json["pack"] as? [String: Any])?["id"] as? String == "cn-rare-earth")
        #expect((json["summary"] as? [String: Int])?["lines"] == 41)
        #expect((json["options"] as? [String: String])?["fail_on"] == "never")
        #expect(json["timestamp"] is String)
        #expect((json["tool"] as? [String: String])?["version"] == "0.1.0")
    }
}

@Suite("CLI: clearance test")
struct PackTestCLITests {
    @Test("the shipped pack's tests pass with full coverage; --min-coverage gates")
    func shipped() throws {
        let result = try CLI.run(["test", "--rules", "Rules/cn-rare-earth", "--coverage", "--min-coverage", "90"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("pack tests, 0 failed"))
        #expect(result.stdout.contains("coverage: "))
    }

    @Test("a failing pack test exits 1; a pack without tests or with a broken test file exits 2")
    func failures() throws {
        let dir = TemporaryFiles.directory("cli")
        try FileManager.default.createDirectory(atPath: dir + "/tests", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: dir + "/pack.yaml", contents: Data("pack: {id: p, version: '1'}\n".utf8))
        #expect(try CLI.run(["test", "--rules", dir]).status == 2)
        _ = FileManager.default.createFile(
            atPath: dir + "/tests/t.yaml",
            contents: Data(
                "tests:\n  - name: wrong\n    orders: [{id: A, date: 2026-01-01, end_use: civil}]\n    expect: [{verdict: deny}]\n".utf8))
        let failing = try CLI.run(["test", "--rules", dir])
        #expect(failing.status == 1)
        #expect(failing.stdout.contains("FAIL  wrong"))
        #expect(failing.stdout.contains("verdict: expected deny, got allow"))
        _ = FileManager.default.createFile(atPath: dir + "/tests/t.yaml", contents: Data("tests:\n  - name: broken\n    ordrs: []\n".utf8))
        let broken = try CLI.run(["test", "--rules", dir])
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("[unknown-key] unknown key 'ordrs'"))
        let coverage = try CLI.run(["test", "--rules", "Rules/cn-rare-earth", "--min-coverage", "101"])
        #expect(coverage.status == 2)
    }
}
