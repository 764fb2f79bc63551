import Foundation
import Testing

@testable import ClearanceKit

@Suite("Category index")
struct CategoryIndexTests {
    static let pack = """
        categories:
          - {id: C-8505, control: licence, when: {hs_code: {prefix: ["8505"]}}}
          - {id: C-850511, control: review, when: {all: [{hs_code: {prefix: ["850511", "2805"]}}, {composition.Dy: {gt: 0%}}]}}
          - {id: C-ANY, control: prohibited, when: {any: [{hs_code: {prefix: ["9999"]}}, {composition.Tb: {gt: 1%}}]}}
          - {id: C-NOT, control: review, when: {not: {hs_code: {prefix: ["85"]}}}}
        """

    @Test("a line gets the same categories and reasons with the index as when every category is evaluated (600 lines)")
    func sameAsFullEvaluation() throws {
        let pack = try TestPack.load(Self.pack)
        var generator = SystemRandomNumberGenerator()
        let codes = ["", "8505", "85051110", "850511", "8505111000", "2805300000", "99", "9999", "1234", "085", "85"]
        for _ in 0..<600 {
            var fields: [(name: String, text: String)] = [("id", "SO-1"), ("date", "2026-01-01")]
            if let code = codes.randomElement(using: &generator), !code.isEmpty { fields.append(("hs_code", code)) }
            if Bool.random(using: &generator) {
                fields.append(
                    ("composition", "Dy=\(Int.random(in: 0...2, using: &generator))%; Tb=\(Int.random(in: 0...2, using: &generator))%"))
            }
            TestOrders.expectSameAsExplained(pack, fields)
        }
    }

    @Test("only categories whose HS prefix the code has are candidates; others and prefix-free ones always are")
    func candidates() throws {
        let index = CategoryIndex(categories: try TestPack.load(Self.pack).categories)
        #expect(Array(index.candidates(hsCode: "8505111000")) == [0, 1, 2, 3])
        #expect(Array(index.candidates(hsCode: "2805300000")) == [1, 2, 3])
        #expect(Array(index.candidates(hsCode: "7318")) == [2, 3])
        #expect(Array(index.candidates(hsCode: nil)) == [0, 1, 2, 3])
        #expect(CategoryIndex.key(Array("085".utf8)) != CategoryIndex.key(Array("85".utf8)))
        #expect(CategoryIndex.key(Array("8A".utf8)) == nil)
    }

    @Test("codes are looked up at every prefix length the pack uses, shortest and longest included")
    func prefixLengths() throws {
        let pack = try TestPack.load(
            """
            categories:
              - {id: C-LONG, control: review, when: {hs_code: {prefix: ["8505111000"]}}}
              - {id: C-SHORT, control: review, when: {hs_code: {prefix: ["8"]}}}
              - {id: C-MID, control: review, when: {hs_code: {prefix: ["28053"]}}}
            """)
        let index = CategoryIndex(categories: pack.categories)  // sorted: C-LONG, C-MID, C-SHORT
        #expect(Array(index.candidates(hsCode: "8505111000")) == [0, 2])
        #expect(Array(index.candidates(hsCode: "85051110001")) == [0, 2])
        #expect(Array(index.candidates(hsCode: "850511100")) == [2])
        #expect(Array(index.candidates(hsCode: "2805300000")) == [1])
        #expect(Array(index.candidates(hsCode: "2805")) == [])
        #expect(Array(index.candidates(hsCode: "")) == [])
    }
}
