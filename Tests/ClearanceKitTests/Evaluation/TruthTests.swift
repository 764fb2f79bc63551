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

    static let x = Truth.unknown(missing: ["x"])
    static let y = Truth.unknown(missing: ["y"])
    static let xy = Truth.unknown(missing: ["x", "y"])

    @Test(
        "&& (Kleene and): false wins, then unknown with the missing fields of both, then true",
        arguments: [
            (Truth.true, Truth.true, Truth.true), (.true, .false, .false), (.false, .true, .false), (.false, .false, .false),
            (.true, x, x), (x, .true, x), (.false, x, .false), (x, .false, .false), (x, y, xy), (x, xy, xy),
        ])
    func and(left: Truth, right: Truth, expected: Truth) {
        #expect((left && right) == expected)
    }

    @Test(
        "|| (Kleene or): true wins, then unknown with the missing fields of both, then false",
        arguments: [
            (Truth.true, Truth.true, Truth.true), (.true, .false, .true), (.false, .true, .true), (.false, .false, .false),
            (.true, x, .true), (x, .true, .true), (.false, x, x), (x, .false, x), (x, y, xy), (x, xy, xy),
        ])
    func or(left: Truth, right: Truth, expected: Truth) {
        #expect((left || right) == expected)
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
