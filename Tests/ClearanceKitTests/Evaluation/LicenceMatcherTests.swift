import ClearanceWorkload
import Foundation
import Testing

@testable import ClearanceKit

@Suite("Licence matcher")
struct LicenceMatcherTests {
    static let pack = """
        parties:
          - {id: maker, name: Maker Co}
          - {id: other, name: Other Co}
          - {id: alpha, name: Alpha GmbH}
          - {id: beta, name: Beta SA}
        categories:
          - {id: MAG, control: licence, when: {hs_code: {prefix: ["8505"]}}}
        licences:
          - {id: L-ACTIVE, holder: maker, valid: {from: 2026-01-01, until: 2026-12-31}, categories: [MAG],
             customers: [alpha], end_users: [beta], destinations: [DE, FR], excluded_end_uses: [military]}
          - {id: L-REVOKED, holder: maker, status: revoked, valid: {from: 2026-01-01}, categories: [MAG],
             customers: all, destinations: all}
          - {id: L-OTHER, holder: other, valid: {from: 2025-01-01, until: 2026-03-31}, categories: [MAG], customers: [alpha, beta],
             destinations: [US], excluded_end_uses: [space]}
          - {id: L-ALL, holder: maker, valid: {from: 2026-06-01}, categories: [MAG], customers: all, destinations: all,
             limits: {quantity: 10 kg}}
        """

    /// Every field a licence checks, each with values that pass, fail and leave it out (nil).
    static let lineChoices: [(String, [String?])] = [
        ("supplier", [nil, "maker", "Maker Co", "other", "Nobody"]),
        ("customer", [nil, "alpha", "beta", "Gamma"]),
        ("end_user", [nil, "alpha", "beta"]),
        ("destination", [nil, "DE", "US", "JP"]),
        ("end_use", [nil, "civil", "military", "space"]),
        ("date", [nil, "2026-02-01", "2026-07-01", "2027-01-01"]),
    ]

    /// The `fixed` fields, then one value of each field of `choices` (nil: the field left out; a
    /// field named twice draws from both lists and the last draw that is not nil counts).
    static func fields(
        _ fixed: [(name: String, text: String)], _ choices: [(String, [String?])], using generator: inout some RandomNumberGenerator
    ) -> [(name: String, text: String)] {
        var fields = fixed
        for (name, values) in choices {
            guard let text = values.randomElement(using: &generator) ?? nil else { continue }
            fields.removeAll { $0.name == name }
            fields.append((name, text))
        }
        return fields
    }

    /// The test pack, an evaluator and a matcher of it.
    static func matching() throws -> (pack: Pack, evaluator: Evaluator, matcher: LicenceMatcher) {
        let pack = try TestPack.load(Self.pack)
        return (pack, Evaluator(pack: pack, options: EvaluationOptions()), LicenceMatcher(pack: pack))
    }

    @Test("a licence's first false check is the first problem of its full assessment (1,000 lines)")
    func firstFalseCheckIsFirstProblem() throws {
        let (pack, evaluator, matcher) = try Self.matching()
        var generator = SystemRandomNumberGenerator()
        var someFalse = 0
        for _ in 0..<1_000 {
            let fields = Self.fields([("hs_code", "8505111000"), ("quantity", "5 kg")], Self.lineChoices, using: &generator)
            let record = OrderSource.record(fields: fields, file: "o", line: 1)
            let facts = try #require(evaluator.facts(of: record))
            for licence in pack.licences {
                var parts = ["before"]
                let found = matcher.firstFalseUsageFreeDetail(licence, facts, appendingTo: &parts)
                guard case .someFalse = matcher.usageFreeOutcome(licence, facts) else {
                    #expect(found == nil && parts == ["before"], "\(licence.id) on \(fields)")
                    continue
                }
                someFalse += 1
                let expected = matcher.assess(licence, facts, ledger: LimitLedger()).firstProblem
                #expect(found == expected?.name, "\(licence.id) on \(fields)")
                // Appended after what `parts` held, as the no-cover message gathers them.
                #expect(
                    parts.first == "before" && String(concatenating: Array(parts.dropFirst())) == expected?.detail,
                    "\(licence.id) on \(fields)")
                #expect(expected?.truth.isFalse == true, "\(licence.id) on \(fields)")
            }
        }
        // The lines reach the case at all (every licence can fail on some of them).
        #expect(someFalse > 1_000)
    }

    @Test("a licence's shortfall is its full assessment's coverage, first problem, detail and limit-only failure (1,000 lines)")
    func shortfallIsAssessment() throws {
        let (pack, evaluator, matcher) = try Self.matching()
        // 6 kg of L-ALL's 10 kg used: a line of 5 kg fails on the limit, one of 3 kg passes.
        var ledger = LimitLedger()
        ledger.draw(licence: "L-ALL", customer: nil, quantity: try Quantity.parse("6 kg").get(), value: nil)
        var generator = SystemRandomNumberGenerator()
        var (unknown, limitOnly) = (0, 0)
        for _ in 0..<1_000 {
            // An end user the register does not know and every kind of quantity, for unknown limits too.
            let choices = Self.lineChoices + [("end_user", [nil, "Delta"]), ("quantity", [nil, "3 kg", "5 kg", "4 pcs"])]
            let fields = Self.fields([("hs_code", "8505111000")], choices, using: &generator)
            let record = OrderSource.record(fields: fields, file: "o", line: 1)
            let facts = try #require(evaluator.facts(of: record))
            for licence in pack.licences {
                let assessment = matcher.assess(licence, facts, ledger: ledger)
                var parts = ["before"]
                let shortfall = matcher.shortfall(licence, facts, ledger: ledger, appendingProblemTo: &parts)
                let coverage = assessment.coverage
                #expect(shortfall.isFalse == coverage.isFalse, "\(licence.id) on \(fields)")
                #expect(shortfall.missing.sorted() == coverage.missingFields, "\(licence.id) on \(fields)")
                #expect(shortfall.problem == assessment.firstProblem?.name, "\(licence.id) on \(fields)")
                #expect(shortfall.failedOnlyOnLimit == assessment.failedOnlyOnLimit, "\(licence.id) on \(fields)")
                // The detail appended after what `parts` held, as the no-cover message gathers them.
                #expect(
                    parts.first == "before" && String(concatenating: Array(parts.dropFirst())) == (assessment.firstProblem?.detail ?? ""),
                    "\(licence.id) on \(fields)")
                if !coverage.isTrue && !coverage.isFalse { unknown += 1 }
                if assessment.failedOnlyOnLimit { limitOnly += 1 }
            }
        }
        // The lines reach the unknown and limit-only cases.
        #expect(unknown > 100 && limitOnly > 10, "unknown \(unknown), limit only \(limitOnly)")
    }

    @Test("numbered scopes decide as the licences do, alone too, and a scope numbered by another resolver is not used (1,000 lines)")
    func scopesMatchSets() throws {
        let pack = try TestPack.load(Self.pack)
        let evaluator = Evaluator(pack: pack, options: EvaluationOptions())
        let matcher = LicenceMatcher(pack: pack)
        let scopes = pack.licences.map { LicenceMatcher.Scope($0, resolver: evaluator.partyResolver) }
        // The same parties, numbered in reverse by another resolver.
        let other = PartyResolver(parties: pack.parties.values.sorted { $0.id > $1.id })
        let foreign = pack.licences.map { LicenceMatcher.Scope($0, resolver: other) }
        #expect(scopes[0].customers?.count == 1 && scopes[0].destinations != nil && scopes[1].customers == nil)
        // Seeded, so that the lines reach every outcome in every run.
        var generator = SplitMix64(seed: 5)
        var outcomes: [String: Int] = [:]
        var scopeAlone: [String: Int] = [:]
        for _ in 0..<1_000 {
            // Every field a licence checks, and names, odd case and another legal form.
            let choices: [(String, [String?])] =
                Self.lineChoices + [
                    ("customer", [nil, "alpha", "Alpha GmbH", "beta", "maker", "Gamma"]),
                    ("end_user", [nil, "alpha", "beta", "BETA SA", "other"]),
                    ("destination", [nil, "DE", "FR", "US", "JP"]),
                    ("end_use", [nil, "Military", "SPACE"]),
                ]
            let fields = Self.fields([("hs_code", "8505111000"), ("supplier", "maker")], choices, using: &generator)
            let facts = try #require(evaluator.facts(of: OrderSource.record(fields: fields, file: "o", line: 1)))
            let parties = LicenceMatcher.NumberedParties(facts, register: evaluator.partyResolver.register)
            let foreignParties = LicenceMatcher.NumberedParties(facts, register: other.register)
            for (position, licence) in pack.licences.enumerated() {
                let expected = matcher.usageFreeOutcome(licence, facts)
                // From the scope alone: the same outcome for the line's register; nil for another
                // register, and with the other register's numbers unless the line has no party
                // the scope needs a number for.
                let alone = matcher.usageFreeOutcome(scopes[position], parties, facts)
                #expect(alone == expected, "\(licence.id) on \(fields)")
                #expect(matcher.usageFreeOutcome(foreign[position], parties, facts) == nil)
                if let foreignAlone = matcher.usageFreeOutcome(foreign[position], foreignParties, facts) {
                    #expect(foreignAlone == expected, "\(licence.id) on \(fields)")
                }
                scopeAlone["\(String(describing: alone))", default: 0] += 1
                for scope in [scopes[position], foreign[position]] {
                    #expect(matcher.usageFreeOutcome(licence, facts, scope: scope) == expected, "\(licence.id) on \(fields)")
                    var (scoped, plain): ([String], [String]) = ([], [])
                    #expect(
                        matcher.firstFalseUsageFreeDetail(licence, facts, scope: scope, appendingTo: &scoped)
                            == matcher.firstFalseUsageFreeDetail(licence, facts, appendingTo: &plain), "\(licence.id) on \(fields)")
                    #expect(scoped == plain, "\(licence.id) on \(fields)")
                }
                outcomes["\(expected)", default: 0] += 1
            }
        }
        // The lines reach every outcome, from the scopes alone too.
        #expect(outcomes.count == 3 && scopeAlone.count == 3, "\(outcomes), \(scopeAlone)")
    }

    @Test("lines whose parties another resolver numbered get the same results: the evaluator falls back to ids (500 lines)")
    func foreignNumberingFallsBack() throws {
        let pack = try TestPack.load(Self.pack)
        var evaluator = Evaluator(pack: pack, options: EvaluationOptions())
        var fallback = Evaluator(pack: pack, options: EvaluationOptions())
        let other = PartyResolver(parties: pack.parties.values.sorted { $0.id > $1.id })
        // Seeded: allowed lines are rare here (about 2 in 500, before the limits run out), and
        // unseeded draws missed them about one run in ten.
        var generator = SplitMix64(seed: 11)
        var verdicts: Set<String> = []
        for line in 0..<500 {
            let choices: [(String, [String?])] = [
                ("supplier", [nil, "maker", "Maker Co", "other", "Nobody"]),
                ("customer", [nil, "alpha", "beta", "Gamma"]),
                ("end_user", [nil, "beta", "alpha"]),
                ("destination", ["DE", "US", "JP"]),
            ]
            let fields = Self.fields(
                [("hs_code", "8505111000"), ("quantity", "3 kg"), ("date", "2026-07-01")], choices, using: &generator)
            let record = OrderSource.record(fields: fields, file: "o", line: line + 2)
            let order = try #require(record.order)
            let expected = evaluator.evaluate(record)
            let foreign = LineFacts(order: order, pack: pack, resolver: other, asOf: nil)
            let result = fallback.complete(fallback.prepare(record, facts: foreign))
            #expect(result.verdict == expected.verdict, "\(fields)")
            #expect(result.licence == expected.licence, "\(fields)")
            #expect(result.reasons.map(\.message) == expected.reasons.map(\.message), "\(fields)")
            verdicts.insert("\(expected.verdict)")
        }
        #expect(verdicts.count == 3)
    }

    @Test(
        "an unknown check names the field it misses, a known one none, and the plans' outcomes read it unknown",
        arguments: [
            ("supplier", "Nobody", "L-ACTIVE", "holder", "supplier ('Nobody' is not a known party)"),
            ("supplier", nil, "L-ACTIVE", "holder", "supplier"),
            ("date", nil, "L-ACTIVE", "validity", "date"),
            ("customer", nil, "L-ACTIVE", "customer", "customer"),
            ("customer", "Gamma", "L-ACTIVE", "customer", "customer ('Gamma' is not a known party)"),
            ("end_user", nil, "L-ACTIVE", "end user", "end_user"),
            ("end_user", "Zeta", "L-ACTIVE", "end user", "end_user ('Zeta' is not a known party)"),
            ("destination", nil, "L-ACTIVE", "destination", "destination"),
            ("end_use", nil, "L-ACTIVE", "end use", "end_use"),
            ("quantity", nil, "L-ALL", nil, "quantity"),
            ("quantity", "4 pcs", "L-ALL", nil, "quantity in kg"),
        ] as [(String, String?, String, String?, String)])
    func unknownChecksNameTheirField(field: String, value: String?, licenceID: String, check: String?, missing: String) throws {
        let pack = try TestPack.load(Self.pack)
        let evaluator = Evaluator(pack: pack, options: EvaluationOptions())
        let matcher = LicenceMatcher(pack: pack)
        // A line every licence of the maker covers, with one field changed or left out.
        var fields: [(name: String, text: String)] = [
            ("hs_code", "8505111000"), ("supplier", "maker"), ("date", "2026-07-01"), ("customer", "alpha"), ("end_user", "beta"),
            ("destination", "DE"), ("end_use", "civil"), ("quantity", "5 kg"),
        ]
        fields.removeAll { $0.name == field }
        if let value { fields.append((field, value)) }
        let facts = try #require(evaluator.facts(of: OrderSource.record(fields: fields, file: "o", line: 1)))
        let licence = try #require(pack.licences.first { $0.id == licenceID })
        let checks = matcher.assess(licence, facts, ledger: LimitLedger()).checks
        let unknown = checks.filter { !$0.truth.isTrue && !$0.truth.isFalse }
        #expect(unknown.count == 1 && unknown.allSatisfy { $0.truth == .unknown(missing: [missing]) })
        #expect(checks.allSatisfy { $0.truth.isTrue || $0.truth.missingFields == [missing] })
        let limit = check == nil
        #expect(unknown.first?.name == check ?? "limit \(licence.limits.first?.key ?? "")")
        #expect(unknown.first?.isLimit == limit)
        // The plans, which read only whether checks hold, see the same unknown (the limits apart).
        #expect(matcher.usageFreeOutcome(licence, facts) == (limit ? .allTrue : .someUnknown))
        #expect(!matcher.covers(licence, facts, ledger: LimitLedger()))
        #expect(matcher.limitsHold(licence, facts, ledger: LimitLedger()) == !limit)
    }
}
