import Foundation
import Testing

@testable import ClearanceKit

@Suite("Pack tests")
struct PackTestRunnerTests {
    func pack(tests: String) throws -> (Pack, String) {
        let root = TestPack.write(["rules.yaml": TestPack.header + CoveragePack.yaml, "tests/t.yaml": tests])
        return (try PackLoader().load(path: root), root)
    }

    static let passing = """
        tests:
          - name: alpha is covered
            orders:
              - {supplier: maker, customer: alpha, product: DY-MAG, quantity: 1 t, destination: DE, date: 2026-03-01, end_use: civil}
            expect:
              - {verdict: allow, licence: L-EARLY, codes: [covered], categories: [DY]}
        """

    @Test("a passing test passes, and coverage counts what it exercised")
    func passes() throws {
        let (pack, root) = try pack(tests: Self.passing)
        let tests = try PackTestLoader().load(root: root)
        #expect(tests.count == 1)
        let (outcomes, coverage) = PackTestRunner(pack: pack, today: nil).run(tests)
        #expect(outcomes.allSatisfy { $0.passed })
        #expect(coverage.exercised.contains(.init(group: "category", name: "DY applies")))
        #expect(coverage.exercised.contains(.init(group: "licence", name: "L-EARLY covers")))
        #expect(coverage.exercised.contains(.init(group: "licence", name: "L-LATE covers")) == false)
        #expect(coverage.percentage > 0 && coverage.percentage < 100)
        #expect(coverage.missed.contains(.init(group: "rule", name: "NO-MILITARY applies")))
        #expect(PackTestReporter.render(outcomes).hasSuffix("1 pack test, 0 failed\n"))
    }

    @Test("a failing test prints what was expected and what came out, with the reasons")
    func fails() throws {
        let failing = Self.passing.replacingOccurrences(
            of: "{verdict: allow, licence: L-EARLY, codes: [covered], categories: [DY]}",
            with: "{verdict: deny, licence: ~, codes: [no-licence], categories: [TB]}")
        let (pack, root) = try pack(tests: failing)
        let (outcomes, _) = PackTestRunner(pack: pack, today: nil).run(try PackTestLoader().load(root: root))
        #expect(!outcomes[0].passed)
        let text = PackTestReporter.render(outcomes)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "FAIL  alpha is covered  (\(root)/tests/t.yaml:2:5)")
        #expect(lines[1] == "      order 1 (\(root)/tests/t.yaml:6:9):")
        #expect(lines[2] == "        verdict: expected deny, got allow")
        #expect(lines[3] == "        licence: expected none, got L-EARLY")
        #expect(lines[4] == "        codes: expected no-licence among [covered]")
        #expect(lines[5] == "        categories: expected [TB], got [DY]")
        #expect(lines[6] == "        got allow (licence L-EARLY), because:")
        #expect(lines[7] == "          allow [covered] L-EARLY: covered by licence L-EARLY for category DY")
        #expect(lines.last == "1 pack test, 1 failed")
    }

    @Test("usage carries between the lines of one test, not between tests")
    func usagePerTest() throws {
        let order =
            "      - {supplier: maker, customer: alpha, product: DY-MAG, quantity: 5 t, destination: DE, date: 2026-03-01, end_use: civil}\n"
        let test = "  - name: NAME\n    orders:\n" + order + order + "    expect:\n      - {licence: L-EARLY}\n      - {licence: L-LATE}\n"
        let (pack, root) = try pack(
            tests: "tests:\n" + test.replacingOccurrences(of: "NAME", with: "one") + test.replacingOccurrences(of: "NAME", with: "two"))
        let (outcomes, _) = PackTestRunner(pack: pack, today: nil).run(try PackTestLoader().load(root: root))
        #expect(outcomes.map(\.passed) == [true, true])
    }

    @Test("test files have positioned errors")
    func errors() throws {
        let (_, root) = try pack(
            tests: """
                tests:
                  - name: bad
                    orders:
                      - {supplier: maker}
                    expect:
                      - {verdict: allow, codes: [coverd]}
                      - {verdict: deny}
                  - name: worse
                    orders: []
                    expect: []
                    expet: []
                """)
        do {
            _ = try PackTestLoader().load(root: root)
            Issue.record("loaded")
        } catch {
            let codes = error.errors.map(\.code)
            #expect(codes.contains(.badValue))
            #expect(codes.contains(.unknownKey))
            #expect(
                error.errors.contains { $0.message == "test 'bad' has 1 order lines but 2 expectations" && $0.location.line == 6 },
                "\(error.errors.map(\.description))")
        }
    }

    @Test("the shipped pack's tests pass with at least 90% coverage")
    func shippedPack() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Rules/cn-rare-earth").path
        let pack = try PackLoader().load(path: root)
        let tests = try PackTestLoader().load(root: root)
        let (outcomes, coverage) = PackTestRunner(pack: pack, today: Day(parsing: "2026-11-27")).run(tests)
        #expect(outcomes.count >= 10)
        #expect(outcomes.allSatisfy { $0.passed }, "\(PackTestReporter.render(outcomes))")
        #expect(coverage.percentage >= 90, "\(PackTestReporter.render(coverage))")
    }
}
