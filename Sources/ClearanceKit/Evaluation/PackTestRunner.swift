/// Runs pack tests (contract §9) and measures which parts of the pack they exercise.
public struct PackTestRunner: Sendable {
    /// The outcome of one test.
    public struct Outcome: Sendable {
        /// One order line's result and what was wrong with it (empty when it met its expectation).
        public struct Line: Sendable {
            public var result: LineResult
            public var expectation: PackTest.Expectation
            public var mismatches: [String]
        }

        public var test: PackTest
        public var lines: [Line]
        public var passed: Bool { lines.allSatisfy(\.mismatches.isEmpty) }
    }

    /// Domain coverage: which categories applied, which licences covered, which licence checks
    /// blocked a line, which rules fired and which lists matched.
    public struct Coverage: Sendable {
        /// One thing the tests can exercise, such as `licence CN-GL-2025-0002 limit per_shipment_quantity`.
        public struct Item: Sendable, Hashable, Comparable {
            public var group: String
            public var name: String

            public static func < (lhs: Item, rhs: Item) -> Bool { (lhs.group, lhs.name) < (rhs.group, rhs.name) }
        }

        public var items: [Item]
        public var exercised: Set<Item>

        /// Exercised items as a percentage of all items (100 when there is nothing to cover).
        public var percentage: Double {
            items.isEmpty ? 100 : Double(items.filter(exercised.contains).count) * 100 / Double(items.count)
        }

        /// The items no test exercised.
        public var missed: [Item] { items.filter { !exercised.contains($0) } }
    }

    public let pack: Pack
    public let today: Day?

    public init(pack: Pack, today: Day?) {
        self.pack = pack
        self.today = today
    }

    /// Runs every test, each with a fresh evaluator (usage does not carry between tests).
    public func run(_ tests: [PackTest]) -> (outcomes: [Outcome], coverage: Coverage) {
        var exercised: Set<Coverage.Item> = []
        var outcomes: [Outcome] = []
        for test in tests {
            var evaluator = Evaluator(pack: pack, options: EvaluationOptions(asOf: test.asOf, today: test.today ?? today))
            var lines: [Outcome.Line] = []
            for (record, expectation) in zip(test.orders, test.expectations) {
                let (result, trace) = evaluator.explain(record)
                exercised.formUnion(self.exercised(result, trace))
                lines.append(Outcome.Line(result: result, expectation: expectation, mismatches: Self.mismatches(result, expectation)))
            }
            outcomes.append(Outcome(test: test, lines: lines))
        }
        return (outcomes, Coverage(items: coverageItems(), exercised: exercised))
    }

    static func mismatches(_ result: LineResult, _ expectation: PackTest.Expectation) -> [String] {
        var problems: [String] = []
        if let verdict = expectation.verdict, verdict != result.verdict {
            problems.append("verdict: expected \(verdict), got \(result.verdict)")
        }
        if let licence = expectation.licence, licence != result.licence {
            problems.append("licence: expected \(licence ?? "none"), got \(result.licence ?? "none")")
        }
        let codes = Set(result.reasons.map(\.code))
        let missing = expectation.codes.filter { !codes.contains($0) }
        if !missing.isEmpty {
            problems.append(
                "codes: expected \(missing.map(\.rawValue).joined(separator: ", ")) among [\(result.reasons.map(\.code.rawValue).joined(separator: ", "))]"
            )
        }
        if let categories = expectation.categories, categories.sorted() != result.categories {
            problems.append(
                "categories: expected [\(categories.sorted().joined(separator: ", "))], got [\(result.categories.joined(separator: ", "))]")
        }
        return problems
    }

    /// Everything in the pack that tests can exercise.
    func coverageItems() -> [Coverage.Item] {
        var items: [Coverage.Item] = []
        items += pack.categories.map { Coverage.Item(group: "category", name: "\($0.id) applies") }
        for licence in pack.licences {
            if licence.status == .active { items.append(Coverage.Item(group: "licence", name: "\(licence.id) covers")) }
            for check in Self.blockingChecks(of: licence) {
                items.append(Coverage.Item(group: "licence", name: "\(licence.id) \(check) blocks"))
            }
            for index in licence.conditions.indices {
                items.append(Coverage.Item(group: "licence", name: "\(licence.id) condition \(index + 1) applies"))
            }
        }
        items += pack.rules.map { Coverage.Item(group: "rule", name: "\($0.id) applies") }
        items += pack.lists.keys.sorted().map { Coverage.Item(group: "list", name: "\($0) matches") }
        return items.sorted()
    }

    /// The checks of a licence that can block a line, by the names `LicenceMatcher` gives them.
    static func blockingChecks(of licence: Licence) -> [String] {
        var checks: [String] = licence.status == .active ? [] : ["status"]
        if licence.valid.from != nil || licence.valid.until != nil { checks.append("validity") }
        if licence.customers != nil { checks.append("customer") }
        if licence.endUsers != nil { checks.append("end user") }
        if licence.destinations != nil { checks.append("destination") }
        if !licence.excludedEndUses.isEmpty { checks.append("end use") }
        checks += licence.limits.map { "limit \($0.key)" }
        return checks
    }

    func exercised(_ result: LineResult, _ trace: LineTrace) -> Set<Coverage.Item> {
        var items: Set<Coverage.Item> = []
        for category in trace.categories where category.applies.isTrue {
            items.insert(Coverage.Item(group: "category", name: "\(category.id) applies"))
        }
        for step in trace.licences {
            if step.selected { items.insert(Coverage.Item(group: "licence", name: "\(step.licence) covers")) }
            for check in step.checks where check.truth.isFalse {
                items.insert(Coverage.Item(group: "licence", name: "\(step.licence) \(check.name) blocks"))
            }
        }
        for reason in result.reasons {
            switch reason.code {
            case .rule: reason.rule.map { _ = items.insert(Coverage.Item(group: "rule", name: "\($0) applies")) }
            case .listedParty: reason.rule.map { _ = items.insert(Coverage.Item(group: "list", name: "\($0) matches")) }
            case .licenceCondition:
                let conditions = pack.licences.first { $0.id == reason.rule }?.conditions ?? []
                if let licence = reason.rule, let index = conditions.firstIndex(where: { $0.source == reason.source }) {
                    items.insert(Coverage.Item(group: "licence", name: "\(licence) condition \(index + 1) applies"))
                }
            default: break
            }
        }
        return items
    }
}
