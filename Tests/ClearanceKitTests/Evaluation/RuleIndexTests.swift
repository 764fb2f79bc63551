import Foundation
import Testing

@testable import ClearanceKit

@Suite("Rule index")
struct RuleIndexTests {
    static let pack = """
        products:
          - {sku: GRADE-M, hs_code: "8505111000", attributes: {form: military-grade}}
          - {sku: GRADE-C, hs_code: "8505111000", attributes: {form: magnet}}
        rules:
          - {id: R1-EMBARGO, verdict: deny, when: {destination: [KP, IR]}, reason: "embargo {destination}"}
          - {id: R2-MILITARY, verdict: deny, when: {all: [{date: {gte: 2026-01-01}}, {end_use: [military]}]}, reason: "military"}
          - {id: R3-ANY, verdict: review, when: {any: [{destination: JP}, {end_use: space}]}, reason: "any"}
          - {id: R4-NE, verdict: review, when: {destination: {ne: DE}}, reason: "not DE"}
          - {id: R5-FORM, verdict: review, when: {attributes.form: [military-grade]}, reason: "form"}
          - {id: R6-VALUE, verdict: review, when: {value: {gt: 100 USD}}, reason: "value"}
          - {id: R7-JP, verdict: review, when: {all: [{destination: JP}, {end_use: {exists: true}}]}, reason: "JP"}
        """

    static func record(destination: String?, endUse: String?, product: String?, date: String?, value: String?) -> OrderRecord {
        var fields: [(name: String, text: String)] = [("id", "SO-1")]
        for (name, text) in [("destination", destination), ("end_use", endUse), ("product", product), ("date", date), ("value", value)] {
            if let text { fields.append((name, text)) }
        }
        return OrderSource.record(fields: fields, file: "o", line: 1)
    }

    @Test("a line gets the same reasons with the index as when every rule is evaluated (800 lines)")
    func sameAsFullEvaluation() throws {
        let pack = try TestPack.load(Self.pack)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<800 {
            let record = Self.record(
                destination: [nil, "KP", "IR", "DE", "JP", "US", "kp"].randomElement(using: &generator) ?? nil,
                endUse: [nil, "military", "MILITARY", "Military ", "civil", "space"].randomElement(using: &generator) ?? nil,
                product: [nil, "GRADE-M", "GRADE-C", "UNKNOWN"].randomElement(using: &generator) ?? nil,
                date: [nil, "2025-06-01", "2026-06-01"].randomElement(using: &generator) ?? nil,
                value: [nil, "50 USD", "500 USD", "500 EUR"].randomElement(using: &generator) ?? nil)
            var indexed = Evaluator(pack: pack)
            var everyRule = Evaluator(pack: pack, options: EvaluationOptions(), ledger: LimitLedger(), indexesRules: false)
            let fast = indexed.evaluate(record)
            let full = everyRule.evaluate(record)
            #expect(fast.reasons == full.reasons, "\(record.order.map { "\($0.destination ?? "-") \($0.endUse ?? "-")" } ?? "")")
            #expect(fast.verdict == full.verdict)
        }
    }

    /// The rules `RuleIndex` hands to the evaluator for a line, by id.
    static func candidates(_ pack: Pack, _ record: OrderRecord) throws -> [String] {
        let facts = try #require(Evaluator(pack: pack).facts(of: record))
        return RuleIndex(rules: pack.rules).candidates(facts, conditions: ConditionEvaluator(pack: pack)).map { pack.rules[$0].id }
    }

    @Test("a rule with an `eq` or `in` text test at its top is a candidate only when the line has one of its values or lacks the field")
    func candidates() throws {
        let pack = try TestPack.load(Self.pack)
        let always = ["R3-ANY", "R4-NE", "R6-VALUE"]
        func candidates(_ destination: String?, _ endUse: String?, _ product: String?) throws -> Set<String> {
            try Set(Self.candidates(pack, Self.record(destination: destination, endUse: endUse, product: product, date: nil, value: nil)))
        }
        #expect(try candidates("DE", "civil", "GRADE-C") == Set(always))
        #expect(try candidates("KP", "civil", "GRADE-C") == Set(always + ["R1-EMBARGO"]))
        #expect(try candidates("JP", "Military", "GRADE-C") == Set(always + ["R2-MILITARY", "R7-JP"]))  // end_use is compared without case
        #expect(try candidates("DE", "civil", "GRADE-M") == Set(always + ["R5-FORM"]))  // the catalogue's attribute
        #expect(try candidates(nil, nil, nil) == Set(always + ["R1-EMBARGO", "R2-MILITARY", "R5-FORM", "R7-JP"]))  // unknown, not false
        let ordered = try Self.candidates(pack, Self.record(destination: nil, endUse: nil, product: nil, date: nil, value: nil))
        #expect(ordered == ordered.sorted(), "in rule order")
    }

    @Test("only `eq` and `in` with text operands on a text field, alone or in an `all`, are triggers")
    func triggers() throws {
        let pack = try TestPack.load(Self.pack)
        let triggers = pack.rules.map { rule in RuleIndex.trigger(rule.condition).map { "\($0.field.name) \($0.values.sorted())" } }
        #expect(
            triggers == [
                "destination [\"IR\", \"KP\"]", "end_use [\"military\"]", nil, nil, "attributes.form [\"military-grade\"]", nil,
                "destination [\"JP\"]",
            ])
    }

    @Test("more than 64 rules are indexed across several words")
    func manyRules() throws {
        let rules = (0..<130).map { "  - {id: R\(String(format: "%03d", $0)), verdict: review, when: {end_use: [use-\($0)]}, reason: r}" }
        let pack = try TestPack.load("rules:\n" + rules.joined(separator: "\n"))
        let record = Self.record(destination: nil, endUse: "use-129", product: nil, date: nil, value: nil)
        #expect(try Self.candidates(pack, record) == ["R129"])
        #expect(try Self.candidates(pack, Self.record(destination: nil, endUse: "use-64", product: nil, date: nil, value: nil)) == ["R064"])
        #expect(try Self.candidates(pack, Self.record(destination: nil, endUse: nil, product: nil, date: nil, value: nil)).count == 130)
    }
}
