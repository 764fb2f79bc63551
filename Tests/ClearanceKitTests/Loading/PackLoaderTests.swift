import Foundation
import Testing

@testable import ClearanceKit

@Suite("PackLoader")
struct PackLoaderTests {
    /// One invalid pack: YAML with a `1️⃣` where the error must point, its code and message.
    struct ErrorCase: CustomTestStringConvertible, Sendable {
        var name: String
        var yaml: String
        var code: PackLoadError.Code
        var message: String
        var help: String? = nil

        var testDescription: String { name }
    }

    static let parties = """
        parties:
          - {id: jl-mag, name: "JL MAG Rare-Earth Co., Ltd."}
          - {id: bosch, name: Robert Bosch GmbH}

        """

    static let category = """
        categories:
          - id: MAGNET
            control: licence
            when: {hs_code: {prefix: ["850511"]}}

        """

    /// A pack with the parties and category above and licence 'L1' of jl-mag for MAGNET, then `rest`.
    static func licence(_ rest: String) -> String {
        parties + category + "licences:\n  - id: L1\n    holder: jl-mag\n    categories: [MAGNET]\n" + rest
    }

    static let cases: [ErrorCase] = [
        ErrorCase(
            name: "unknown key in licence suggests 'valid'",
            yaml: licence("    1️⃣vaild: {from: 2025-12-02}\n    customers: all\n    destinations: all\n"),
            code: .unknownKey, message: "unknown key 'vaild' in licence 'L1'", help: "did you mean 'valid'?"),
        ErrorCase(
            name: "duplicate id across kinds",
            yaml: parties + category + """
                rules:
                  - id: 1️⃣MAGNET
                    verdict: deny
                    when: {end_use: military}
                """,
            code: .duplicateID, message: "duplicate id 'MAGNET': already used by the category at "),
        ErrorCase(
            name: "undefined party in a licence suggests the nearest id",
            yaml: licence("    customers: [1️⃣bosh]\n    destinations: all\n"),
            code: .undefinedReference, message: "licence 'L1' names party 'bosh', which is not defined", help: "did you mean 'bosch'?"),
        ErrorCase(
            name: "bad date",
            yaml: category.replacingOccurrences(of: "    control", with: "    effective: {from: 1️⃣2025-02-30}\n    control"),
            code: .badValue, message: "'2025-02-30' in 'effective' of category 'MAGNET' is not a date"),
        ErrorCase(
            name: "bad percentage",
            yaml: """
                categories:
                  - id: C
                    control: licence
                    when: {composition.Dy: {gte: 1️⃣O.1%}}
                """,
            code: .badValue, message: "'O.1%' in 'composition.Dy: gte' in category 'C' is not a percentage"),
        ErrorCase(
            name: "composition over 100%",
            yaml: "products:\n  - sku: P1\n    composition: 1️⃣{Dy: 60%, Tb: 40.5%}\n",
            code: .badValue, message: "the composition of product 'P1' adds up to 100.5%, more than 100%"),
        ErrorCase(
            name: "composition over 100% by less than a billionth",
            yaml: "products:\n  - sku: P1\n    composition: 1️⃣{Dy: 60.0000000001%, Tb: 40%}\n",
            code: .badValue, message: "the composition of product 'P1' adds up to 100.0000000001%, more than 100%"),
        ErrorCase(
            name: "bad HS code of a product",
            yaml: "products:\n  - sku: P1\n    hs_code: 1️⃣\"8505.1l\"\n",
            code: .badValue, message: "'8505.1l' in product 'P1' is not an HS code"),
        ErrorCase(
            name: "bad country code suggests upper case",
            yaml: """
                country_groups:
                  eu: [DE, 1️⃣fr]
                """,
            code: .badValue, message: "'fr' in country group 'eu' is not an ISO-3166 alpha-2 country code", help: "did you mean 'FR'?"),
        ErrorCase(
            name: "bad country code of a party",
            yaml: "parties:\n  - {id: p, name: P, country: 1️⃣de}\n",
            code: .badValue, message: "'de' in party 'p' is not an ISO-3166 alpha-2 country code", help: "did you mean 'DE'?"),
        ErrorCase(
            name: "bad country code among a licence's destinations",
            yaml: licence("    customers: all\n    destinations: [DE, \"@eu\", 1️⃣XX]\ncountry_groups:\n  eu: [FR]\n"),
            code: .badValue, message: "'XX' in licence 'L1' is not an ISO-3166 alpha-2 country code"),
        ErrorCase(
            name: "bad unit in a limit",
            yaml: licence("    customers: all\n    destinations: all\n    limits: {quantity: 1️⃣400 tons}\n"),
            code: .badValue, message: "'400 tons' in 'limits.quantity' of licence 'L1' is not a quantity: unknown unit 'tons'"),
        ErrorCase(
            name: "unknown field in a condition",
            yaml: """
                rules:
                  - id: R
                    verdict: deny
                    when: {1️⃣enduse: military}
                """,
            code: .unknownField, message: "unknown field 'enduse' in rule 'R'", help: "did you mean 'end_use'?"),
        ErrorCase(
            name: "composition of a non-element",
            yaml: """
                rules:
                  - id: R
                    verdict: deny
                    when: {1️⃣composition.DY: {gt: 0%}}
                """,
            code: .unknownField, message: "unknown field 'composition.DY' in rule 'R'", help: "did you mean 'composition.Dy'?"),
        ErrorCase(
            name: "unknown operator",
            yaml: """
                rules:
                  - id: R
                    verdict: deny
                    when: {quantity: {1️⃣gtee: 5 t}}
                """,
            code: .unknownOperator, message: "unknown operator 'gtee' for field 'quantity' in rule 'R'", help: "did you mean 'gte'?"),
        ErrorCase(
            name: "operator that does not fit the field",
            yaml: """
                rules:
                  - id: R
                    verdict: deny
                    when: {quantity: {1️⃣prefix: "5"}}
                """,
            code: .badCondition, message: "operator 'prefix' does not apply to field 'quantity' in rule 'R'"),
        ErrorCase(
            name: "a list where a scalar is expected",
            yaml: """
                lists:
                  - id: L
                    verdict: 1️⃣[deny]
                """,
            code: .wrongShape, message: "expected text in list 'L', found a list"),
        ErrorCase(
            name: "a missing required key",
            yaml: parties + category + "licences:\n  - 1️⃣id: L1\n    holder: jl-mag\n    categories: [MAGNET]\n    destinations: all\n",
            code: .missingKey, message: "licence 'L1' has no 'customers'"),
        ErrorCase(
            name: "verdict allow is not a default",
            yaml: "",
            code: .badValue, message: "'allow' is not a verdict allowed in 'pack.defaults'"),
        ErrorCase(
            name: "undefined country group",
            yaml: licence("    customers: all\n    destinations: [1️⃣\"@euu\"]\n"),
            code: .undefinedReference, message: "licence 'L1' names country group '@euu', which is not defined"),
        ErrorCase(
            name: "unknown top-level key",
            yaml: "1️⃣catgories: []\n",
            code: .unknownKey, message: "unknown key 'catgories' in a rule file", help: "did you mean 'categories'?"),
        ErrorCase(
            name: "duplicate key",
            yaml: """
                lists:
                  - id: L
                    verdict: deny
                    1️⃣verdict: review
                """,
            code: .duplicateKey, message: "duplicate key 'verdict'"),
        ErrorCase(
            name: "YAML syntax error",
            yaml: "lists: [\n1️⃣",
            code: .yamlSyntax, message: "did not find expected node content"),
        ErrorCase(
            name: "between with high below low",
            yaml: """
                rules:
                  - id: R
                    verdict: review
                    when: {date: {between: 1️⃣[2026-01-01, 2025-01-01]}}
                """,
            code: .badValue, message: "'date: between' in rule 'R' has its high end below its low end"),
        ErrorCase(
            name: "unknown placeholder in a reason",
            yaml: """
                rules:
                  - id: R
                    verdict: deny
                    when: {end_use: military}
                    reason: 1️⃣"for {enduse}"
                """,
            code: .unknownField, message: "unknown field '{enduse}' in the reason of rule 'R'"),
    ]

    @Test("each load error has its code, message and position", arguments: cases)
    func loadError(errorCase: ErrorCase) throws {
        var (text, line, column) = TestPack.marker(in: errorCase.yaml)
        if errorCase.name == "verdict allow is not a default" {
            text = "pack:\n  id: t\n  version: '1'\n  defaults: {missing_data: allow}\n"
            (line, column) = (4, 28)
        }
        let errors = TestPack.errors(text, withHeader: errorCase.name != "verdict allow is not a default")
        let error = try #require(errors.first, "the pack loaded, but should not have")
        #expect(errors.count == 1, "\(errors.map(\.description))")
        #expect(error.code == errorCase.code)
        #expect(error.message.hasPrefix(errorCase.message), "\(error.message)")
        let headerLines = errorCase.name == "verdict allow is not a default" ? 0 : 3
        #expect(error.location.line == line + headerLines)
        #expect(error.location.column == column)
        if let help = errorCase.help { #expect(error.help == help) }
        #expect(error.location.file.hasSuffix("/rules.yaml"))
    }

    @Test("errors render clang-style with expected and help lines, sorted, with a count")
    func rendering() {
        let root = TestPack.write([
            "b.yaml": "lists:\n  - {id: L, verdict: deny, titel: x}\n",
            "a.yaml": "pack: {id: p, version: '1', jurisdicton: CN}\n",
        ])
        do {
            _ = try PackLoader().load(path: root)
            Issue.record("loaded")
        } catch {
            let text = error.description
            let lines = text.split(separator: "\n").map(String.init)
            #expect(lines[0] == "\(root)/a.yaml:1:29: error: [unknown-key] unknown key 'jurisdicton' in 'pack'")
            #expect(lines[1].hasPrefix("  expected: one of 'defaults', 'id', 'jurisdiction'"))
            #expect(lines[2] == "  help: did you mean 'jurisdiction'?")
            #expect(lines[3].hasPrefix("\(root)/b.yaml:2:28: error: [unknown-key] unknown key 'titel' in list 'L'"))
            #expect(lines.last == "2 errors in pack '\(root)'; nothing was evaluated")
        }
    }

    /// Files are parsed largest first, in parallel; what comes out must still be in file order.
    @Test("files of any size are taken in file order: a duplicate is reported in the later file")
    func fileOrderWhateverTheSizes() throws {
        let padding = (0..<200).map { "  - {id: filler-\($0), name: Filler \($0)}\n" }.joined()
        let root = TestPack.write([
            "a.yaml": TestPack.header + "parties:\n  - {id: SAME, name: Same GmbH}\n",
            "b.yaml": "parties:\n" + padding + "  - {id: SAME, name: Same Co}\n",
            "c.yaml": "rules:\n  - {id: R1, verdict: review, when: {end_use: research}}\n",
        ])
        do {
            _ = try PackLoader().load(path: root)
            Issue.record("loaded with a duplicate id")
        } catch {
            let duplicate = try #require(error.errors.first { $0.code == .duplicateID })
            #expect(duplicate.location.file == "\(root)/b.yaml")
            #expect(duplicate.location.line == 202)
            #expect(duplicate.message.contains("already used by the party at \(root)/a.yaml:5:"), "\(duplicate.message)")
        }
    }

    @Test(
        "a composition of 100% or less loads, however many decimals",
        arguments: ["{Dy: 60%, Tb: 40%}", "{Dy: 59.9999999999%, Tb: 40%}", "{Dy: 0.000000001%}", "{Nd: 30%, Pr: 5.25%, Dy: 4.75%}"])
    func compositionWithinHundred(composition: String) {
        #expect(TestPack.errors("products:\n  - sku: P1\n    composition: \(composition)\n").isEmpty)
    }

    @Test("a mapping's fields are found by key, absent keys are nil")
    func fields() throws {
        enum Key: String, CaseIterable { case id, name, aliases, country }
        let node = try #require(
            try YAMLReader().documents(in: Array("name: Acme\nid: a1\ncountry: DE\n".utf8), file: "f.yaml").first)
        let decoder = NodeDecoder()
        let fields = try #require(decoder.fields(of: node, owner: "a party", required: [Key.id]))
        #expect(fields[.id]?.scalar == "a1")
        #expect(fields[.name]?.scalar == "Acme")
        #expect(fields[.country]?.scalar == "DE")
        #expect(fields[.aliases] == nil)
        #expect(decoder.errors.isEmpty)
        _ = decoder.fields(of: node, owner: "a party", required: [Key.aliases])
        #expect(decoder.errors.map(\.message) == ["a party has no 'aliases'"])
        // Keys that are not ASCII, or only start like a known one, are unknown.
        let other = try #require(
            try YAMLReader().documents(in: Array("na\u{43C}e: x\nidx: y\ni: z\nname: Acme\n".utf8), file: "f.yaml").first)
        let strict = NodeDecoder()
        let found = try #require(strict.fields(of: other, owner: "a party") as Fields<Key>?)
        #expect(
            strict.errors.map(\.message) == [
                "unknown key 'na\u{43C}e' in a party", "unknown key 'idx' in a party", "unknown key 'i' in a party",
            ])
        #expect(found[.name]?.scalar == "Acme")
    }

    @Test("a section that is not a list is reported once", arguments: ["parties", "licences", "products", "rules"])
    func sectionNotAList(section: String) {
        let errors = TestPack.errors("\(section): {a: 1}\n")
        #expect(errors.map(\.message) == ["expected a list of entries in '\(section)', found a mapping"])
    }

    @Test("licences decode in parts, yet every error of every licence is reported, in file order")
    func licenceErrorsAcrossParts() {
        // 30 licences; every third names an undefined customer.
        let licences = (0..<30).map { index in
            "  - {id: L\(index), holder: jl-mag, categories: [MAGNET], customers: [\(index % 3 == 0 ? "nobody\(index)" : "bosch")], destinations: all}"
        }
        let errors = TestPack.errors(Self.parties + Self.category + "licences:\n" + licences.joined(separator: "\n") + "\n")
        #expect(
            errors.map(\.message)
                == stride(from: 0, to: 30, by: 3).map { "licence 'L\($0)' names party 'nobody\($0)', which is not defined" })
        #expect(errors.map(\.location.line) == errors.map(\.location.line).sorted())
    }

    @Test("the party index built while loading is the pack's, and is dropped when its parties change")
    func partyIndex() throws {
        var pack = try TestPack.load(Self.parties + "  - {id: acme, name: Acme GmbH, aliases: [ACME Corp]}\n")
        let fresh = PartyResolver(parties: pack.parties.values)
        #expect(pack.partyIndex != nil)
        for name in ["jl-mag", "JL MAG Rare-Earth", "robert bosch ltd", "Acme", "acme corp", "Valeo"] {
            #expect(pack.partyResolver.resolve(name) == fresh.resolve(name), "\(name)")
        }
        pack.parties["valeo"] = Party(
            id: "valeo", name: "Valeo SE", aliases: [], country: nil, listings: [], source: SourceLocation(file: "x", line: 1, column: 1))
        #expect(pack.partyIndex == nil)
        #expect(pack.partyResolver.resolve("Valeo") == .party("valeo"))
        #expect(Evaluator(pack: pack).partyResolver.resolve("VALEO S.E.") == .party("valeo"))
    }

    @Test("a pack with only 'pack:' uses the contract's defaults")
    func defaults() throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/packs/minimal", withExtension: nil))
        let pack = try PackLoader().load(path: url.path)
        #expect(pack.info.defaults == Defaults(missingData: .review, noLicence: .deny, unknownParty: .review))
        #expect(pack.categories.isEmpty)
        #expect(pack.digest.hasPrefix("sha256:"))
    }

    @Test("no pack entry, a second pack entry and a missing directory are errors")
    func packEntry() {
        #expect(TestPack.errors("lists: []\n", withHeader: false).map(\.code) == [.missingPack])
        #expect(TestPack.errors("---\npack: {id: again, version: '2'}\n").map(\.code) == [.duplicateID])
        do {
            _ = try PackLoader().load(path: "/nonexistent/pack")
            Issue.record("loaded")
        } catch {
            #expect(error.errors.map(\.code) == [.missingPack])
        }
    }

    @Test("files under tests/ are not rules, and the digest ignores them")
    func testsFolder() throws {
        let base = ["pack.yaml": TestPack.header]
        let plain = try PackLoader().load(path: TestPack.write(base))
        let withTests = try PackLoader().load(
            path: TestPack.write(base.merging(["tests/t.yaml": "tests: [this is not a rule]\n"]) { a, _ in a }))
        #expect(plain.digest == withTests.digest)
        let changed = try PackLoader().load(path: TestPack.write(base.merging(["extra.yaml": "lists: []\n"]) { a, _ in a }))
        #expect(changed.digest != plain.digest)
    }

    @Test("NO is Norway and 030211 is an HS prefix, read as text")
    func yamlTraps() throws {
        let pack = try TestPack.load(
            """
            country_groups:
              nordic: [NO, SE]
            categories:
              - id: FISH
                control: review
                when: {hs_code: {prefix: 030211}}
            """)
        #expect(pack.countryGroups["nordic"]?.members == ["NO", "SE"])
        guard case .leaf(let leaf) = pack.categories[0].condition else {
            Issue.record("not a leaf")
            return
        }
        #expect(leaf.operands == [.text("030211")])
    }

    @Test("informative values (basis, sources) may be text, lists or mappings")
    func informativeShapes() throws {
        let pack = try TestPack.load(
            """
            ---
            categories:
              - {id: C, control: review, basis: [No. 18, {art: 2}], when: {hs_code: "85"}}
            """)
        #expect(pack.categories[0].basis == "No. 18; art: 2")
        let root = TestPack.write(["p.yaml": "pack: {id: s, version: 1, sources: [{title: Announcement 18, url: x}, plain]}\n"])
        #expect(try PackLoader().load(path: root).info.sources == ["title: Announcement 18", "url: x", "plain"])
    }

    @Test("nested country groups expand, and cycles are errors")
    func groups() throws {
        let pack = try TestPack.load("country_groups:\n  a: [DE]\n  b: ['@a', FR]\n  c: ['@b', US]\n")
        #expect(pack.countryGroups["c"]?.members == ["DE", "FR", "US"])
        #expect(TestPack.errors("country_groups:\n  a: ['@b']\n  b: ['@a']\n").first?.code == .badValue)
    }

    @Test("a licence's destinations are its codes and its groups' members; a party's country is its code")
    func destinationsAndCountry() throws {
        let pack = try TestPack.load(
            Self.licence("    customers: all\n    destinations: [US, '@c', DE]\n") + "country_groups:\n  a: [DE]\n  c: ['@a', FR]\n")
        #expect(pack.licences.first?.destinations == ["DE", "FR", "US"])
        #expect(try TestPack.load("parties:\n  - {id: p, name: P, country: JP}\n").parties["p"]?.country == "JP")
    }

    @Test("a leaf with several operators is their conjunction; several keys are an implicit all")
    func implicitAll() throws {
        let pack = try TestPack.load(
            """
            rules:
              - id: R
                verdict: review
                when: {quantity: {gte: 1 t, lt: 5 t}, end_use: civil}
            """)
        guard case .all(let parts) = pack.rules[0].condition else {
            Issue.record("not an all")
            return
        }
        #expect(parts.count == 2)
        guard case .all(let inner) = parts[0] else {
            Issue.record("operators not combined")
            return
        }
        #expect(inner.count == 2)
    }
}
