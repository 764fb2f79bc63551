import ClearanceWorkload
import Testing

@testable import ClearanceKit

@Suite("ConditionProgram")
struct ConditionProgramTests {
    /// A random condition of `all`, `any` and `not` over leaves that are true, false or unknown on
    /// the test lines (missing fields give unknowns with what they miss).
    static func condition(depth: Int, _ leaves: [(Field, Operator, [Operand])], _ generator: inout SplitMix64) -> Condition {
        let source = SourceLocation(file: "rules.yaml", line: 1, column: 1)
        let pick = Int.random(in: 0..<(depth == 0 ? 1 : 4), using: &generator)
        if pick == 0 {
            let (field, op, operands) = leaves[Int.random(in: 0..<leaves.count, using: &generator)]
            return .leaf(Leaf(field: field, op: op, operands: operands, text: "\(field)", source: source))
        }
        if pick == 1 { return .not(condition(depth: depth - 1, leaves, &generator)) }
        let parts = (0..<Int.random(in: 0...3, using: &generator)).map { _ in condition(depth: depth - 1, leaves, &generator) }
        return pick == 2 ? .all(parts) : .any(parts)
    }

    @Test("gives what walking the condition gives: true, false and unknown with its missing fields (500 random conditions, 4 lines)")
    func matchesConditionEvaluator() throws {
        let pack = try TestPack.load(
            """
            products:
              - {sku: P-1, hs_code: "8505111000", composition: {Dy: 2%}, attributes: {form: Block}}
              - {sku: P-2}
            """)
        let evaluator = ConditionEvaluator(pack: pack)
        let leaves: [(Field, Operator, [Operand])] = [
            (.destination, .in, [.text("DE"), .text("FR")]), (.endUse, .eq, [.text("military")]), (.product, .ne, [.text("P-1")]),
            (.attribute("form"), .eq, [.text("block")]), (.quantity, .gt, [.quantity(try Quantity.parse("10 kg").get())]),
            (.composition("Dy"), .gte, [.percentage(try #require(Percentage.parse("1%")))]), (.id, .exists, []),
        ]
        var generator = SplitMix64(seed: 3)
        let conditions = (0..<500).map { _ in Self.condition(depth: 4, leaves, &generator) }
        let program = ConditionProgram(conditions)
        #expect(program.count == conditions.count)
        let lines: [KeyValuePairs<String, String>] = [
            ["id": "SO-1", "product": "P-1", "destination": "DE", "end_use": "Military", "quantity": "20 kg"],
            ["id": "SO-2", "product": "P-2", "destination": "US", "quantity": "5 pcs"],
            ["product": "P-1", "end_use": "wind-turbines", "quantity": "3 kg"],
            [:],
        ]
        var seen: Set<String> = []
        for fields in lines {
            let order = try #require(TestOrders.record(fields).order)
            let facts = LineFacts(order: order, pack: pack, resolver: pack.partyResolver, asOf: nil)
            for (index, condition) in conditions.enumerated() {
                let expected = evaluator.evaluate(condition, facts)
                #expect(program.evaluate(index, facts, evaluator) == expected, "condition \(index) on \(fields)")
                seen.insert(expected.isTrue ? "true" : expected.isFalse ? "false" : "unknown")
            }
        }
        #expect(seen == ["true", "false", "unknown"])
    }
}
