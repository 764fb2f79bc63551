import Foundation
import Testing

@testable import ClearanceKit

@Suite("Clearances")
struct ClearanceTests {
    let pack: Pack

    init() throws { pack = try CoveragePack.pack() }

    func clearances(_ yaml: String) throws -> [ManualClearance] {
        let root = TestPack.write(["c.yaml": yaml])
        return try ClearanceLoader().load(paths: ["\(root)/c.yaml"], pack: pack)
    }

    func loadErrors(_ yaml: String) -> [PackLoadError] {
        let root = TestPack.write(["c.yaml": yaml])
        do {
            _ = try ClearanceLoader().load(paths: ["\(root)/c.yaml"], pack: pack)
            return []
        } catch {
            return error.errors
        }
    }

    func run(_ clearances: [ManualClearance], _ records: [OrderRecord], today: String = "2026-03-02") -> (
        results: [LineResult], warnings: [PackWarning]
    ) {
        var evaluator = Evaluator(pack: pack, options: EvaluationOptions(today: Day(parsing: today), clearances: clearances))
        let results = records.map { evaluator.evaluate($0) }
        return (results, evaluator.clearanceWarnings())
    }

    static let signOff = """
        clearances:
          - id: CLR-2026-014
            orders: [SO-alpha]
            clears: [licence-condition]
            by: Li Wei (export control officer)
            on: 2026-01-12
            expires: 2026-03-31
            note: Sign-off per licence condition 1, file EC-2026-88
        """

    @Test("a clearance turns matching review reasons into cleared and the line is allowed")
    func clears() throws {
        let (results, warnings) = run(try clearances(Self.signOff), [CoveragePack.line(quantity: "4.5 t")])
        let result = results[0]
        #expect(result.verdict == .allow)
        #expect(result.codes == ["cleared", "covered"])
        let cleared = result.reasons[0]
        #expect(cleared.verdict == .allow)
        #expect(cleared.rule == "L-EARLY")
        #expect(cleared.message == "cleared by CLR-2026-014 (Li Wei (export control officer), 2026-01-12): big shipment: 4500 kg")
        #expect(cleared.clearance?.code == .licenceCondition)
        #expect(cleared.clearance?.by == "Li Wei (export control officer)")
        #expect(warnings.isEmpty)
    }

    @Test("a clearance never clears a deny")
    func neverDeny() throws {
        let yaml = "clearances:\n  - {id: C, orders: [SO-gamma], clears: [no-licence, DY], by: X, on: 2026-01-01}\n"
        let (results, warnings) = run(try clearances(yaml), [CoveragePack.line("gamma")])
        #expect(results[0].verdict == .deny)
        #expect(results[0].codes == ["no-licence"])
        #expect(warnings.map(\.code) == [.clearanceUnused])
    }

    @Test("only review reasons that the clearance names are cleared; others keep the line in review")
    func partial() throws {
        let yaml = "clearances:\n  - {id: C, when: {customer: alpha}, clears: [unknown-party], by: X, on: 2026-01-01}\n"
        let line = CoveragePack.line(quantity: "4.5 t", extra: ["end_user": "Nobody Known"])
        let (results, _) = run(try clearances(yaml), [line])
        #expect(results[0].verdict == .review)
        #expect(results[0].codes == ["licence-condition", "cleared", "covered"])
    }

    @Test("a clearance may name the rule id instead of the code")
    func byRuleID() throws {
        let yaml = "clearances:\n  - {id: C, orders: [SO-alpha], clears: [L-EARLY], by: X, on: 2026-01-01}\n"
        #expect(run(try clearances(yaml), [CoveragePack.line(quantity: "4.5 t")]).results[0].verdict == .allow)
    }

    @Test("an expired clearance is not applied and is reported")
    func expired() throws {
        let (results, warnings) = run(try clearances(Self.signOff), [CoveragePack.line(quantity: "4.5 t")], today: "2026-04-01")
        #expect(results[0].verdict == .review)
        #expect(warnings.map(\.code) == [.clearanceExpired])
        #expect(warnings[0].message == "clearance 'CLR-2026-014' expired on 2026-03-31 and was not applied")
    }

    @Test("unknown codes and uncleared input errors are warnings")
    func unknownCodes() throws {
        let yaml = "clearances:\n  - {id: C, orders: [SO-alpha], clears: [licence-conditon, input-error], by: X, on: 2026-01-01}\n"
        let (results, warnings) = run(try clearances(yaml), [CoveragePack.line(quantity: "5 KG")])
        #expect(results[0].verdict == .review)
        #expect(warnings.map(\.code.rawValue).sorted() == ["clearance-unknown-code", "clearance-unknown-code", "clearance-unused"])
        #expect(warnings.contains { $0.help == "did you mean 'licence-condition'?" })
        #expect(warnings.contains { $0.message == "clearance 'C' names 'input-error', which cannot be cleared" })
    }

    @Test("clearance files have positioned load errors")
    func errors() {
        let typo = loadErrors("clearances:\n  - {id: C, orders: [A], clears: [x], by: X, onn: 2026-01-01}\n")
        #expect(typo.map(\.code) == [.missingKey, .unknownKey])
        #expect(typo.allSatisfy { $0.location.line == 2 })
        #expect(typo.last?.help == "did you mean 'on'?")
        let both = loadErrors("clearances:\n  - {id: C, orders: [A], when: {customer: alpha}, clears: [x], by: X, on: 2026-01-01}\n")
        #expect(both.first?.message == "clearance 'C' needs exactly one of 'orders' and 'when'")
        let party = loadErrors("clearances:\n  - {id: C, when: {customer: alpa}, clears: [x], by: X, on: 2026-01-01}\n")
        #expect(party.first?.code == .undefinedReference)
        #expect(party.first?.help == "did you mean 'alpha'?")
        let duplicate = loadErrors(
            "clearances:\n  - {id: C, orders: [A], clears: [x], by: X, on: 2026-01-01}\n  - {id: C, orders: [B], clears: [x], by: X, on: 2026-01-01}\n"
        )
        #expect(duplicate.map(\.code) == [.duplicateID])
        #expect(loadErrors("clearances:\n  - {id: C, orders: [A], clears: [x], by: X, on: 2026-02-30}\n").first?.code == .badValue)
    }
}
