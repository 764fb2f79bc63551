import Testing

@testable import ClearanceKit

@Suite("ConditionEvaluator")
struct ConditionEvaluatorTests {
    static let pack = Result { () throws -> Pack in
        try TestPack.load(
            """
            products:
              - {sku: P-1, hs_code: "8505111000", attributes: {form: Block}}
              - {sku: P-2}
            """)
    }

    /// The text fields and values to compare them with, in several cases.
    static let leaves: [(Field, [String])] = [
        (.id, ["SO-1"]), (.endUse, ["military", "wind-turbines"]), (.hsCode, ["8505111000", "85"]), (.product, ["P-1", "p-1"]),
        (.attribute("form"), ["block", "Block"]), (.destination, ["DE", "FR", "de"]),
    ]

    static let lines: [KeyValuePairs<String, String>] = [
        ["id": "SO-1", "product": "P-1", "destination": "DE", "end_use": "Military"],
        ["id": "SO-2", "product": "P-2", "destination": "FR", "end_use": "wind-turbines", "attributes.form": "BLOCK"],
        ["product": "p-1"],
        [:],
    ]

    @Test("eq, ne, in and not_in on text fields give what the general comparison gives, missing fields included")
    func textFastPathMatchesGeneralPath() throws {
        let pack = try Self.pack.get()
        let evaluator = ConditionEvaluator(pack: pack)
        var compared = 0
        for fields in Self.lines {
            let record = TestOrders.record(fields)
            let order = try #require(record.order)
            let facts = LineFacts(order: order, pack: pack, resolver: pack.partyResolver, asOf: nil)
            for (field, values) in Self.leaves {
                // Operands as the condition parser writes them: case-insensitive fields in lower case.
                let operands = values.map { Operand.text(field.isCaseInsensitive ? $0.lowercased() : $0) }
                for op in [Operator.eq, .ne, .in, .notIn] {
                    let leaf = Leaf(
                        field: field, op: op, operands: op == .eq || op == .ne ? [operands[0]] : operands, text: "\(field) \(op)",
                        source: SourceLocation(file: "rules.yaml", line: 1, column: 1))
                    let fast = evaluator.evaluate(leaf, facts, textFastPath: true)
                    #expect(fast == evaluator.evaluate(leaf, facts, textFastPath: false), "\(field) \(op) on \(fields)")
                    compared += 1
                }
            }
        }
        #expect(compared == Self.lines.count * Self.leaves.count * 4)
    }

    @Test("a party's country is read from its register entry, and from the register again once the party is changed")
    func countryFromEntry() throws {
        let pack = try TestPack.load(
            """
            parties:
              - {id: p-ru, name: Volga Magnets, country: RU}
              - {id: p-de, name: Rhein Magnete, country: DE}
              - {id: p-none, name: Nowhere Trading}
            """)
        let evaluator = ConditionEvaluator(pack: pack)
        let source = SourceLocation(file: "rules.yaml", line: 1, column: 1)
        let order = try #require(TestOrders.record(["supplier": "Rhein Magnete", "customer": "VOLGA MAGNETS LLC"]).order)
        var facts = LineFacts(order: order, pack: pack, resolver: pack.partyResolver, asOf: nil)
        func country(_ field: Field, _ code: String) -> Truth {
            evaluator.evaluate(Leaf(field: field, op: .eq, operands: [.text(code)], text: "\(field)", source: source), facts)
        }
        #expect(country(.customerCountry, "RU") == .true)
        #expect(country(.supplierCountry, "DE") == .true)
        #expect(country(.supplierCountry, "RU") == .false)
        #expect(country(.endUserCountry, "RU") == .unknown(missing: ["end_user"]))
        facts.customer = .party("p-de")
        #expect(country(.customerCountry, "DE") == .true)
        facts.supplier = .party("p-none")
        #expect(country(.supplierCountry, "DE") == .unknown(missing: ["supplier.country"]))
    }

    @Test("the facts hold the order line's fields: read back whole or one by one, and an order line set is what conditions read")
    func orderLineOfFacts() throws {
        let pack = try Self.pack.get()
        let evaluator = ConditionEvaluator(pack: pack)
        let source = SourceLocation(file: "rules.yaml", line: 1, column: 1)
        let order = try #require(TestOrders.record(["id": "SO-7", "product": "P-1", "destination": "DE", "end_use": "wind"]).order)
        var facts = LineFacts(order: order, pack: pack, resolver: pack.partyResolver, asOf: nil)
        #expect(facts.order.id == "SO-7" && facts.order.destination == "DE" && facts.order.endUse == "wind")
        #expect(facts[line: \.destination] == "DE" && facts[line: \.product] == "P-1")
        func destination(_ code: String) -> Truth {
            evaluator.evaluate(Leaf(field: .destination, op: .eq, operands: [.text(code)], text: "destination", source: source), facts)
        }
        #expect(destination("DE") == .true)
        var changed = facts.order
        changed.destination = "FR"
        facts.order = changed
        #expect(facts[line: \.destination] == "FR" && facts.order.id == "SO-7")
        #expect(destination("DE") == .false && destination("FR") == .true)
        // The order line it was made from is left as it was.
        #expect(order.destination == "DE")
        // The end use is compared case-folded, folded again whenever the line changes.
        func endUse(_ text: String) -> Truth {
            evaluator.evaluate(Leaf(field: .endUse, op: .eq, operands: [.text(text)], text: "end_use", source: source), facts)
        }
        #expect(facts.foldedEndUse == "wind" && endUse("wind") == .true)
        changed.endUse = "MILITARY"
        facts.order = changed
        #expect(facts.foldedEndUse == "military" && endUse("military") == .true && endUse("wind") == .false)
        facts.line.endUse = "Space Launch"
        #expect(facts.foldedEndUse == "space launch" && endUse("space launch") == .true && endUse("military") == .false)
        facts.line.endUse = nil
        #expect(facts.foldedEndUse == nil && endUse("space launch") == .unknown(missing: ["end_use"]))
    }

    @Test("a line's composition replaces its product's, its attributes go over the product's, and changed facts read as set")
    func compositionAndAttributesFromProduct() throws {
        let pack = try TestPack.load(
            """
            products:
              - {sku: P-1, composition: {Dy: "2%", Nd: "30%"}, attributes: {form: block, grade: N52}}
              - {sku: P-2}
            """)
        func facts(_ fields: KeyValuePairs<String, String>) throws -> LineFacts {
            let order = try #require(TestOrders.record(fields).order)
            return LineFacts(order: order, pack: pack, resolver: pack.partyResolver, asOf: nil)
        }
        let plain = try facts(["product": "P-1"])
        #expect(plain.composition == ["Dy": try #require(Percentage.parse("2%")), "Nd": try #require(Percentage.parse("30%"))])
        #expect(plain.attributes == ["form": "block", "grade": "N52"])
        let own = try facts(["product": "P-1", "composition.Tb": "1%", "attributes.form": "ring"])
        #expect(own.composition == ["Tb": try #require(Percentage.parse("1%"))])
        #expect(own.attributes == ["form": "ring", "grade": "N52"])
        let bare = try facts(["product": "P-2"])
        #expect(bare.composition == nil)
        #expect(bare.attributes.isEmpty)
        let unknown = try facts(["product": "P-9", "attributes.form": "ring"])
        #expect(unknown.composition == nil && unknown.attributes == ["form": "ring"])
        var changed = plain
        changed.composition = nil
        changed.attributes["form"] = "powder"
        #expect(changed.composition == nil)
        #expect(changed.attributes == ["form": "powder", "grade": "N52"])
        #expect(plain.composition?.count == 2 && plain.attributes["form"] == "block")
        // Read in place, as conditions do: the same answers.
        for sample in [plain, own, bare, unknown, changed] {
            for name in ["form", "grade", "colour"] { #expect(sample.attribute(name) == sample.attributes[name]) }
            for element in ["Dy", "Nd", "Tb"] {
                #expect(sample.share(of: element) == sample.composition.map { $0[element] ?? .zero })
            }
        }
        #expect(own.share(of: "Dy") == .zero && bare.share(of: "Dy") == nil)
    }

    @Test("a product's attributes and shares read in place answer as its dictionaries, few or many, in any Unicode form")
    func productPairs() throws {
        let many = (1...10).map { "a\($0): v\($0)" }.joined(separator: ", ")
        let elements = ["Dy", "Nd", "Tb", "Pr", "Sm", "Co", "Fe", "B", "Cu", "Ga"].map { "\($0): \"1%\"" }.joined(separator: ", ")
        let pack = try TestPack.load(
            """
            products:
              - {sku: FEW, composition: {Dy: "2%"}, attributes: {"caf\u{E9}": yes, form: block}}
              - {sku: MANY, composition: {\(elements)}, attributes: {\(many)}}
            """)
        for sku in ["FEW", "MANY"] {
            let order = try #require(TestOrders.record(["product": sku]).order)
            let facts = LineFacts(order: order, pack: pack, resolver: pack.partyResolver, asOf: nil)
            for name in ["form", "caf\u{E9}", "cafe\u{301}", "a1", "a10", "a11", "colour"] {
                #expect(facts.attribute(name) == facts.attributes[name], "\(sku) \(name)")
            }
            for element in ["Dy", "Ga", "Ho"] {
                #expect(facts.share(of: element) == facts.composition.map { $0[element] ?? .zero }, "\(sku) \(element)")
            }
        }
    }

    @Test("the fast path decides true, false and unknown")
    func textFastPathOutcomes() throws {
        let pack = try Self.pack.get()
        let evaluator = ConditionEvaluator(pack: pack)
        let source = SourceLocation(file: "rules.yaml", line: 1, column: 1)
        let leaf = Leaf(field: .endUse, op: .in, operands: [.text("military"), .text("defence")], text: "end_use in", source: source)
        func truth(_ fields: KeyValuePairs<String, String>) throws -> Truth {
            let order = try #require(TestOrders.record(fields).order)
            return evaluator.evaluate(leaf, LineFacts(order: order, pack: pack, resolver: pack.partyResolver, asOf: nil))
        }
        #expect(try truth(["end_use": "Defence"]) == .true)
        #expect(try truth(["end_use": "civil"]) == .false)
        #expect(try truth(["id": "SO-1"]) == .unknown(missing: ["end_use"]))
    }

    @Test("a leaf on a field the line lacks is unknown, missing the field's name (or what stands for it), on both paths")
    func missingFieldNames() throws {
        let pack = try TestPack.load(
            """
            parties:
              - {id: p-none, name: Nowhere Trading}
            """)
        let evaluator = ConditionEvaluator(pack: pack)
        let source = SourceLocation(file: "rules.yaml", line: 1, column: 1)
        let order = try #require(TestOrders.record(["id": "SO-1", "customer": "p-none", "end_user": "Zeta Ltd"]).order)
        let facts = LineFacts(order: order, pack: pack, resolver: pack.partyResolver, asOf: nil)
        let day = try #require(Day(parsing: "2026-01-01"))
        let cases: [(Field, Operator, Operand, String)] = [
            (.date, .gte, .day(day), "date"),
            (.quantity, .gt, .quantity(try Quantity.parse("5 kg").get()), "quantity"),
            (.value, .lt, .money(try Money.parse("100 USD").get()), "value"),
            (.destination, .eq, .text("DE"), "destination"),
            (.endUse, .eq, .text("military"), "end_use"),
            (.attribute("form"), .eq, .text("block"), "attributes.form"),
            (.composition("Dy"), .gte, .percentage(try #require(Percentage.parse("1%"))), "composition"),
            (.supplier, .eq, .text("p-none"), "supplier"),
            (.customerCountry, .eq, .text("DE"), "customer.country"),
            (.endUser, .eq, .text("p-none"), "end_user ('Zeta Ltd' is not a known party)"),
        ]
        for (field, op, operand, missing) in cases {
            let leaf = Leaf(field: field, op: op, operands: [operand], text: "\(field.name)", source: source)
            for fastPath in [true, false] {
                #expect(
                    evaluator.evaluate(leaf, facts, textFastPath: fastPath) == .unknown(missing: [missing]), "\(field.name), \(fastPath)")
            }
        }
    }
}
