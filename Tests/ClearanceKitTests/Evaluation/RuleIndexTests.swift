import Foundation
import Testing

@testable import ClearanceKit

@Suite("Rule index")
struct RuleIndexTests {
    static let pack = """
        parties:
          - {id: p-ru, name: Volga Magnets, country: RU}
          - {id: p-de, name: Rhein Magnete, country: DE}
          - {id: p-none, name: Nowhere Trading}
          - {id: p-twin-a, name: Twin Trading}
          - {id: p-twin-b, name: Twin Trading}
        products:
          - {sku: GRADE-M, hs_code: "8505111000", attributes: {form: military-grade}}
          - {sku: GRADE-C, hs_code: "8505111000", attributes: {form: magnet}}
          - {sku: NO-FORM, hs_code: "8505111000"}
          - {sku: OXIDE, hs_code: "2846901000", attributes: {form: Military-Grade}}
        rules:
          - {id: R1-EMBARGO, verdict: deny, when: {destination: [KP, IR]}, reason: "embargo {destination}"}
          - {id: R2-MILITARY, verdict: deny, when: {all: [{date: {gte: 2026-01-01}}, {end_use: [military]}]}, reason: "military"}
          - {id: R3-ANY, verdict: review, when: {any: [{destination: JP}, {end_use: space}]}, reason: "any"}
          - {id: R4-NE, verdict: review, when: {destination: {ne: DE}}, reason: "not DE"}
          - {id: R5-FORM, verdict: review, when: {attributes.form: [military-grade]}, reason: "form"}
          - {id: R6-VALUE, verdict: review, when: {value: {gt: 100 USD}}, reason: "value"}
          - {id: R7-JP, verdict: review, when: {all: [{destination: JP}, {end_use: {exists: true}}]}, reason: "JP"}
          - {id: R8-RU, verdict: review, when: {customer.country: [RU, BY]}, reason: "customer in {customer}"}
          - {id: R9-BARRED, verdict: deny, when: {all: [{end_user: {exists: true}}, {end_user: [p-ru]}]}, reason: "barred"}
          - {id: RA-SMALL, verdict: review, when: {all: [{date: {gte: 2026-01-01}}, {quantity: {lte: 5 t}}]}, reason: "small"}
          - {id: RB-LARGE, verdict: review, when: {quantity: {gt: 5000 kg}}, reason: "large"}
          - {id: RC-CHEAP, verdict: review, when: {value: {lt: 100 USD}}, reason: "cheap"}
          - {id: RD-DEAR, verdict: review, when: {value: {gte: 500 USD}}, reason: "dear"}
          - {id: RE-OXIDE, verdict: review, when: {all: [{hs_code: ["2846901000"]}, {destination: {ne: CN}}]}, reason: "oxide"}
        """

    static func record(
        destination: String?, endUse: String?, product: String?, date: String?, value: String?, customer: String? = nil,
        endUser: String? = nil, quantity: String? = nil, hsCode: String? = nil, form: String? = nil
    ) -> OrderRecord {
        var fields: [(name: String, text: String)] = [("id", "SO-1")]
        let given = [
            ("destination", destination), ("end_use", endUse), ("product", product), ("date", date), ("value", value),
            ("customer", customer),
            ("end_user", endUser), ("quantity", quantity), ("hs_code", hsCode), ("attributes.form", form),
        ]
        for (name, text) in given {
            if let text { fields.append((name, text)) }
        }
        return OrderSource.record(fields: fields, file: "o", line: 1)
    }

    /// Party fields as lines give them: by id, by name, unknown, ambiguous, absent.
    static let parties: [String?] = [nil, "p-ru", "Volga Magnets Ltd", "p-de", "p-none", "Twin Trading", "Somebody Else"]

    /// Values on, below and above the rules' bounds, and in another currency.
    static let values: [String?] = [nil, "50 USD", "99.999 USD", "100 USD", "499 USD", "500 USD", "500.0 USD", "500 EUR"]

    @Test("a line gets the same reasons with the index as when every rule is evaluated (800 lines)")
    func sameAsFullEvaluation() throws {
        let pack = try TestPack.load(Self.pack)
        var generator = SystemRandomNumberGenerator()
        // Made once: the pack has no licences, so a line's result does not depend on the lines
        // before it (an evaluator made for each line was most of this test's time).
        var indexed = Evaluator(pack: pack)
        var everyRule = Evaluator(pack: pack, options: EvaluationOptions(), ledger: LimitLedger(), indexesRules: false)
        #expect(pack.licences.isEmpty)
        for _ in 0..<800 {
            let record = Self.record(
                destination: [nil, "KP", "IR", "DE", "JP", "US", "kp"].randomElement(using: &generator) ?? nil,
                endUse: [nil, "military", "MILITARY", "Military ", "civil", "space"].randomElement(using: &generator) ?? nil,
                product: [nil, "GRADE-M", "GRADE-C", "NO-FORM", "OXIDE", "UNKNOWN"].randomElement(using: &generator) ?? nil,
                date: [nil, "2025-06-01", "2026-06-01"].randomElement(using: &generator) ?? nil,
                value: Self.values.randomElement(using: &generator) ?? nil,
                customer: Self.parties.randomElement(using: &generator) ?? nil,
                endUser: Self.parties.randomElement(using: &generator) ?? nil,
                quantity: [nil, "4 t", "5 t", "5000 kg", "5000.001 kg", "6 t", "5000 pcs"].randomElement(using: &generator) ?? nil,
                // A line's own product facts replace the catalogue's (the rules on them are then
                // not taken from the product's).
                hsCode: [nil, nil, nil, "2846901000", "8505111000"].randomElement(using: &generator) ?? nil,
                form: [nil, nil, nil, "military-grade", "magnet"].randomElement(using: &generator) ?? nil)
            let fast = indexed.evaluate(record)
            let full = everyRule.evaluate(record)
            #expect(fast.reasons == full.reasons, "\(record.order.map { "\($0.destination ?? "-") \($0.endUse ?? "-")" } ?? "")")
            #expect(fast.verdict == full.verdict)
        }
    }

    @Test("the rules a catalogue product's facts trigger, worked out once, are those its lines' own facts trigger")
    func productCandidates() throws {
        let pack = try TestPack.load(Self.pack)
        let index = RuleIndex(rules: pack.rules)
        let conditions = ConditionEvaluator(pack: pack)
        #expect(index.hasProductTriggers)
        #expect(!RuleIndex(rules: Array(pack.rules.prefix(4))).hasProductTriggers)
        let evaluator = Evaluator(pack: pack)
        func ids(_ rules: PositionSet) -> [String] { rules.map { pack.rules[$0].id } }
        for product in ["GRADE-M", "GRADE-C", "NO-FORM", "OXIDE"] {
            let record = Self.record(destination: "DE", endUse: "civil", product: product, date: nil, value: nil, customer: "p-de")
            let facts = try #require(evaluator.facts(of: record))
            let product = index.productCandidates(facts, conditions: conditions)
            #expect(
                ids(index.candidates(facts, conditions: conditions, product: product))
                    == ids(index.candidates(facts, conditions: conditions)))
        }
        // Only the product triggers: the form (case-folded) and the HS code; an unknown form lets its rule fire.
        func productRules(_ product: String) throws -> [String] {
            let record = Self.record(destination: nil, endUse: nil, product: product, date: nil, value: nil)
            return ids(index.productCandidates(try #require(evaluator.facts(of: record)), conditions: conditions))
        }
        #expect(try productRules("GRADE-M") == ["R5-FORM"])
        #expect(try productRules("GRADE-C") == [])
        #expect(try productRules("NO-FORM") == ["R5-FORM"])
        #expect(try productRules("OXIDE") == ["R5-FORM", "RE-OXIDE"])
    }

    @Test("a trigger finds the rules of every two-letter text (a country) as its text index does, and of texts that are not one")
    func twoLetterTexts() throws {
        let pack = try TestPack.load(
            Self.pack + "\n"
                + """
                  - {id: RF-IDS, verdict: review, when: {id: [AB, ZZ, kp, Kp, K, KPX, "1A", "@A", "[Z", SO-1]}, reason: "ids"}
                """)
        let index = RuleIndex(rules: pack.rules)
        let fields: [Field] = [.destination, .customerCountry, .id]
        #expect(fields.allSatisfy(index.triggerFields.contains))
        let letters = UInt8(ascii: "A")...UInt8(ascii: "Z")
        let codes = letters.flatMap { first in letters.map { String(decoding: [first, $0], as: UTF8.self) } }
        // Around the table's edges: lower case, one or three letters, the bytes next to A and Z,
        // non-ASCII and NUL bytes, a long text.
        let others = [
            "kp", "Kp", "kP", "K", "KPX", "1A", "@A", "[Z", "A@", "Z[", "", "É", "ÉA", "K\u{0}", "Korea, Democratic People's Republic",
        ]
        for field in fields {
            for text in codes + others {
                let (rules, indexed) = try #require(index.triggerRules(field, text))
                #expect(rules == indexed, "\(field) '\(text)'")
            }
        }
        func ids(_ field: Field, _ text: String) throws -> [String] {
            try #require(index.triggerRules(field, text)).rules.map { $0.map { pack.rules[$0].id } } ?? []
        }
        #expect(try ids(.destination, "KP") == ["R1-EMBARGO"])
        #expect(try ids(.destination, "JP") == ["R7-JP"])
        #expect(try ids(.destination, "DE") == [])
        #expect(try ids(.customerCountry, "BY") == ["R8-RU"])
        #expect(try ids(.id, "AB") == ["RF-IDS"])
        #expect(try ids(.id, "ZZ") == ["RF-IDS"])
        #expect(try ids(.id, "[Z") == ["RF-IDS"])
        #expect(try ids(.id, "KPX") == ["RF-IDS"])
    }

    /// The rules `RuleIndex` hands to the evaluator for a line, by id.
    static func candidates(_ pack: Pack, _ record: OrderRecord) throws -> [String] {
        let facts = try #require(Evaluator(pack: pack).facts(of: record))
        return RuleIndex(rules: pack.rules).candidates(facts, conditions: ConditionEvaluator(pack: pack)).map { pack.rules[$0].id }
    }

    @Test("a rule with an `eq` or `in` text test at its top is a candidate only when the line has one of its values or lacks the field")
    func candidates() throws {
        let pack = try TestPack.load(Self.pack)
        // No value or quantity: evaluated. (No end user either: R9-BARRED, which requires one to
        // exist, is false.)
        let always = ["R3-ANY", "R4-NE", "R6-VALUE", "RA-SMALL", "RB-LARGE", "RC-CHEAP", "RD-DEAR"]
        func candidates(_ destination: String?, _ endUse: String?, _ product: String?, customer: String = "p-de") throws -> Set<String> {
            try Set(
                Self.candidates(
                    pack, Self.record(destination: destination, endUse: endUse, product: product, date: nil, value: nil, customer: customer)
                ))
        }
        #expect(try candidates("DE", "civil", "GRADE-C") == Set(always))
        #expect(try candidates("KP", "civil", "GRADE-C") == Set(always + ["R1-EMBARGO"]))
        #expect(try candidates("JP", "Military", "GRADE-C") == Set(always + ["R2-MILITARY", "R7-JP"]))  // end_use is compared without case
        #expect(try candidates("DE", "civil", "GRADE-M") == Set(always + ["R5-FORM"]))  // the catalogue's attribute
        // Unknown, not false:
        #expect(try candidates(nil, nil, nil) == Set(always + ["R1-EMBARGO", "R2-MILITARY", "R5-FORM", "R7-JP", "RE-OXIDE"]))
        // Party and country fields: the register's value when the party is known, else evaluated.
        #expect(try candidates("DE", "civil", "GRADE-C", customer: "Volga Magnets") == Set(always + ["R8-RU"]))
        #expect(try candidates("DE", "civil", "GRADE-C", customer: "p-none") == Set(always + ["R8-RU"]))  // no country
        #expect(try candidates("DE", "civil", "GRADE-C", customer: "Twin Trading") == Set(always + ["R8-RU"]))  // ambiguous
        let barred = Self.record(
            destination: "DE", endUse: "civil", product: "GRADE-C", date: nil, value: nil, customer: "p-de", endUser: "p-de")
        #expect(try Self.candidates(pack, barred) == always)
        // An end user the register does not know exists, so R9-BARRED is unknown, not false; a
        // known one is looked up.
        for (endUser, fires) in [("Somebody Else", true), ("Twin Trading", true), ("Volga Magnets", true), ("p-de", false)] {
            let record = Self.record(
                destination: "DE", endUse: "civil", product: "GRADE-C", date: nil, value: nil, customer: "p-de", endUser: endUser)
            #expect(try Self.candidates(pack, record).contains("R9-BARRED") == fires, "\(endUser)")
        }
        let ordered = try Self.candidates(pack, Self.record(destination: nil, endUse: nil, product: nil, date: nil, value: nil))
        #expect(ordered == ordered.sorted(), "in rule order")
    }

    @Test("a rule with a bound on the value or the quantity is a candidate unless the line's value is known, comparable and outside it")
    func thresholds() throws {
        let pack = try TestPack.load(Self.pack)
        func numeric(value: String?, quantity: String?) throws -> [String] {
            let record = Self.record(
                destination: "DE", endUse: "civil", product: "GRADE-C", date: nil, value: value, customer: "p-de", quantity: quantity)
            return try Self.candidates(pack, record).filter { ["R6-VALUE", "RA-SMALL", "RB-LARGE", "RC-CHEAP", "RD-DEAR"].contains($0) }
        }
        #expect(try numeric(value: "50 USD", quantity: "4 t") == ["RA-SMALL", "RC-CHEAP"])
        #expect(try numeric(value: "100 USD", quantity: "5000 kg") == ["RA-SMALL"])  // bounds: gt and lt exclude, lte includes
        #expect(try numeric(value: "500 USD", quantity: "5000.001 kg") == ["R6-VALUE", "RB-LARGE", "RD-DEAR"])
        // Another currency or dimension: incomparable, so unknown.
        #expect(try numeric(value: "500 EUR", quantity: "5000 pcs") == ["R6-VALUE", "RA-SMALL", "RB-LARGE", "RC-CHEAP", "RD-DEAR"])
        #expect(try numeric(value: nil, quantity: nil) == ["R6-VALUE", "RA-SMALL", "RB-LARGE", "RC-CHEAP", "RD-DEAR"])  // unknown
        let thresholds = pack.rules.map { RuleIndex.threshold($0.condition)?.text }
        #expect(
            thresholds == [
                nil, nil, nil, nil, nil, "value gt 100 USD", nil, nil, nil, "quantity lte 5 t", "quantity gt 5000 kg", "value lt 100 USD",
                "value gte 500 USD", nil,
            ])
    }

    @Test("a rule whose top requires its trigger's field to exist is not a candidate on a line without it")
    func presenceGuards() throws {
        let pack = try TestPack.load(Self.pack)
        let guarded = pack.rules.map { rule in
            RuleIndex.trigger(rule.condition).map { RuleIndex.requiresPresence(of: $0.field, rule.condition) } ?? false
        }
        // R9-BARRED alone: R7-JP requires an end use, but its trigger is the destination.
        #expect(pack.rules.indices.filter { guarded[$0] }.map { pack.rules[$0].id } == ["R9-BARRED"])
        let nested = try TestPack.load(
            """
            rules:
              - {id: N1, verdict: deny, when: {all: [{end_use: [military]}, {all: [{end_use: {exists: true}}]}]}, reason: "n"}
              - {id: N2, verdict: deny, when: {all: [{end_use: [military]}, {any: [{end_use: {exists: true}}]}]}, reason: "n"}
              - {id: N3, verdict: deny, when: {all: [{end_use: [military]}, {end_use: {exists: false}}]}, reason: "n"}
            """)
        #expect(nested.rules.map { RuleIndex.requiresPresence(of: .endUse, $0.condition) } == [true, false, false])
        // Without an end use only N2 and N3 are evaluated (and come out unknown and false).
        let record = Self.record(destination: "DE", endUse: nil, product: nil, date: nil, value: nil)
        #expect(try Self.candidates(nested, record) == ["N2", "N3"])
    }

    @Test("only `eq` and `in` with text operands on a text, party or country field, alone or in an `all`, are triggers")
    func triggers() throws {
        let pack = try TestPack.load(Self.pack)
        let triggers = pack.rules.map { rule in RuleIndex.trigger(rule.condition).map { "\($0.field.name) \($0.values.sorted())" } }
        #expect(
            triggers == [
                "destination [\"IR\", \"KP\"]", "end_use [\"military\"]", nil, nil, "attributes.form [\"military-grade\"]", nil,
                "destination [\"JP\"]", "customer.country [\"BY\", \"RU\"]", "end_user [\"p-ru\"]", nil, nil, nil, nil,
                "hs_code [\"2846901000\"]",
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
