/// Finds the pack-wide rules that can fire on a line without evaluating the others.
///
/// A rule whose condition is, or is an `all` that contains, an `eq` or `in` test of a text,
/// party or country field (`destination: [KP, IR]`, `end_use: [military]`, `customer.country:
/// [RU]`) is false for a line whose value of that field is known and another, so it is skipped;
/// it is evaluated as written when the line has one of the test's values or its value is not
/// known (a missing field, an unknown party: then the test is unknown, not false) — except, on a
/// line without the field, a rule whose top also requires it to exist (`{end_user: {exists:
/// true}}`), which is false there. A rule without such a test whose condition is, or has in its
/// top `all`, a `gt`, `gte`, `lt` or `lte` test of the value or the quantity is skipped when the
/// line's value is known, comparable and outside it (`value: {gt: 5000000 USD}` on a line of
/// 100,000 USD). Other rules are evaluated on every line. Ten W1 rules cost about 5,000
/// instructions a line, almost all of them false.
struct RuleIndex: Sendable {
    /// The rules one field lets fire.
    ///
    /// A class, immutable: read for every line, a struct was copied field by field each time.
    private final class Trigger: Sendable {
        let field: Field
        /// Rule positions by the (compared) text that lets them fire; ASCII texts found by their
        /// bytes (`TextIndex`: comparing a line's text with a handful of pairs, or hashing it,
        /// cost more, callgrind).
        private let texts: TextIndex<[Int]>
        /// Every rule this field triggers: all of them may fire on a line whose value of the field
        /// is not known.
        let all: [Int]
        /// Those of `all` that may fire on a line without the field: not the rules whose top
        /// requires it to exist (`all: [{end_user: {exists: true}}, {end_user: [X]}]`, a guard
        /// packs write so that a line without the field is not sent to review), false there.
        let whenAbsent: [Int]

        /// Whether the field is a product fact (`ProductCategories.isProductFact`).
        let readsProductFacts: Bool
        /// How `insert` reads the field's text: the destination and the end use, the fields most
        /// rules test, straight from the facts; others through `ConditionEvaluator.knownText`,
        /// whose switch over every field was about 110 instructions a trigger (callgrind).
        let reading: Reading

        enum Reading {
            /// `facts[line: \.destination]`: nil when the line has none.
            case destination
            /// `facts.foldedEndUse`: nil when the line has none.
            case endUse
            /// `knownText`, and `isPresent` when it is nil.
            case known
        }
        /// What `texts` answers for each text of two capital letters (`AA` to `ZZ`), by
        /// `ISOCodes.countryPlace`: a destination's or a party's country is one, found here by its
        /// two bytes (the text index hashed them, about 100 instructions a look-up; callgrind).
        private let twoLetters: [[Int]?]
        /// `SmallASCIIString.isSupported`, read once.
        private let smallStrings = SmallASCIIString.isSupported

        init(field: Field, rules: [String: [Int]], all: [Int], whenAbsent: [Int]) {
            self.field = field
            readsProductFacts = ProductCategories.isProductFact(field)
            reading =
                switch field {
                case .destination: .destination
                case .endUse: .endUse
                default: .known
                }
            let texts = TextIndex(rules)
            self.texts = texts
            (self.all, self.whenAbsent) = (all, whenAbsent)
            var twoLetters = [[Int]?](repeating: nil, count: ISOCodes.countryPlaces)
            let letters = UInt8(ascii: "A")...UInt8(ascii: "Z")
            for first in letters {
                for second in letters {
                    let code = String(decoding: [first, second], as: UTF8.self)
                    if let place = ISOCodes.countryPlace(code) { twoLetters[place] = texts.value(for: code) }
                }
            }
            self.twoLetters = twoLetters
        }

        /// The rules the line's `text` lets fire.
        func rules(for text: String) -> [Int]? {
            if let place = ISOCodes.countryPlace(text, smallStrings: smallStrings) { return twoLetters[place] }
            return texts.value(for: text)
        }

        /// The rules the text index finds for `text`, without the two-letter table (for tests).
        func indexedRules(for text: String) -> [Int]? { texts.value(for: text) }

        /// Its arrays of rule positions: `all`, `whenAbsent` and those its texts find.
        var ruleArrays: [[Int]] { [all, whenAbsent] + texts.dictionary.values }

        /// Marks the trigger, its texts and its arrays of rules immortal (`Immortal`). (The arrays
        /// unmarked, the one a line's text found was counted on every line, by both threads.)
        func markImmortal() {
            Immortal.mark(self)
            texts.markImmortal()
            Immortal.mark(array: twoLetters)
            for rules in ruleArrays { Immortal.mark(array: rules) }
        }
    }

    /// The triggers, for tests.
    var triggerFields: [Field] { triggers.map(\.field) }

    /// The rules the trigger on `field` lets fire for `text`, through `rules(for:)` and through
    /// its text index alone (for tests); nil without a trigger on `field`.
    func triggerRules(_ field: Field, _ text: String) -> (rules: [Int]?, indexed: [Int]?)? {
        guard let trigger = triggers.first(where: { $0.field == field }) else { return nil }
        return (trigger.rules(for: text), trigger.indexedRules(for: text))
    }

    private let triggers: [Trigger]
    /// The same, read by `candidates` without a retain and release of each for every line (the
    /// array above keeps them alive).
    private let unretainedTriggers: [Unmanaged<Trigger>]

    /// Marks the triggers immortal (`Immortal`): only for an index kept until the process exits.
    func markImmortal() {
        for trigger in triggers { trigger.markImmortal() }
    }

    /// The arrays of rule positions `candidates` reads for a line (for ImmortalTests).
    var ruleArrays: [[Int]] { triggers.flatMap(\.ruleArrays) }

    /// The rules with a threshold test and no text trigger.
    private let thresholds: [Threshold]
    /// The same, read by `candidates` without copying each (its bound) for every line.
    private let unretainedThresholds: [Unmanaged<Threshold>]
    /// The rules evaluated on every line.
    private let unconditional: PositionSet
    private let ruleCount: Int

    /// A `gt`, `gte`, `lt` or `lte` test of the value (money) or the quantity that a rule needs
    /// true, and the rule.
    ///
    /// A class, immutable, read unretained (`unretainedThresholds`).
    final class Threshold: Sendable {
        let field: Field
        let op: Operator
        let bound: Operand
        let rule: Int

        init(field: Field, op: Operator, bound: Operand, rule: Int) {
            (self.field, self.op, self.bound, self.rule) = (field, op, bound, rule)
        }

        /// Whether the test is false for the line: its value is known, comparable with the bound
        /// (the same currency, or the same dimension) and outside it, as `ConditionEvaluator`
        /// compares them.
        func isFalse(_ facts: LineFacts) -> Bool {
            let value = field == .value ? facts[line: \.value].map(Operand.money) : facts[line: \.quantity].map(Operand.quantity)
            guard let value, let order = Operand.compare(value, bound) else { return false }
            return !ConditionEvaluator.holds(op, order)
        }
    }

    init(rules: [Rule]) {
        var byField: [Field: [String: [Int]]] = [:]
        var allByField: [Field: [Int]] = [:]
        var whenAbsentByField: [Field: [Int]] = [:]
        var fields: [Field] = []
        var unconditional = PositionSet(count: rules.count)
        var thresholds: [Threshold] = []
        for (position, rule) in rules.enumerated() {
            guard let (field, values) = Self.trigger(rule.condition) else {
                if let leaf = Self.threshold(rule.condition), let bound = leaf.operands.first {
                    thresholds.append(Threshold(field: leaf.field, op: leaf.op, bound: bound, rule: position))
                } else {
                    unconditional.insert(position)
                }
                continue
            }
            if allByField[field] == nil { fields.append(field) }
            allByField[field, default: []].append(position)
            if !Self.requiresPresence(of: field, rule.condition) { whenAbsentByField[field, default: []].append(position) }
            for value in values { byField[field, default: [:]][value, default: []].append(position) }
        }
        triggers = fields.map {
            Trigger(field: $0, rules: byField[$0] ?? [:], all: allByField[$0] ?? [], whenAbsent: whenAbsentByField[$0] ?? [])
        }
        unretainedTriggers = triggers.map { Unmanaged.passUnretained($0) }
        self.thresholds = thresholds
        unretainedThresholds = thresholds.map { Unmanaged.passUnretained($0) }
        self.unconditional = unconditional
        ruleCount = rules.count
    }

    /// The test of the value or the quantity against one bound of the same kind, at the
    /// condition's top (itself, or a part of an `all`), if it has one.
    static func threshold(_ condition: Condition) -> Leaf? {
        switch condition {
        case .leaf(let leaf) where [.gt, .gte, .lt, .lte].contains(leaf.op) && leaf.operands.count == 1:
            switch (leaf.field, leaf.operands[0]) {
            case (.value, .money), (.quantity, .quantity): return leaf
            default: return nil
            }
        case .all(let parts):
            for part in parts { if let leaf = threshold(part) { return leaf } }
            return nil
        default:
            return nil
        }
    }

    /// Whether the condition is false on every line without `field`: it is, or has in its top
    /// `all` (or an `all` inside it), `{field: {exists: true}}`.
    static func requiresPresence(of field: Field, _ condition: Condition) -> Bool {
        switch condition {
        case .leaf(let leaf): leaf.field == field && leaf.op == .exists && leaf.expectsPresence
        case .all(let parts): parts.contains { requiresPresence(of: field, $0) }
        default: false
        }
    }

    /// The field and the texts one of which it must have for the condition to be true, if
    /// the condition has such a test at its top (itself, or a part of an `all`).
    static func trigger(_ condition: Condition) -> (field: Field, values: Set<String>)? {
        switch condition {
        case .leaf(let leaf)
        where ConditionEvaluator.hasKnownText(leaf.field) && leaf.operandsAreText && (leaf.op == .eq || leaf.op == .in):
            return (leaf.field, Set(leaf.operands.compactMap { if case .text(let text) = $0 { text } else { nil } }))
        case .all(let parts):
            for part in parts { if let trigger = trigger(part) { return trigger } }
            return nil
        default:
            return nil
        }
    }

    /// The positions of the rules that may be true (or unknown) for the line, in rule order.
    ///
    /// A set of bits, not a closure per rule: a closure calling back into the evaluator copied
    /// the evaluator for every line (more than the index saved).
    ///
    /// - Parameter product: `productCandidates` of the line's product, when the line's product
    ///   facts are its catalogue entry's (`LineFacts.catalogueOrdinal`): the triggers on product
    ///   facts are then not looked at again.
    func candidates(_ facts: LineFacts, conditions: ConditionEvaluator, product: PositionSet? = nil) -> PositionSet {
        // Up to 64 rules made empty and joined, not copied: the copy went through the value
        // witness of `[UInt64]?` (about 80 instructions a line, callgrind). Past 64, a copy shares
        // the set's array until a rule past 64 is inserted; made empty, it had an array a line.
        var candidates: PositionSet
        if ruleCount <= 64 {
            candidates = PositionSet(count: ruleCount)
            candidates.formUnion(unconditional)
        } else {
            candidates = unconditional
        }
        if let product { candidates.formUnion(product) }
        for trigger in unretainedTriggers {
            trigger._withUnsafeGuaranteedRef { trigger in
                if product != nil, trigger.readsProductFacts { return }
                Self.insert(trigger, facts, conditions, into: &candidates)
            }
        }
        for threshold in unretainedThresholds {
            threshold._withUnsafeGuaranteedRef { threshold in
                if !threshold.isFalse(facts) { candidates.insert(threshold.rule) }
            }
        }
        return candidates
    }

    /// The rules the triggers on product facts (HS code, attributes) let fire for a line with `facts`.
    ///
    /// For a line that gives none of those itself, the same for every line of its product, so
    /// worked out once per product (`ProductCategories`): the attribute of a line's product was
    /// read from the catalogue entry on every line, a cache miss most times (`perf`).
    func productCandidates(_ facts: LineFacts, conditions: ConditionEvaluator) -> PositionSet {
        var candidates = PositionSet(count: ruleCount)
        for trigger in triggers where trigger.readsProductFacts { Self.insert(trigger, facts, conditions, into: &candidates) }
        return candidates
    }

    /// Whether some trigger reads product facts (else `productCandidates` is always empty).
    var hasProductTriggers: Bool { triggers.contains { $0.readsProductFacts } }

    /// Adds the rules `trigger` lets fire on the line.
    @inline(__always)
    private static func insert(_ trigger: Trigger, _ facts: LineFacts, _ conditions: ConditionEvaluator, into candidates: inout PositionSet)
    {
        let text: String?
        switch trigger.reading {
        case .destination: text = facts[line: \.destination]
        case .endUse: text = facts.foldedEndUse
        case .known: text = conditions.knownText(of: trigger.field, facts)
        }
        if let text {
            if let rules = trigger.rules(for: text) { candidates.insert(rules) }
        } else if case .known = trigger.reading {
            // Without a known value, the line lacks the field or names a party the register does not know.
            candidates.insert(conditions.isPresent(trigger.field, found: nil, facts) ? trigger.all : trigger.whenAbsent)
        } else {
            // A line without a destination or an end use lacks the field.
            candidates.insert(trigger.whenAbsent)
        }
    }
}
