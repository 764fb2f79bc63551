import Foundation
import Testing

@testable import ClearanceKit

/// A small pack exercising every part of coverage; each test evaluates lines against it.
enum CoveragePack {
    static let yaml = """
        country_groups:
          eu: [DE, FR]
          europe: ["@eu", NO]
        lists:
          - {id: blocked, verdict: deny, title: Blocked List}
          - {id: watched, verdict: review}
        parties:
          - {id: maker, name: "Maker Magnets Co., Ltd.", aliases: [Maker]}
          - {id: other-maker, name: Other Maker}
          - {id: alpha, name: Alpha GmbH}
          - {id: beta, name: Beta SA}
          - {id: gamma, name: Gamma Inc}
          - id: villain
            name: Villain Corp
            lists: [blocked]
          - id: dated
            name: Dated Ltd
            lists: [{list: blocked, from: 2026-01-01, until: 2026-01-31}]
          - {id: suspicious, name: Suspicious LLC, lists: [watched]}
        products:
          - {sku: DY-MAG, hs_code: "8505111000", composition: {Dy: 2%}}
          - {sku: DYTB-MAG, hs_code: "8505111000", composition: {Dy: 2%, Tb: 1%}}
          - {sku: PLAIN-MAG, hs_code: "8505111000", composition: {Nd: 30%}}
          - {sku: SECRET-MAG, hs_code: "8505111000"}
        categories:
          - id: DY
            control: licence
            effective: {from: 2025-04-04}
            when: {all: [{hs_code: {prefix: ["850511"]}}, {composition.Dy: {gte: 0.1%}}]}
          - id: TB
            control: licence
            when: {all: [{hs_code: {prefix: ["850511"]}}, {composition.Tb: {gte: 0.1%}}]}
          - id: HO
            control: licence
            effective: {from: 2025-11-08}
            suspended: [{from: 2025-11-07, until: 2026-11-10}]
            when: {composition.Ho: {gt: 0%}}
          - id: BANNED
            control: prohibited
            when: {hs_code: "9999999999"}
          - id: ASK
            control: review
            when: {hs_code: "8888888888"}
        licences:
          - id: L-LATE
            holder: maker
            valid: {from: 2026-01-01, until: 2026-12-31}
            categories: [DY, TB]
            customers: [alpha, beta]
            destinations: ["@europe"]
          - id: L-EARLY
            holder: maker
            valid: {from: 2026-01-01, until: 2026-06-30}
            categories: [DY]
            customers: [alpha]
            destinations: [DE]
            excluded_end_uses: [military]
            limits: {quantity: 10 t, per_customer_quantity: 6 t, per_shipment_quantity: 5 t}
            conditions:
              - when: {quantity: {gt: 4 t}}
                verdict: review
                reason: "big shipment: {quantity}"
          - id: L-TB-ONLY
            holder: maker
            valid: {from: 2026-01-01}
            categories: [TB]
            customers: all
            destinations: all
          - id: L-VALUE
            holder: other-maker
            valid: {from: 2026-01-01, until: 2026-12-31}
            categories: [DY]
            customers: [gamma]
            end_users: [gamma]
            destinations: all
            limits: {value: 1000 USD}
          - id: L-REVOKED
            holder: other-maker
            status: revoked
            valid: {from: 2026-01-01, until: 2026-12-31}
            categories: [DY]
            customers: all
            destinations: all
        rules:
          - id: NO-MILITARY
            verdict: deny
            when: {end_use: military}
            reason: "no {end_use} end use"
        """

    static func pack(extra: String = "", header: String = TestPack.header) throws -> Pack {
        try TestPack.load(header + yaml + extra, withHeader: false)
    }

    static func line(
        _ customer: String = "alpha", product: String = "DY-MAG", quantity: String = "1 t", destination: String = "DE",
        date: String = "2026-03-01", supplier: String = "maker", endUse: String = "civil", extra: [String: String] = [:]
    ) -> OrderRecord {
        var fields: [(String, String)] = [
            ("id", "SO-\(customer)"), ("supplier", supplier), ("customer", customer), ("product", product), ("quantity", quantity),
            ("destination", destination), ("date", date), ("end_use", endUse),
        ]
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) {
            fields.removeAll { $0.0 == key }
            if !value.isEmpty { fields.append((key, value)) }
        }
        return OrderSource.record(fields: fields, file: "orders.csv", line: 2)
    }
}

@Suite("Evaluator: licence coverage")
struct EvaluatorCoverageTests {
    let pack: Pack

    init() throws { pack = try CoveragePack.pack() }

    func evaluate(_ records: OrderRecord..., asOf: Day? = nil) -> [LineResult] {
        TestOrders.evaluate(pack, records, asOf: asOf)
    }

    @Test("of several covering licences the one expiring first is selected")
    func earliestExpiry() {
        let result = evaluate(CoveragePack.line())[0]
        #expect(result.verdict == .allow)
        #expect(result.licence == "L-EARLY")
        #expect(result.codes == ["covered"])
        #expect(result.reasons[0].message == "covered by licence L-EARLY for category DY")
        #expect(result.reasons[0].source?.file.hasSuffix("rules.yaml") == true)
    }

    @Test("validity bounds are inclusive at both ends")
    func inclusiveDates() {
        #expect(evaluate(CoveragePack.line(date: "2026-06-30"))[0].licence == "L-EARLY")
        #expect(evaluate(CoveragePack.line(date: "2026-07-01"))[0].licence == "L-LATE")
        #expect(evaluate(CoveragePack.line(date: "2026-12-31"))[0].licence == "L-LATE")
        let after = evaluate(CoveragePack.line(date: "2027-01-01"))[0]
        #expect(after.verdict == .deny)
        #expect(after.codes == ["no-licence"])
        #expect(after.reasons[0].message.contains("L-LATE: date 2027-01-01 is outside the validity 2026-01-01 to 2026-12-31"))
        let before = evaluate(CoveragePack.line(date: "2025-12-31"))[0]
        #expect(before.verdict == .deny)
    }

    @Test("nested country groups cover their members")
    func nestedGroups() {
        let norway = evaluate(CoveragePack.line(destination: "NO"))[0]
        #expect(norway.licence == "L-LATE")
        let us = evaluate(CoveragePack.line(destination: "US"))[0]
        #expect(us.verdict == .deny)
        #expect(
            us.reasons[0].message
                == "no licence covers category DY: L-EARLY: destination 'US' is not covered; L-LATE: destination 'US' is not covered")
    }

    @Test("the no-licence message names each candidate's first failed check")
    func firstFailure() {
        let result = evaluate(CoveragePack.line("gamma"))[0]
        #expect(
            result.reasons[0].message
                == "no licence covers category DY: L-EARLY: customer 'gamma' is not on the approved list; L-LATE: customer 'gamma' is not on the approved list"
        )
        #expect(result.reasons[0].rule == "DY")
    }

    @Test("a supplier with no licence for the category is said so")
    func noLicenceHeld() {
        let result = evaluate(CoveragePack.line(supplier: "gamma"))[0]
        #expect(result.reasons[0].message == "supplier 'gamma' holds no licence for category DY")
        #expect(result.codes == ["no-licence"])
    }

    @Test("limits are drawn in input order: per shipment, per customer, whole licence")
    func limits() {
        let results = evaluate(
            CoveragePack.line(quantity: "6 t"),  // over per-shipment on L-EARLY → L-LATE
            CoveragePack.line(quantity: "4 t"),  // L-EARLY: customer 4 of 6
            CoveragePack.line(quantity: "2000 kg"),  // L-EARLY: customer 6 of 6
            CoveragePack.line(quantity: "1 g")  // L-EARLY customer limit full → L-LATE
        )
        #expect(results.map { $0.licence } == ["L-LATE", "L-EARLY", "L-EARLY", "L-LATE"])
    }

    @Test("a line over a limit on its only licence is licence-limit")
    func licenceLimit() throws {
        let pack = try CoveragePack.pack()
        let results = TestOrders.evaluate(
            pack,
            [
                CoveragePack.line("gamma", supplier: "other-maker", extra: ["end_user": "gamma", "value": "800 USD"]),
                CoveragePack.line("gamma", supplier: "other-maker", extra: ["end_user": "gamma", "value": "300 USD"]),
                CoveragePack.line("gamma", supplier: "other-maker", extra: ["end_user": "gamma", "value": "200 USD"]),
            ])
        #expect(results.map(\.verdict) == [.allow, .deny, .allow])
        #expect(results[1].codes == ["licence-limit"])
        #expect(results[1].reasons[0].message.contains("limit value of 1000 USD has 200 USD left; this line needs 300 USD"))
    }

    @Test("denied lines draw nothing")
    func deniedDrawNothing() {
        let results = evaluate(
            CoveragePack.line(quantity: "4 t", extra: ["end_use": "military"]),  // denied: by rule
            CoveragePack.line(quantity: "4 t"),  // still has room
            CoveragePack.line(quantity: "2 t")  // 6 of 6 per customer
        )
        #expect(results[0].verdict == .deny)
        #expect(results[1].licence == "L-EARLY")
        #expect(results[2].licence == "L-EARLY")
    }

    @Test("a pcs line against a mass limit makes that licence unknown")
    func piecesAgainstMass() {
        let result = evaluate(CoveragePack.line(quantity: "500 pcs", destination: "FR"))[0]
        // L-EARLY fails on FR; L-LATE has no limits and covers.
        #expect(result.licence == "L-LATE")
        let unknown = evaluate(CoveragePack.line(quantity: "500 pcs", date: "2026-03-01", extra: ["customer": "alpha"]))[0]
        #expect(unknown.licence == "L-LATE")
        let onlyEarly = evaluate(CoveragePack.line(quantity: "500 pcs", date: "2027-03-01"))[0]
        #expect(onlyEarly.verdict == .deny)
    }

    @Test("unknown coverage with no covering licence gives missing-data")
    func unknownCoverage() throws {
        let result = evaluate(CoveragePack.line("gamma", supplier: "other-maker", extra: ["value": "10 EUR"]))[0]
        #expect(result.verdict == .review)
        #expect(result.codes == ["missing-data"])
        #expect(result.reasons[0].message.hasSuffix("L-VALUE: the line names no end user (missing end_user, value in USD)"))
        let currency = evaluate(CoveragePack.line("gamma", supplier: "other-maker", extra: ["value": "10 EUR", "end_user": "gamma"]))[0]
        #expect(currency.reasons[0].message.hasSuffix("(missing value in USD)"))
    }

    @Test("suspended and revoked licences do not cover")
    func revoked() {
        let result = evaluate(CoveragePack.line("gamma", supplier: "other-maker", extra: ["end_user": "beta", "value": "10 USD"]))[0]
        #expect(result.verdict == .deny)
        #expect(result.reasons[0].message.contains("L-REVOKED: licence is revoked"))
    }

    @Test("several categories: each needs a covering licence; output names the smallest selected id")
    func severalCategories() {
        let both = evaluate(CoveragePack.line(product: "DYTB-MAG", destination: "NO"))[0]
        #expect(both.categories == ["DY", "TB"])
        // DY: only L-LATE covers NO; TB: L-LATE (until 2026-12-31) beats open-ended L-TB-ONLY.
        #expect(both.licence == "L-LATE")
        #expect(both.codes == ["covered", "covered"])
        let split = evaluate(CoveragePack.line(product: "DYTB-MAG"))[0]
        #expect(split.reasons.map(\.rule) == ["L-EARLY", "L-LATE"])
        #expect(split.licence == "L-EARLY")
        let partly = evaluate(CoveragePack.line("gamma", product: "DYTB-MAG", destination: "US"))[0]
        #expect(partly.verdict == .deny)
        #expect(partly.codes == ["no-licence", "covered"])
        #expect(partly.licence == "L-TB-ONLY")
    }

    @Test("a licence condition applies only to the selected licence")
    func licenceCondition() {
        let big = evaluate(CoveragePack.line(quantity: "4.5 t"))[0]
        #expect(big.verdict == .review)
        #expect(big.codes == ["licence-condition", "covered"])
        #expect(big.reasons[0].message == "big shipment: 4500 kg")
        let viaLate = evaluate(CoveragePack.line(quantity: "4.5 t", destination: "FR"))[0]
        #expect(viaLate.verdict == .allow)
    }

    @Test("an excluded end use fails the licence")
    func excludedEndUse() {
        let result = evaluate(CoveragePack.line(date: "2026-03-01", extra: ["end_use": "military"]))[0]
        #expect(result.verdict == .deny)
        #expect(result.codes == ["no-licence", "rule", "covered"] || result.codes == ["rule", "covered"])
    }

    @Test("a missing or unknown supplier makes the holder check unknown")
    func unknownSupplier() {
        let result = evaluate(CoveragePack.line(supplier: "Nobody Ltd"))[0]
        #expect(result.verdict == .review)
        #expect(result.codes == ["missing-data", "unknown-party"])
        #expect(result.reasons[1].message == "supplier 'Nobody Ltd' is not in the party register")
        #expect(result.reasons[1].rule == nil && result.reasons[1].source == nil)
    }

    @Test("names and aliases resolve to the register's parties")
    func names() {
        let result = evaluate(CoveragePack.line("ALPHA gmbh", supplier: "Maker Magnets Co Ltd"))[0]
        #expect(result.licence == "L-EARLY")
    }
}

@Suite("Evaluator: categories, rules, lists and reasons")
struct EvaluatorReasonTests {
    @Test(
        "a reason names the order-line field its missing-field description or role starts with",
        arguments: [
            ("customer ('ACME  Ltd' is not a known party)", "customer"), ("end user", "end_user"), ("date", "date"),
            ("quantity in kg", "quantity"), ("customer.country", "customer.country"),
            ("end_user ('Zoë GmbH' is not a known party)", "end_user"),
        ])
    func fieldNames(description: String, field: String) {
        #expect(Evaluator.fieldName(description) == field)
        #expect(Evaluator.fieldName(nil) == nil)
    }

    @Test("a field's root name, which names the party in messages, is its name up to the first dot")
    func rootNames() {
        for field in Array(Field.fixedNames.values) + [.composition("Dy"), .attribute("form")] {
            #expect(field.rootName == String(field.name.prefix { $0 != "." }), "\(field.name)")
        }
    }

    let pack: Pack

    init() throws { pack = try CoveragePack.pack() }

    func one(_ record: OrderRecord, asOf: Day? = nil) -> LineResult {
        TestOrders.evaluate(pack, [record], asOf: asOf)[0]
    }

    @Test("not controlled: allow with the pack named")
    func notControlled() {
        let result = one(CoveragePack.line(product: "PLAIN-MAG"))
        #expect(result.verdict == .allow)
        #expect(result.codes == ["not-controlled"])
        #expect(result.reasons[0].message == "not controlled under test@1")
        #expect(result.reasons[0].rule == "test")
        #expect(result.licence == nil)
        #expect(result.categories.isEmpty)
    }

    @Test("an unknown composition is missing data naming the field, never allow")
    func unknownComposition() {
        let result = one(CoveragePack.line(product: "SECRET-MAG"))
        #expect(result.verdict == .review)
        // DY and TB are unknown; HO is suspended on the line's date, so false whatever the composition.
        #expect(result.codes == ["missing-data", "missing-data"])
        #expect(result.reasons[0].message == "cannot tell whether category DY applies: missing composition")
        #expect(!result.codes.contains("not-controlled"))
    }

    @Test("line composition replaces the catalogue's; elements not listed are 0%")
    func lineComposition() {
        let result = one(CoveragePack.line(product: "DY-MAG", extra: ["composition": "Nd=30%"]))
        #expect(result.codes == ["not-controlled"])
        let unknownSku = one(CoveragePack.line(product: "NOT-IN-CATALOGUE", extra: ["hs_code": "8505111000", "composition": "Dy=1%"]))
        #expect(unknownSku.categories == ["DY"])
    }

    @Test("suspension windows apply on both sides of their dates")
    func suspension() {
        let ho = ["composition": "Ho=99%", "hs_code": "2805301900"]
        #expect(one(CoveragePack.line(product: "X", date: "2026-11-10", extra: ho)).codes == ["not-controlled"])
        let after = one(CoveragePack.line(product: "X", date: "2026-11-11", extra: ho))
        #expect(after.categories == ["HO"])
        #expect(after.verdict == .deny)
        #expect(one(CoveragePack.line(product: "X", date: "2025-11-06", extra: ho)).codes == ["not-controlled"])
    }

    @Test("effective dates: before 'from' a category does not apply")
    func effective() {
        #expect(one(CoveragePack.line(date: "2025-04-03")).codes == ["not-controlled"])
        #expect(one(CoveragePack.line(date: "2025-04-04")).categories == ["DY"])
    }

    @Test("--as-of replaces the line date; no date at all is missing data")
    func asOf() throws {
        let noDate = CoveragePack.line(extra: ["date": ""])
        let result = one(noDate)
        #expect(result.verdict == .review)
        #expect(result.reasons.contains { $0.message == "no date: the line has no date and no --as-of was given" && $0.rule == nil })
        let dated = one(noDate, asOf: Day(parsing: "2026-03-01"))
        #expect(dated.verdict == .allow)
        #expect(one(CoveragePack.line(date: "2020-01-01"), asOf: Day(parsing: "2026-03-01")).licence == "L-EARLY")
    }

    @Test("prohibited and review categories")
    func controls() {
        let banned = one(CoveragePack.line(product: "X", extra: ["hs_code": "9999999999"]))
        #expect(banned.verdict == .deny)
        #expect(banned.codes == ["prohibited"])
        let ask = one(CoveragePack.line(product: "X", extra: ["hs_code": "8888888888"]))
        #expect(ask.verdict == .review)
        #expect(ask.codes == ["category-review"])
    }

    @Test("lists: deny and review lists, dated listings")
    func lists() {
        let villain = one(CoveragePack.line("Villain Corp.", product: "PLAIN-MAG"))
        #expect(villain.verdict == .deny)
        #expect(villain.codes == ["listed-party", "not-controlled"])
        #expect(villain.reasons[0].rule == "blocked")
        #expect(villain.reasons[0].message == "customer 'villain' is on the Blocked List (blocked)")
        #expect(one(CoveragePack.line("dated", product: "PLAIN-MAG", date: "2026-01-31")).verdict == .deny)
        #expect(one(CoveragePack.line("dated", product: "PLAIN-MAG", date: "2026-02-01")).verdict == .allow)
        #expect(one(CoveragePack.line("dated", product: "PLAIN-MAG", extra: ["date": ""])).codes.contains("missing-data"))
        let endUser = one(CoveragePack.line(product: "PLAIN-MAG", extra: ["end_user": "suspicious"]))
        #expect(endUser.verdict == .review)
        #expect(endUser.codes == ["listed-party", "not-controlled"])
    }

    @Test("rules add their verdict and reason with the line's values")
    func rules() {
        let result = one(CoveragePack.line(product: "PLAIN-MAG", extra: ["end_use": "Military"]))
        #expect(result.verdict == .deny)
        #expect(result.reasons[0].code == .rule)
        #expect(result.reasons[0].message == "no Military end use")
        let unknown = one(CoveragePack.line(product: "PLAIN-MAG", extra: ["end_use": ""]))
        #expect(unknown.verdict == .review)
        #expect(unknown.reasons[0].message == "cannot tell whether rule NO-MILITARY applies: missing end_use")
    }

    @Test("an unknown rule names every field it misses, sorted, and points at the first of them")
    func unknownRuleNamesMissingFields() throws {
        let pack = try TestPack.load(
            """
            rules:
              - {id: R, verdict: deny, when: {all: [{end_use: [military]}, {destination: [KP]}, {date: {gte: 2026-01-01}}]}, reason: "x"}
            """)
        var evaluator = Evaluator(pack: pack, options: EvaluationOptions())
        let both = evaluator.evaluate(OrderSource.record(fields: [("id", "1"), ("date", "2026-02-01")], file: "o", line: 2))
        let bothReasons = both.reasons.filter { $0.rule == "R" }
        #expect(bothReasons.map(\.message) == ["cannot tell whether rule R applies: missing destination, end_use"])
        #expect(bothReasons.map(\.field) == ["destination"])
        let one = evaluator.evaluate(
            OrderSource.record(fields: [("id", "2"), ("destination", "KP"), ("date", "2026-02-01")], file: "o", line: 3))
        let oneReasons = one.reasons.filter { $0.rule == "R" }
        #expect(oneReasons.map(\.message) == ["cannot tell whether rule R applies: missing end_use"])
        #expect(oneReasons.map(\.field) == ["end_use"])
    }

    @Test("a rule's reason template of one to seven pieces is filled with the line's values, '(none)' where it has none")
    func reasonTemplates() throws {
        let templates = [
            "{end_use}", "use {end_use}", "{end_use} to {destination}", "use {end_use} to {destination}",
            "use {end_use} to {destination}!", "{supplier}: {end_use} to {destination}!",
            "{supplier}: {end_use} to {destination} ({value})",
        ]
        let rules = templates.enumerated().map { position, template in
            "  - {id: R\(position), verdict: review, when: {destination: FR}, reason: \"\(template)\"}"
        }
        let pack = try TestPack.load("rules:\n" + rules.joined(separator: "\n"))
        var evaluator = Evaluator(pack: pack, options: EvaluationOptions())
        let result = evaluator.evaluate(
            OrderSource.record(fields: [("destination", "FR"), ("end_use", "Wind-energy"), ("date", "2026-01-05")], file: "o", line: 2))
        let messages = Dictionary(uniqueKeysWithValues: result.reasons.compactMap { reason in reason.rule.map { ($0, reason.message) } })
        #expect(
            (0..<templates.count).map { messages["R\($0)"] } == [
                "Wind-energy", "use Wind-energy", "Wind-energy to FR", "use Wind-energy to FR", "use Wind-energy to FR!",
                "(none): Wind-energy to FR!", "(none): Wind-energy to FR ((none))",
            ])
    }

    @Test("input errors: review, every problem listed, nothing evaluated")
    func inputErrors() {
        let result = one(CoveragePack.line(quantity: "5 KG", destination: "Germany"))
        #expect(result.verdict == .review)
        #expect(result.codes == ["input-error", "input-error"])
        #expect(result.id == "SO-alpha")
        #expect(result.licence == nil)
        #expect(result.reasons.allSatisfy { $0.rule == nil && $0.source == nil })
    }

    @Test("reasons are sorted by severity, code, rule (null first), message")
    func order() {
        let result = one(CoveragePack.line("Nobody", product: "PLAIN-MAG", extra: ["end_use": "military", "end_user": "villain"]))
        #expect(result.reasons.map(\.verdict) == result.reasons.map(\.verdict).sorted(by: >))
        #expect(result.codes == ["listed-party", "rule", "unknown-party", "not-controlled"])
    }

    @Test("a stale pack adds a stale-pack review to every line")
    func stalePack() throws {
        let pack = try CoveragePack.pack(header: "pack: {id: test, version: '1', review_by: 2026-06-30}\n")
        let fresh = TestOrders.evaluate(pack, [CoveragePack.line(product: "PLAIN-MAG")], today: Day(parsing: "2026-06-30"))[0]
        #expect(fresh.verdict == .allow)
        let stale = TestOrders.evaluate(pack, [CoveragePack.line(product: "PLAIN-MAG")], today: Day(parsing: "2026-07-01"))[0]
        #expect(stale.verdict == .review)
        #expect(stale.codes == ["stale-pack", "not-controlled"])
    }

    @Test("pack defaults change the verdicts of no-licence, missing data and unknown parties")
    func defaults() throws {
        let pack = try CoveragePack.pack(
            header: "pack: {id: test, version: '1', defaults: {no_licence: review, missing_data: deny, unknown_party: deny}}\n")
        let results = TestOrders.evaluate(
            pack,
            [CoveragePack.line("gamma"), CoveragePack.line(product: "SECRET-MAG"), CoveragePack.line("Stranger", product: "PLAIN-MAG")])
        #expect(results.map(\.verdict) == [.review, .deny, .deny])
    }

    @Test("the same input gives the same reasons every time")
    func deterministic() {
        let records = (0..<20).map { CoveragePack.line(quantity: "\($0 % 7) t", destination: $0 % 2 == 0 ? "DE" : "NO") }
        let first = TestOrders.evaluate(pack, records).map { "\($0.verdict) \($0.licence ?? "-") \($0.reasons.map(\.message))" }
        let second = TestOrders.evaluate(pack, records).map { "\($0.verdict) \($0.licence ?? "-") \($0.reasons.map(\.message))" }
        #expect(first == second)
    }

    @Test("a line's reasons start as a shared array of one reason, copied on their first change, never changed in place")
    func sharedReasonArrays() {
        let covered = Reason(verdict: .allow, code: .covered, rule: "L", message: "covered by licence L", source: nil)
        let alone = [covered]
        var first: [Reason] = []
        first.add(alone: alone)
        var second: [Reason] = []
        second.add(alone: alone)
        // Both share the one array, without storage of their own.
        first.withUnsafeBufferPointer { buffer in
            alone.withUnsafeBufferPointer { #expect(buffer.baseAddress == $0.baseAddress) }
        }
        second.add(Reason(verdict: .deny, code: .rule, rule: "R", message: "prohibited", source: nil))
        second.add(alone: alone)
        #expect(alone.map(\.message) == ["covered by licence L"])
        #expect(first.map(\.message) == ["covered by licence L"])
        #expect(second.map(\.message) == ["covered by licence L", "prohibited", "covered by licence L"])
        // Room for a line's usual few reasons from the first one added.
        var grown: [Reason] = []
        grown.add(covered)
        #expect(grown.capacity >= 4)
    }

    @Test("a listed party's reasons as customer and as end user: each listing's message, list, verdict and place, on every line")
    func listedPartyReasons() throws {
        let yaml = """
            lists:
              - {id: blocked, verdict: deny, title: Blocked List}
              - {id: watched, verdict: review}
            parties:
              - id: both
                name: Both Listed
                lists: [watched, {list: blocked, from: 2026-01-01, until: 2026-01-31, basis: Order 7}]
            """
        let pack = try TestPack.load(yaml)
        var evaluator = Evaluator(pack: pack, options: EvaluationOptions())
        // Where the listings are written: the party's `lists` on line 10 (after the header's three
        // lines), `watched` and the flow mapping of `blocked`.
        let (watched, blocked) = (SourceLocation(file: "", line: 10, column: 13), SourceLocation(file: "", line: 10, column: 22))
        for date in ["2026-01-15", "2026-01-20"] {
            let result = evaluator.evaluate(
                OrderSource.record(fields: [("customer", "both"), ("end_user", "Both Listed"), ("date", date)], file: "o", line: 2))
            let listed = result.reasons.filter { $0.code == .listedParty }.map {
                "\($0.verdict) \($0.rule ?? "-") \($0.field ?? "-") \($0.source.map { "\($0.line):\($0.column)" } ?? "-") \($0.message)"
            }
            #expect(
                listed.sorted() == [
                    "deny blocked customer \(blocked.line):\(blocked.column) customer 'both' is on the Blocked List (blocked) since 2026-01-01 (Order 7)",
                    "deny blocked end_user \(blocked.line):\(blocked.column) end user 'both' is on the Blocked List (blocked) since 2026-01-01 (Order 7)",
                    "review watched customer \(watched.line):\(watched.column) customer 'both' is on list 'watched'",
                    "review watched end_user \(watched.line):\(watched.column) end user 'both' is on list 'watched'",
                ], "\(listed)")
        }
        // Outside the dated listing, only the other one.
        let february = evaluator.evaluate(OrderSource.record(fields: [("customer", "both"), ("date", "2026-02-01")], file: "o", line: 3))
        #expect(february.reasons.filter { $0.code == .listedParty }.map(\.message) == ["customer 'both' is on list 'watched'"])
    }

    @Test("a party's lists at a line's date, for one listing (undated, dated, no date) and for several")
    func activeLists() throws {
        let pack = try TestPack.load(
            """
            lists:
              - {id: blocked, verdict: deny}
              - {id: watched, verdict: review}
            parties:
              - {id: always, name: Always Listed, lists: [blocked]}
              - id: january
                name: January Listed
                lists: [{list: blocked, from: 2026-01-01, until: 2026-01-31}]
              - id: both
                name: Both Listed
                lists: [watched, {list: blocked, from: 2026-01-01, until: 2026-01-31}]
              - {id: never, name: Never Listed}
            """)
        let evaluator = Evaluator(pack: pack, options: EvaluationOptions())
        func lists(_ customer: String, _ date: String?) throws -> [String]? {
            var fields: [(name: String, text: String)] = [("customer", customer)]
            if let date { fields.append(("date", date)) }
            let facts = try #require(evaluator.facts(of: OrderSource.record(fields: fields, file: "o", line: 2)))
            return facts.customerLists.map { $0.sorted() }
        }
        #expect(try lists("always", "2026-06-01") == ["blocked"])
        #expect(try lists("always", nil) == ["blocked"])
        #expect(try lists("january", "2026-01-15") == ["blocked"])
        #expect(try lists("january", "2026-02-01") == [])
        #expect(try lists("january", nil) == nil)
        #expect(try lists("both", "2026-01-15") == ["blocked", "watched"])
        #expect(try lists("both", "2026-03-01") == ["watched"])
        #expect(try lists("both", nil) == nil)
        #expect(try lists("never", "2026-01-15") == [])
        #expect(try lists("Nobody", "2026-01-15") == nil)
    }
}
