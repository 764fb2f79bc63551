import Testing

@testable import ClearanceKit

@Suite("Shared fields")
struct SharedFieldsTests {
    @Test("a changed copy of an order line has the change; the original and other copies do not")
    func copiesAreIndependent() {
        var original = OrderLine(id: "SO-1", customer: "Acme", attributes: ["form": "block"])
        var copy = original
        let untouched = original
        copy.customer = "Other"
        copy.attributes["form"] = "powder"
        original.id = "SO-2"
        #expect(copy.customer == "Other" && copy.attributes == ["form": "powder"] && copy.id == "SO-1")
        #expect(original.customer == "Acme" && original.attributes == ["form": "block"] && original.id == "SO-2")
        #expect(untouched.id == "SO-1" && untouched.customer == "Acme" && untouched.attributes == ["form": "block"])
    }

    @Test("changing fields through the shared set changes only the value changed")
    func sharedFields() {
        var first = SharedFields([1, 2, 3])
        let second = first
        first.change { $0.append(4) }
        #expect(first.values == [1, 2, 3, 4])
        #expect(second.values == [1, 2, 3])
    }

    @Test("reasons: a changed copy is its own; equality and hashing compare fields, not sharing")
    func reasons() {
        let location = SourceLocation(file: "rules.yaml", line: 3, column: 5)
        let original = Reason(verdict: .review, code: .licenceCondition, rule: "L1", message: "over 5 t", source: location)
        var cleared = original
        cleared.clearance = ClearanceStamp(id: "CLR-1", by: "officer", on: Day(ordinal: 20_000), code: .licenceCondition, source: location)
        cleared.code = .cleared
        #expect(original.clearance == nil && original.code == .licenceCondition)
        #expect(cleared.clearance?.id == "CLR-1" && cleared.code == .cleared && cleared.message == "over 5 t")
        // Built apart, with the same fields: equal, same hash; one field apart: not equal.
        let twin = Reason(verdict: .review, code: .licenceCondition, rule: "L1", message: "over 5 t", source: location)
        #expect(twin == original && twin.hashValue == original.hashValue)
        #expect(Set([original, twin, cleared]).count == 2)
        var other = twin
        other.field = "quantity"
        #expect(other != original)
    }
}
