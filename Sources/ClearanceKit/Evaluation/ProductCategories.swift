/// What each catalogue product's categories say, worked out once for the pack.
///
/// A category whose condition reads only what a product gives (its HS code, composition and
/// attributes) is true, false or unknown alike on every line of the product that gives none of
/// those itself. Such conditions are evaluated once per product here, not on every line: an
/// HS-prefix look-up and a composition test were about 2,000 instructions of a W1 line
/// (callgrind). The other categories are evaluated on every line, and every category's effective
/// dates and suspensions are checked against the line's date; a traced line evaluates everything.
///
/// The rules the rule index's triggers on product facts let fire are kept per product the same
/// way (`RuleIndex.productCandidates`).
struct ProductCategories: Sendable {
    /// The categories whose conditions read only product facts.
    let memoised: PositionSet
    /// The others: evaluated line by line.
    let lineDependent: PositionSet
    /// By catalogue ordinal, where the product's entries start in `positions` and `truths`; one
    /// more than there are products.
    private let starts: [Int]
    /// The memoised categories whose condition is not false for the product, ascending, with the
    /// condition's truth.
    private let positions: [Int]
    private let truths: [Truth]
    /// By catalogue ordinal, the rules the rule index's triggers on product facts let fire
    /// (`RuleIndex.productCandidates`); empty without an index or such triggers.
    private let ruleCandidates: [PositionSet]

    /// - Parameters:
    ///   - products: every catalogue entry with its SKU.
    ///   - facts: the facts of a line that gives only the product `sku`.
    init(
        categories: [Category], products: [(sku: String, entry: LineFacts.Catalogue.Entry)], index: CategoryIndex,
        program: ConditionProgram, conditions: ConditionEvaluator, rules: RuleIndex? = nil, facts: @Sendable (String) -> LineFacts
    ) {
        var memoised = PositionSet(count: categories.count)
        var lineDependent = PositionSet(count: categories.count)
        for (position, category) in categories.enumerated() {
            if category.condition.leaves.allSatisfy({ Self.isProductFact($0.field) }) {
                memoised.insert(position)
            } else {
                lineDependent.insert(position)
            }
        }
        let candidates = memoised
        let triggering = rules?.hasProductTriggers == true ? rules : nil
        // Each product's not-false memoised categories, on two threads for a large catalogue.
        let slices = Concurrently.map(products.count, slices: products.count >= 1_024 ? 2 : 1) { range in
            var found: [(ordinal: Int, position: Int, truth: Truth)] = []
            var triggered: [(ordinal: Int, rules: PositionSet)] = []
            for offset in range {
                let product = products[offset]
                guard let ordinal = product.entry.ordinal else { continue }
                let facts = facts(product.sku)
                if let rules = triggering { triggered.append((ordinal, rules.productCandidates(facts, conditions: conditions))) }
                var positions = index.candidates(hsCode: facts.hsCode)
                positions.formIntersection(candidates)
                for position in positions {
                    let truth = program.evaluate(position, facts, conditions)
                    if !truth.isFalse { found.append((ordinal, position, truth)) }
                }
            }
            return (found: found, triggered: triggered)
        }
        // Grouped by ordinal (positions stay ascending within a product).
        var starts = [Int](repeating: 0, count: products.count + 1)
        for slice in slices { for entry in slice.found { starts[entry.ordinal + 1] += 1 } }
        for ordinal in 0..<products.count { starts[ordinal + 1] += starts[ordinal] }
        var next = starts
        var positions = [Int](repeating: 0, count: starts[products.count])
        var truths = [Truth](repeating: .false, count: starts[products.count])
        for slice in slices {
            for entry in slice.found {
                (positions[next[entry.ordinal]], truths[next[entry.ordinal]]) = (entry.position, entry.truth)
                next[entry.ordinal] += 1
            }
        }
        (self.starts, self.positions, self.truths) = (starts, positions, truths)
        var ruleCandidates: [PositionSet] = []
        if triggering != nil {
            ruleCandidates = Array(repeating: PositionSet(count: 0), count: products.count)
            for slice in slices { for product in slice.triggered { ruleCandidates[product.ordinal] = product.rules } }
        }
        self.ruleCandidates = ruleCandidates
        self.memoised = memoised
        self.lineDependent = lineDependent
    }

    /// Whether a field's value on a line that gives no product facts of its own is its product's.
    static func isProductFact(_ field: Field) -> Bool {
        switch field {
        case .hsCode, .composition, .attribute: true
        default: false
        }
    }

    /// The memoised categories not false for the product `ordinal`, ascending, as a range of
    /// `position(at:)` and `truth(at:)`.
    func entries(of ordinal: Int) -> Range<Int> { starts[ordinal]..<starts[ordinal + 1] }

    func position(at entry: Int) -> Int { positions[entry] }

    func truth(at entry: Int) -> Truth { truths[entry] }

    /// The rules the product facts of `ordinal` let fire (`RuleIndex.productCandidates`); nil
    /// when they were not worked out (no rule index, or no trigger on product facts).
    func ruleCandidates(of ordinal: Int) -> PositionSet? {
        ruleCandidates.isEmpty ? nil : ruleCandidates[ordinal]
    }

    /// Marks the arrays immortal (`Immortal`): every line reads them, on every preparing thread.
    func markImmortal() {
        Immortal.mark(array: starts)
        Immortal.mark(array: positions)
        Immortal.mark(array: truths)
        Immortal.mark(array: ruleCandidates)
    }
}
