import Foundation
import Testing

@testable import ClearanceKit

@Suite("Product categories")
struct ProductCategoriesTests {
    static let pack = """
        products:
          - {sku: DY-MAG, hs_code: "8505111000", composition: {Dy: 2%}, attributes: {form: sintered}}
          - {sku: TB-MAG, hs_code: "8505111000", composition: {Dy: 0.05%, Tb: 1%}}
          - {sku: NO-SHARES, hs_code: "8505111000", attributes: {form: bonded}}
          - {sku: NO-CODE, composition: {Sm: 20%}}
          - {sku: OXIDE, hs_code: "2846901000", composition: {Dy: 60%}, attributes: {form: powder}}
        categories:
          - id: C-DY
            control: licence
            when: {all: [{hs_code: {prefix: ["850511"]}}, {composition.Dy: {gte: 0.1%}}]}
          - id: C-TB
            control: review
            effective: {from: 2026-03-01}
            suspended: [{from: 2026-06-01, until: 2026-06-30}]
            when: {any: [{composition.Tb: {gt: 0.5%}}, {attributes.form: powder}]}
          - id: C-NOT-SINTERED
            control: review
            when: {all: [{hs_code: {prefix: ["8505"]}}, {not: {attributes.form: sintered}}]}
          - id: C-SM-TO-US
            control: prohibited
            when: {all: [{composition.Sm: {gt: 1%}}, {destination: US}]}
          - id: C-OXIDE
            control: licence
            when: {hs_code: {prefix: ["2846"]}}
        """

    @Test("only categories whose conditions read nothing but HS code, composition and attributes are worked out per product")
    func split() throws {
        let pack = try TestPack.load(Self.pack)
        let categories = try Self.products(pack)
        #expect(categories.memoised.map { pack.categories[$0].id } == ["C-DY", "C-NOT-SINTERED", "C-OXIDE", "C-TB"])
        #expect(categories.lineDependent.map { pack.categories[$0].id } == ["C-SM-TO-US"])
    }

    @Test("a product's entries are its memoised categories that are not false, ascending, with their truth")
    func entries() throws {
        let pack = try TestPack.load(Self.pack)
        let categories = try Self.products(pack)
        let catalogue = LineFacts.Catalogue(pack.products)
        func entries(_ sku: String) throws -> [String] {
            let ordinal = try #require(catalogue.entry(sku)?.ordinal)
            return categories.entries(of: ordinal).map { "\(pack.categories[categories.position(at: $0)].id)=\(categories.truth(at: $0))" }
        }
        // Positions follow the pack's order of categories (by id).
        #expect(try entries("DY-MAG") == ["C-DY=true"])
        // Without attributes, the attribute test is unknown.
        #expect(try entries("TB-MAG") == ["C-NOT-SINTERED=unknown (missing attributes.form)", "C-TB=true"])
        // No composition: the composition tests are unknown, not false.
        #expect(
            try entries("NO-SHARES") == ["C-DY=unknown (missing composition)", "C-NOT-SINTERED=true", "C-TB=unknown (missing composition)"])
        // No HS code: the prefix tests are unknown (C-DY is false all the same: no dysprosium).
        #expect(
            try entries("NO-CODE") == [
                "C-NOT-SINTERED=unknown (missing attributes.form, hs_code)", "C-OXIDE=unknown (missing hs_code)",
                "C-TB=unknown (missing attributes.form)",
            ])
        #expect(try entries("OXIDE") == ["C-OXIDE=true", "C-TB=true"])
    }

    @Test("a line gets the same categories and reasons as when every category is evaluated on it (800 lines)")
    func sameAsFullEvaluation() throws {
        let pack = try TestPack.load(Self.pack)
        var generator = SystemRandomNumberGenerator()
        let products = ["DY-MAG", "TB-MAG", "NO-SHARES", "NO-CODE", "OXIDE", "NOT-IN-CATALOGUE", ""]
        let codes = ["8505111000", "2846901000", "9999"]
        let compositions = ["Dy=2%", "Tb=1%", "Sm=5%", "Nd=30%"]
        let dates = ["2026-01-15", "2026-04-01", "2026-06-15"]
        for _ in 0..<800 {
            var fields: [(name: String, text: String)] = [("id", "SO-1"), ("date", dates.randomElement(using: &generator) ?? "")]
            if let product = products.randomElement(using: &generator), !product.isEmpty { fields.append(("product", product)) }
            // Lines that give product facts of their own: those replace the catalogue's.
            if Int.random(in: 0..<4, using: &generator) == 0, let code = codes.randomElement(using: &generator) {
                fields.append(("hs_code", code))
            }
            if Int.random(in: 0..<4, using: &generator) == 0, let composition = compositions.randomElement(using: &generator) {
                fields.append(("composition", composition))
            }
            if Int.random(in: 0..<4, using: &generator) == 0 {
                fields.append(("attributes.form", Bool.random(using: &generator) ? "sintered" : "powder"))
            }
            if Bool.random(using: &generator) { fields.append(("destination", Bool.random(using: &generator) ? "US" : "DE")) }
            TestOrders.expectSameAsExplained(pack, fields)
        }
    }

    @Test("a line's product facts are the catalogue's only when it gives no HS code, composition or attributes of its own")
    func catalogueOrdinal() throws {
        let pack = try TestPack.load(Self.pack)
        let catalogue = LineFacts.Catalogue(pack.products)
        func ordinal(_ line: OrderLine) -> Int? {
            LineFacts(order: line, pack: pack, resolver: pack.partyResolver, catalogue: catalogue, asOf: nil).catalogueOrdinal
        }
        let own = try #require(catalogue.entry("DY-MAG")?.ordinal)
        #expect(ordinal(OrderLine(product: "DY-MAG")) == own)
        // The same HS code as the catalogue's reads the same.
        #expect(ordinal(OrderLine(hsCode: "8505111000", product: "DY-MAG")) == own)
        #expect(ordinal(OrderLine(hsCode: "8505110000", product: "DY-MAG")) == nil)
        #expect(ordinal(OrderLine(hsCode: "8505111000 ", product: "DY-MAG")) == nil)
        #expect(ordinal(OrderLine(product: "DY-MAG", composition: ["Dy": Percentage(percent: 0)])) == nil)
        #expect(ordinal(OrderLine(product: "DY-MAG", attributes: ["form": "bonded"])) == nil)
        #expect(ordinal(OrderLine(product: "NOT-IN-CATALOGUE")) == nil)
        #expect(ordinal(OrderLine()) == nil)
        // Facts changed after they were built are not the catalogue's either.
        var changed = LineFacts(
            order: OrderLine(product: "DY-MAG"), pack: pack, resolver: pack.partyResolver, catalogue: catalogue, asOf: nil)
        changed.hsCode = "2846901000"
        #expect(changed.catalogueOrdinal == nil)
        // Entries made for one line, outside a catalogue, have none.
        #expect(LineFacts(order: OrderLine(product: "DY-MAG"), pack: pack, resolver: pack.partyResolver, asOf: nil).catalogueOrdinal == nil)
    }

    private static func products(_ pack: Pack) throws -> ProductCategories {
        let catalogue = LineFacts.Catalogue(pack.products)
        let resolver = pack.partyResolver
        return ProductCategories(
            categories: pack.categories, products: catalogue.skus, index: CategoryIndex(categories: pack.categories),
            program: ConditionProgram(pack.categories.map(\.condition)), conditions: ConditionEvaluator(pack: pack)
        ) { sku in LineFacts(order: OrderLine(product: sku), pack: pack, resolver: resolver, catalogue: catalogue, asOf: nil) }
    }
}
