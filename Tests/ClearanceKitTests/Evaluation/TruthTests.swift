import Testing

@testable import ClearanceKit

@Suite("Truth")
struct TruthTests {
    static let u = Truth.unknown(missing: ["x"])

    @Test(
        "all: false wins, then unknown, then true",
        arguments: [
            ([Truth.true, .true], Truth.true), ([.true, .false], .false), ([.true, u], u), ([.false, u], .false), ([u, u], u),
            ([], .true),
        ])
    func all(parts: [Truth], expected: Truth) {
        #expect(Truth.all(parts) == expected)
    }

    @Test(
        "any: true wins, then unknown, then false",
        arguments: [
            ([Truth.true, .false], Truth.true), ([.false, .false], .false), ([.false, u], u), ([.true, u], .true), ([u, u], u),
            ([], .false),
        ])
    func any(parts: [Truth], expected: Truth) {
        #expect(Truth.any(parts) == expected)
    }

    @Test("&& is all of two parts, missing fields of both unknowns joined")
    func and() {
        let values: [Truth] = [.true, .false, .unknown(missing: ["x"]), .unknown(missing: ["y", "x"])]
        for left in values {
            for right in values {
                #expect((left && right) == Truth.all([left, right]), "\(left) && \(right)")
            }
        }
    }

    @Test("not swaps true and false and keeps unknown")
    func not() {
        #expect(!Truth.true == .false)
        #expect(!Truth.false == .true)
        #expect(!Self.u == Self.u)
    }

    @Test("unknown collects the missing fields of every unknown part")
    func missingFields() {
        let truth = Truth.all([.unknown(missing: ["composition"]), .unknown(missing: ["date"]), .true])
        #expect(truth.missingFields == ["composition", "date"])
        #expect(Truth.any([.unknown(missing: ["a"]), .unknown(missing: ["b"])]).missingFields == ["a", "b"])
    }
}
