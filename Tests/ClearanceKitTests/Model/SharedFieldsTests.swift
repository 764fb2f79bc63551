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
}
