import Foundation
import Testing

@testable import ClearanceKit

/// Every YAML block of docs/rule-language.md loads and gives the result written next to it.
@Suite("docs/rule-language.md")
struct DocumentationTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/rule-language.md")

    /// The ```yaml blocks of the page, with the 1-based line of their first line.
    static func blocks() throws -> [(text: String, line: Int)] {
        let lines = try String(contentsOf: path, encoding: .utf8).components(separatedBy: "\n")
        var blocks: [(String, Int)] = []
        var current: [String]?
        var start = 0
        for (index, line) in lines.enumerated() {
            if current == nil, line == "```yaml" {
                current = []
                start = index + 2
            } else if current != nil, line == "```" {
                blocks.append((current?.joined(separator: "\n") ?? "", start))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    static func packFiles() throws -> [String: String] {
        var files: [String: String] = [:]
        for block in try blocks() where block.text.hasPrefix("# file: ") {
            let name = String(block.text.prefix { $0 != "\n" }.dropFirst("# file: ".count))
            files[name] = block.text + "\n"
        }
        return files
    }

    @Test("the page has pack files, checks, error examples and an order example")
    func inventory() throws {
        let blocks = try Self.blocks()
        #expect(blocks.filter { $0.text.hasPrefix("# file: ") }.count >= 6)
        #expect(blocks.filter { $0.text.hasPrefix("# error: ") }.count >= 3)
        #expect(blocks.filter { $0.text.hasPrefix("# orders") }.count == 1)
        let kinds = ["# file: ", "# error: ", "# orders", "# clearances", "# tests"]
        #expect(blocks.allSatisfy { block in kinds.contains { block.text.hasPrefix($0) } })
    }

    @Test("the example pack loads, and every '# check:' gives its verdict and codes")
    func checks() throws {
        let pack = try PackLoader().load(path: TestPack.write(try Self.packFiles()))
        var count = 0
        var evaluator = Evaluator(pack: pack, options: EvaluationOptions(today: Day(parsing: "2026-11-27")))
        count += try run(try Self.blocks().filter { $0.text.hasPrefix("# file: ") }, &evaluator)
        for block in try Self.blocks() where block.text.hasPrefix("# clearances") {
            let root = TestPack.write(["c.yaml": block.text])
            let clearances = try ClearanceLoader().load(paths: ["\(root)/c.yaml"], pack: pack)
            var cleared = Evaluator(pack: pack, options: EvaluationOptions(today: Day(parsing: "2026-11-27"), clearances: clearances))
            count += try run([block], &cleared)
            #expect(cleared.clearanceWarnings().isEmpty)
        }
        #expect(count >= 18)
    }

    /// Evaluates the `# check:` lines of `blocks` in order; returns how many there were.
    func run(_ blocks: [(text: String, line: Int)], _ evaluator: inout Evaluator) throws -> Int {
        var count = 0
        for block in blocks {
            for (offset, line) in block.text.components(separatedBy: "\n").enumerated() where line.hasPrefix("# check: ") {
                let parts = line.dropFirst("# check: ".count).components(separatedBy: " => ")
                let order = try TestOrders.read("- " + parts[0], format: .yaml, file: "docs")
                let record = try #require(order.first)
                #expect(record.problems.isEmpty, "docs line \(block.line + offset): \(record.problems)")
                let expected = parts[1].split(separator: " ").map(String.init)
                let result = evaluator.evaluate(record)
                var codes: [String] = []
                for code in result.codes where !codes.contains(code) { codes.append(code) }
                #expect(
                    [result.verdict.name] + codes == expected,
                    "docs line \(block.line + offset): got \(result.verdict) \(codes) — \(result.reasons.map(\.message))")
                count += 1
            }
        }
        return count
    }

    @Test("the '# tests' block passes as a pack test file")
    func packTests() throws {
        let block = try #require(try Self.blocks().first { $0.text.hasPrefix("# tests") })
        var files = try Self.packFiles()
        files["tests/doc.yaml"] = block.text + "\n"
        let root = TestPack.write(files)
        let pack = try PackLoader().load(path: root)
        let tests = try PackTestLoader().load(root: root)
        #expect(tests.count == 1)
        let (outcomes, _) = PackTestRunner(pack: pack, today: nil).run(tests)
        #expect(outcomes.allSatisfy { $0.passed }, "\(PackTestReporter.render(outcomes))")
    }

    @Test("every '# error:' block fails to load with exactly that error")
    func errors() throws {
        for block in try Self.blocks() where block.text.hasPrefix("# error: ") {
            let header = String(block.text.prefix { $0 != "\n" }.dropFirst("# error: ".count))
            let words = header.split(separator: " ")
            let code = String(words[0])
            let position = words[2].split(separator: ":").compactMap { Int($0) }
            let help = header.range(of: "(help: ").map { String(header[$0.upperBound...].dropLast()) }
            var files = try Self.packFiles()
            files["zz-error.yaml"] = block.text + "\n"
            do {
                _ = try PackLoader().load(path: TestPack.write(files))
                Issue.record("docs line \(block.line): the block loaded")
            } catch {
                #expect(error.errors.count == 1, "docs line \(block.line): \(error.errors.map(\.description))")
                let first = try #require(error.errors.first)
                #expect(first.code.rawValue == code, "docs line \(block.line)")
                #expect(first.location.file.hasSuffix("zz-error.yaml"))
                #expect([first.location.line, first.location.column] == position, "docs line \(block.line)")
                if let help { #expect(first.help == help, "docs line \(block.line)") }
            }
        }
    }

    @Test("the order-file example reads without problems and is covered")
    func orders() throws {
        let block = try #require(try Self.blocks().first { $0.text.hasPrefix("# orders") })
        let records = try TestOrders.read(block.text, format: .yaml)
        #expect(records.count == 1)
        #expect(records[0].problems.isEmpty)
        let pack = try PackLoader().load(path: TestPack.write(try Self.packFiles()))
        #expect(TestOrders.evaluate(pack, records)[0].licence == "DOC-GL-1")
    }
}
