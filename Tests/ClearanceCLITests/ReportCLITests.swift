import Foundation
import Testing

@Suite("CLI: reports, clearances and evidence")
struct ReportCLITests {
    func directory() -> String {
        let path = NSTemporaryDirectory() + "clearance-cli-" + UUID().uuidString
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
        #expect(csv.hasPrefix("id,supplier,customer,end_user,destination,end_use,date,product,quantity,value,hs_code,composition,attributes.form,note,verdict,licence,codes,reasons\r\n"))
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
        FileManager.default.createFile(atPath: summary, contents: Data("existing\n".utf8))
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
        FileManager.default.createFile(
            atPath: orders,
            contents: Data(
                "id,supplier,customer,destination,end_use,date,product,quantity\nSO-1,ningbo-yunsheng,bosch,DE,automotive,2026-04-10,NDFEB-48H-DY,8 t\n".utf8))
        let signOff = "\(dir)/c.yaml"
        FileManager.default.createFile(
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
        FileManager.default.createFile(atPath: broken, contents: Data("clearances:\n  - {id: X, orders: [SO-1], clears: [x], by: Y}\n".utf8))
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
