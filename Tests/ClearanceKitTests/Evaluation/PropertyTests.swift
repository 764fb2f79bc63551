import ClearanceWorkload
import Foundation
import Testing

@testable import ClearanceKit

/// A small deterministic random generator, so every property run is reproducible.
typealias SeededGenerator = SplitMix64

/// Random packs and order lines for the properties of the evaluator.
struct RandomWorld {
    var random: SeededGenerator
    let suppliers = ["s1", "s2"]
    let customers = ["c1", "c2", "c3", "bad"]
    let countries = ["DE", "FR", "US", "JP"]

    init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &random)] }
    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }
    mutating func subset(_ items: [String]) -> [String] {
        let chosen = items.filter { _ in chance(50) }
        return chosen.isEmpty ? [items[0]] : chosen
    }

    /// A pack as YAML: categories on HS prefixes and Dy content, licences with or without limits,
    /// a list, and end-use rules.
    ///
    /// `extraRule` adds one more deny rule; `dropLicence` leaves one out.
    mutating func packYAML(limits: Bool, extraRule: String? = nil, dropLicence: Int? = nil) -> (yaml: String, licences: Int) {
        var yaml = "pack: {id: gen, version: '1'}\nlists: [{id: blocked, verdict: deny}]\nparties:\n"
        for party in suppliers + customers {
            yaml += "  - {id: \(party), name: Party \(party)\(party == "bad" ? ", lists: [blocked]" : "")}\n"
        }
        yaml += "categories:\n"
        let categories = (1...Int.random(in: 1...3, using: &random)).map { "K\($0)" }
        for category in categories {
            let prefix = pick(["8505", "2805", "28"])
            let threshold = pick(["0%", "0.5%", "2%"])
            let control = chance(80) ? "licence" : pick(["prohibited", "review"])
            yaml +=
                "  - {id: \(category), control: \(control), when: {all: [{hs_code: {prefix: [\"\(prefix)\"]}}, {composition.Dy: {gt: \(threshold)}}]}}\n"
        }
        let count = Int.random(in: 0...4, using: &random)
        var licences = ""
        for index in 0..<count {
            // Every licence is generated (the same random draws either way); the dropped one is not kept.
            let kept = licences
            licences += "  - id: L\(index)\n    holder: \(pick(suppliers))\n"
            licences += "    valid: {from: 2026-0\(Int.random(in: 1...3, using: &random))-01, until: 2026-\(pick(["06", "09", "12"]))-30}\n"
            licences += "    status: \(chance(85) ? "active" : "suspended")\n"
            licences += "    categories: [\(subset(categories).joined(separator: ", "))]\n"
            licences += "    customers: \(chance(30) ? "all" : "[" + subset(customers).joined(separator: ", ") + "]")\n"
            licences += "    destinations: \(chance(30) ? "all" : "[" + subset(countries).joined(separator: ", ") + "]")\n"
            if chance(40) { licences += "    excluded_end_uses: [military]\n" }
            if limits {
                licences += "    limits: {quantity: \(Int.random(in: 1...20, using: &random)) t"
                if chance(50) { licences += ", per_customer_quantity: \(Int.random(in: 1...10, using: &random)) t" }
                if chance(50) { licences += ", per_shipment_quantity: \(Int.random(in: 1...5, using: &random)) t" }
                licences += "}\n"
            }
            if index == dropLicence { licences = kept }
        }
        if !licences.isEmpty { yaml += "licences:\n" + licences }
        yaml += "rules:\n  - {id: R-MIL, verdict: deny, when: {end_use: military}}\n"
        if chance(50) { yaml += "  - {id: R-JP, verdict: review, when: {destination: JP}}\n" }
        if let extraRule { yaml += extraRule }
        return (yaml, count)
    }

    /// A random order line; fields are sometimes left out.
    mutating func line(_ index: Int) -> [(String, String)] {
        var fields: [(String, String)] = [("id", "O\(index)")]
        if chance(95) { fields.append(("supplier", pick(suppliers))) }
        if chance(95) { fields.append(("customer", pick(customers))) }
        if chance(95) { fields.append(("destination", pick(countries))) }
        if chance(95) { fields.append(("end_use", pick(["civil", "civil", "military"]))) }
        if chance(95) { fields.append(("date", "2026-\(pick(["02", "04", "07", "10"]))-15")) }
        if chance(95) { fields.append(("hs_code", pick(["8505111000", "2805301900", "9999000000"]))) }
        if chance(90) { fields.append(("composition", "Dy=\(pick(["0", "0.3", "1", "3"]))%")) }
        if chance(95) { fields.append(("quantity", "\(Int.random(in: 1...6000, using: &random)) kg")) }
        return fields
    }
}

@Suite("Properties of the evaluator")
struct PropertyTests {
    static let seeds: [UInt64] = Array(1...60)

    func pack(_ yaml: String) throws -> Pack {
        try PackLoader().load(sources: [("rules.yaml", Array(yaml.utf8))], root: "gen")
    }

    func evaluate(_ pack: Pack, _ lines: [[(String, String)]]) -> [LineResult] {
        var evaluator = Evaluator(pack: pack, options: EvaluationOptions())
        return lines.map { evaluator.evaluate(OrderSource.record(fields: $0, file: "gen.csv", line: 2)) }
    }

    // Limits make lines depend on the lines before them (a denied line draws nothing, leaving room
    // for a later one), so the two monotonicity properties are checked on packs without limits.

    @Test("adding a deny rule never makes any verdict less severe", arguments: seeds)
    func addingDenyRule(seed: UInt64) throws {
        var world = RandomWorld(seed: seed)
        var copy = world
        let base = try pack(world.packYAML(limits: false).yaml)
        let rule = "  - {id: R-EXTRA, verdict: deny, when: {destination: \(copy.pick(copy.countries))}}\n"
        var again = RandomWorld(seed: seed)
        let stricter = try pack(again.packYAML(limits: false, extraRule: rule).yaml)
        let lines = (0..<12).map { world.line($0) }
        for (before, after) in zip(evaluate(base, lines), evaluate(stricter, lines)) {
            #expect(after.verdict >= before.verdict, "seed \(seed) line \(before.id ?? "")")
        }
    }

    @Test("removing a licence never turns a deny into an allow", arguments: seeds)
    func removingLicence(seed: UInt64) throws {
        var world = RandomWorld(seed: seed)
        let (yaml, count) = world.packYAML(limits: false)
        guard count > 0 else { return }
        var again = RandomWorld(seed: seed)
        let fewer = try pack(again.packYAML(limits: false, dropLicence: Int(seed) % count).yaml)
        let lines = (0..<12).map { world.line($0) }
        for (before, after) in zip(evaluate(try pack(yaml), lines), evaluate(fewer, lines)) {
            #expect(!(before.verdict == .deny && after.verdict == .allow), "seed \(seed) line \(before.id ?? "")")
            #expect(after.verdict >= before.verdict, "seed \(seed) line \(before.id ?? "")")
        }
    }

    @Test("a line with a field removed is never allowed where the full line was not (fail closed)", arguments: seeds)
    func removingField(seed: UInt64) throws {
        var world = RandomWorld(seed: seed)
        let pack = try pack(world.packYAML(limits: true).yaml)
        for index in 0..<8 {
            let full = world.line(index)
            let verdict = evaluate(pack, [full])[0].verdict
            guard verdict > .allow else { continue }
            for field in full.map(\.0) where field != "id" {
                let partial = full.filter { $0.0 != field }
                #expect(evaluate(pack, [partial])[0].verdict > .allow, "seed \(seed): without \(field), \(full) was allowed")
            }
        }
    }

    @Test("reasons are sorted, the verdict is the worst of them, and every applying category is answered", arguments: seeds)
    func reasonsComplete(seed: UInt64) throws {
        var world = RandomWorld(seed: seed)
        let pack = try pack(world.packYAML(limits: true).yaml)
        let answers: Set<ReasonCode> = [.covered, .noLicence, .licenceLimit, .missingData, .prohibited, .categoryReview]
        for result in evaluate(pack, (0..<15).map { world.line($0) }) {
            #expect(result.reasons == result.reasons.sorted(by: Reason.reportOrder))
            #expect(result.verdict == result.reasons.map(\.verdict).max())
            for category in result.categories {
                #expect(result.reasons.contains { $0.rule == category && answers.contains($0.code) || $0.code == .covered })
            }
            if result.categories.isEmpty && !result.reasons.contains(where: { $0.code == .missingData || $0.code == .inputError }) {
                #expect(result.reasons.contains { $0.code == .notControlled })
            }
        }
    }

    @Test("the sum drawn on a licence never exceeds any of its limits", arguments: seeds)
    func limitsHold(seed: UInt64) throws {
        var world = RandomWorld(seed: seed)
        let pack = try pack(world.packYAML(limits: true).yaml)
        var evaluator = Evaluator(pack: pack, options: EvaluationOptions())
        for index in 0..<30 { _ = evaluator.evaluate(OrderSource.record(fields: world.line(index), file: "gen.csv", line: index + 2)) }
        for licence in pack.licences {
            for limit in licence.limits where limit.scope != .shipment {
                guard case .quantity(let cap) = limit.amount else { continue }
                let keys = limit.scope == .licence ? [nil] : world.customers.map { Optional($0) }
                for customer in keys {
                    let used = evaluator.ledger.used(LimitLedger.Key(licence: licence.id, customer: customer), like: limit.amount)
                    #expect(used <= cap.amount, "seed \(seed): \(licence.id) \(limit.key) \(customer ?? "") used \(used) of \(cap.amount)")
                }
            }
        }
    }

    @Test("a pack gives the same report whatever the order its files are read in")
    func fileOrder() throws {
        var world = RandomWorld(seed: 99)
        let yaml = world.packYAML(limits: true).yaml
        let parts = yaml.components(separatedBy: "categories:\n")
        let files = [("a.yaml", Array(parts[0].utf8)), ("b.yaml", Array(("categories:\n" + parts[1]).utf8))]
        let forward = try PackLoader().load(sources: files, root: "gen")
        let backward = try PackLoader().load(sources: files.reversed(), root: "gen")
        let lines = (0..<20).map { world.line($0) }
        let render = { (pack: Pack) in
            JSONReporter.report(
                EvaluationReport(pack: pack, asOf: nil, results: self.evaluate(pack, lines), namesFiles: false), options: ReportOptions())
        }
        #expect(render(forward) == render(backward))
        #expect(forward.digest == backward.digest)
    }
}

@Suite("Parallel evaluation")
struct ParallelEvaluationTests {
    @Test("--jobs never changes a report: parallel and sequential give the same bytes, across batch boundaries")
    func equivalence() throws {
        // The first seed whose pack has licences with limits, so that coverage and draws are exercised.
        var seed: UInt64 = 1
        var yaml = ""
        while true {
            var probe = RandomWorld(seed: seed)
            let (text, count) = probe.packYAML(limits: true)
            if count >= 2 { yaml = text; break }
            seed += 1
        }
        var world = RandomWorld(seed: seed)
        _ = world.packYAML(limits: true)
        let pack = try PackLoader().load(sources: [("rules.yaml", Array(yaml.utf8))], root: "gen")
        var csv = "id,supplier,customer,destination,end_use,date,hs_code,composition,quantity\n"
        for index in 0..<(Clearance.batchSize + 700) {
            let fields = Dictionary(world.line(index), uniquingKeysWith: { first, _ in first })
            let row = ["id", "supplier", "customer", "destination", "end_use", "date", "hs_code", "composition", "quantity"].map {
                fields[$0] ?? ""
            }
            csv += row.joined(separator: ",") + "\n"
        }
        let path = TestPack.write(["orders.csv": csv]) + "/orders.csv"
        func report(jobs: Int) throws -> String {
            let run = try Clearance.check(pack: pack, files: [path], format: nil, options: EvaluationOptions(), jobs: jobs)
            return JSONReporter.report(run.report, options: ReportOptions())
        }
        let sequential = try report(jobs: 1)
        #expect(sequential.contains("\"covered\""))
        for jobs in [2, 5] { #expect(try report(jobs: jobs) == sequential, "jobs \(jobs)") }
    }
}
