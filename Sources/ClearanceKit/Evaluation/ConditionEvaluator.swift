import Foundation

/// Evaluates compiled conditions against a line's facts with three-valued logic.
public struct ConditionEvaluator: Sendable {
    let pack: Pack

    public init(pack: Pack) { self.pack = pack }

    /// The truth of `condition` for the line.
    public func evaluate(_ condition: Condition, _ facts: LineFacts) -> Truth {
        // A loop rather than `Truth.all(parts.lazy.map { … })`: the closure copied the facts and
        // the evaluator for every part (a quarter of the evaluation time on W1, perf).
        switch condition {
        case .all(let parts): return combine(parts, facts, decisive: false)
        case .any(let parts): return combine(parts, facts, decisive: true)
        case .not(let inner): return !evaluate(inner, facts)
        case .leaf(let leaf): return evaluate(leaf, facts)
        }
    }

    /// `all` (decisive false, through `&&`) or `any` (decisive true, through `||`), stopping at
    /// the first decisive part: `Truth.all` and `Truth.any` over parts evaluated one at a time.
    private func combine(_ parts: [Condition], _ facts: LineFacts, decisive: Bool) -> Truth {
        var result = Truth(!decisive)
        for part in parts {
            let truth = evaluate(part, facts)
            result = decisive ? result || truth : result && truth
            if result == Truth(decisive) { return result }
        }
        return result
    }

    /// The truth of `condition` with the truth of every part, for `explain`.
    public func trace(_ condition: Condition, _ facts: LineFacts) -> TraceNode {
        switch condition {
        case .all(let parts), .any(let parts):
            let children = parts.map { trace($0, facts) }
            let isAll = if case .all = condition { true } else { false }
            let truth = isAll ? Truth.all(children.map(\.truth)) : Truth.any(children.map(\.truth))
            return TraceNode(label: isAll ? "all" : "any", truth: truth, children: children)
        case .not(let inner):
            let child = trace(inner, facts)
            return TraceNode(label: "not", truth: !child.truth, children: [child])
        case .leaf(let leaf):
            let (value, _) = self.value(of: leaf.field, facts)
            let shown = value.map { " (line: \($0))" } ?? ""
            return TraceNode(label: leaf.text + shown, truth: evaluate(leaf, facts), children: [], source: leaf.source)
        }
    }

    /// A field's value on the line, and, when it has none, the words that name what is missing if
    /// that is not the field itself (an unknown party, a party's country, the composition); nil
    /// when the line just lacks the field, whose leaves then read their `fieldMissing`, made once.
    func value(of field: Field, _ facts: LineFacts) -> (value: Operand?, missing: String?) {
        func text(_ value: String?) -> (Operand?, String?) {
            guard let value else { return (nil, nil) }
            return (.text(field.isCaseInsensitive ? value.caseFolded : value), nil)
        }
        switch field {
        case .id: return text(facts[line: \.id])
        case .endUse: return (facts.foldedEndUse.map(Operand.text), nil)
        case .hsCode: return text(facts.hsCode)
        case .product: return text(facts[line: \.product])
        case .attribute(let name): return text(facts.attribute(name))
        case .destination: return text(facts[line: \.destination])
        case .date: return (facts.date.map { .day($0) }, nil)
        case .quantity: return (facts[line: \.quantity].map { .quantity($0) }, nil)
        case .value: return (facts[line: \.value].map { .money($0) }, nil)
        case .composition(let element):
            guard let share = facts.share(of: element) else { return (nil, "composition") }
            return (.percentage(share), nil)
        case .supplier, .customer, .endUser, .supplierCountry, .customerCountry, .endUserCountry:
            if let text = knownText(of: field, facts) { return (.text(text), nil) }
            // The role ("supplier") is written only when the value is missing.
            return partyValue(facts.party(field), name: field.rootName) { party in
                field.kind == .party ? .text(party.id) : party.country.map { .text($0) }
            }
        case .customerLists, .endUserLists:
            return (nil, nil)
        }
    }

    private func partyValue(
        _ resolution: PartyResolver.Resolution, name: @autoclosure () -> String, _ read: (Party) -> Operand?
    ) -> (Operand?, String?) {
        switch resolution {
        case .absent: return (nil, name())
        case .unknown(let raw), .ambiguous(let raw, _): return (nil, Truth.unknownParty(name(), raw: raw))
        case .party(let id):
            guard let party = pack.parties[id], let value = read(party) else { return (nil, "\(name()).country") }
            return (value, nil)
        }
    }

    /// Whether the line gives `field`, as `exists` tests it: a value (`found`, what `value(of:)`
    /// read), or for a party field a name the register does not know.
    func isPresent(_ field: Field, found: Operand?, _ facts: LineFacts) -> Bool {
        if found != nil { return true }
        switch facts.party(field) {
        case .unknown, .ambiguous: return field.kind == .party
        default: return false
        }
    }

    /// One leaf: unknown when the field is missing or the values cannot be compared.
    public func evaluate(_ leaf: Leaf, _ facts: LineFacts) -> Truth {
        evaluate(leaf, facts, textFastPath: true)
    }

    /// `evaluate`, optionally without the fast path for text comparisons (tests compare the two).
    func evaluate(_ leaf: Leaf, _ facts: LineFacts, textFastPath: Bool) -> Truth {
        if leaf.field.kind == .lists { return listsLeaf(leaf, facts) }
        if textFastPath, leaf.operandsAreText, leaf.op == .eq || leaf.op == .in || leaf.op == .ne || leaf.op == .notIn,
            let truth = textMembership(leaf, facts)
        {
            return truth
        }
        let (found, missing) = value(of: leaf.field, facts)
        if leaf.op == .exists { return Truth(isPresent(leaf.field, found: found, facts) == leaf.expectsPresence) }
        guard let value = found else { return missing.map { .unknown(missing: [$0]) } ?? leaf.fieldMissing }
        // Built only when needed: the message and its set were a tenth of the evaluation time.
        var incomparable: Truth { .unknown(missing: [Self.incomparable(leaf.field, value, leaf.operands.first)]) }
        switch leaf.op {
        case .eq, .ne, .in, .notIn:
            var sawIncomparable = false
            var found = false
            for operand in leaf.operands {
                if case .text(let text) = value, case .text(let other) = operand {
                    // Equality without ordering: one comparison instead of two.
                    if text == other {
                        found = true
                        break
                    }
                    continue
                }
                switch Operand.compare(value, operand) {
                case .orderedSame?: found = true
                case nil: sawIncomparable = true
                default: break
                }
                if found { break }
            }
            let truth: Truth = found ? .true : sawIncomparable ? incomparable : .false
            return leaf.op == .eq || leaf.op == .in ? truth : !truth
        case .prefix:
            guard case .text(let text) = value else { return incomparable }
            return Truth(leaf.operands.contains { if case .text(let prefix) = $0 { text.hasPrefix(prefix) } else { false } })
        case .matches:
            guard case .text(let text) = value, let pattern = leaf.pattern else { return incomparable }
            return Truth(pattern.matches(text))
        case .gte, .gt, .lte, .lt:
            let value = Self.asPercentage(value, for: leaf)
            guard let operand = leaf.operands.first, let order = Operand.compare(value, operand) else { return incomparable }
            return Truth(Self.holds(leaf.op, order))
        case .between:
            let value = Self.asPercentage(value, for: leaf)
            guard leaf.operands.count == 2, let low = Operand.compare(value, leaf.operands[0]),
                let high = Operand.compare(value, leaf.operands[1])
            else { return incomparable }
            return Truth(low != .orderedAscending && high != .orderedDescending)
        case .exists, .contains:
            return incomparable
        }
    }

    /// Whether `gte`, `gt`, `lte` or `lt` (`op`) holds for a value that compares with the bound
    /// as `order` says.
    static func holds(_ op: Operator, _ order: ComparisonResult) -> Bool {
        switch op {
        case .gte: order != .orderedAscending
        case .gt: order == .orderedDescending
        case .lte: order != .orderedDescending
        default: order == .orderedAscending
        }
    }

    /// `eq`, `ne`, `in` and `not_in` with text operands on a field the line gives as text: what
    /// the general path decides, without wrapping the value as an operand (a tenth of evaluating
    /// conditions on W1); nil for other fields.
    private func textMembership(_ leaf: Leaf, _ facts: LineFacts) -> Truth? {
        guard let text = comparableText(of: leaf.field, facts) else { return nil }
        guard let value = text else { return leaf.fieldMissing }
        var found = false
        for operand in leaf.operands {
            if case .text(let other) = operand, other == value {
                found = true
                break
            }
        }
        return leaf.op == .eq || leaf.op == .in ? Truth(found) : Truth(!found)
    }

    /// The text `eq` and `in` compare with their text operands when the line's value of `field`
    /// is known: `comparableText`'s for text fields, the resolved party's id or register country
    /// for party and country fields; nil when it is not known (the test is then unknown, or the
    /// field is of another kind).
    func knownText(of field: Field, _ facts: LineFacts) -> String? {
        switch field {
        case .supplier, .customer, .endUser:
            return facts.party(field).id
        case .supplierCountry, .customerCountry, .endUserCountry:
            guard let id = facts.party(field).id else { return nil }
            if let entry = facts.entry(field) { return entry.country }
            return pack.parties[id]?.country
        default:
            return comparableText(of: field, facts) ?? nil
        }
    }

    /// Whether `knownText` reads `field`.
    static func hasKnownText(_ field: Field) -> Bool {
        switch field {
        case .supplier, .customer, .endUser, .supplierCountry, .customerCountry, .endUserCountry: true
        default: readsText(field)
        }
    }

    /// Whether `comparableText` reads `field`.
    static func readsText(_ field: Field) -> Bool {
        switch field {
        case .id, .endUse, .hsCode, .product, .attribute, .destination: true
        default: false
        }
    }

    /// The line's text for a field `readsText`, case-folded where the field is compared without
    /// case, as `eq` and `in` compare it with their text operands; `.some(nil)` when the line
    /// does not give it, nil for other fields.
    func comparableText(of field: Field, _ facts: LineFacts) -> String?? {
        let text: String?
        switch field {
        case .id: text = facts[line: \.id]
        // Folded once for the line.
        case .endUse: return .some(facts.foldedEndUse)
        case .hsCode: text = facts.hsCode
        case .product: text = facts[line: \.product]
        case .attribute(let name): text = facts.attribute(name)
        case .destination: text = facts[line: \.destination]
        default: return nil
        }
        guard let text else { return .some(nil) }
        return field.isCaseInsensitive ? text.caseFolded : text
    }

    private func listsLeaf(_ leaf: Leaf, _ facts: LineFacts) -> Truth {
        let role = leaf.field == .customerLists ? "customer" : "end_user"
        let resolution = facts.party(leaf.field)
        if leaf.op == .exists {
            if case .absent = resolution { return Truth(!leaf.expectsPresence) }
            return Truth(leaf.expectsPresence)
        }
        let lists = leaf.field == .customerLists ? facts.customerLists : facts.endUserLists
        guard let lists else {
            switch resolution {
            case .absent: return .unknown(missing: [role])
            case .unknown(let raw), .ambiguous(let raw, _): return .unknown(missing: [Truth.unknownParty(role, raw: raw)])
            case .party: return .dateMissing
            }
        }
        return Truth(leaf.operands.contains { if case .text(let id) = $0 { lists.contains(id) } else { false } })
    }

    /// An attribute's text read as a percentage when the leaf compares percentages.
    static func asPercentage(_ value: Operand, for leaf: Leaf) -> Operand {
        guard case .text(let text) = value, case .percentage? = leaf.operands.first,
            let percentage = Percentage.parse(text)
        else { return value }
        return .percentage(percentage)
    }

    /// Names what is missing when a line value cannot be compared with the rule's.
    static func incomparable(_ field: Field, _ value: Operand, _ operand: Operand?) -> String {
        switch operand {
        case .quantity(let quantity)?: "\(field) in \(quantity.dimension == .mass ? "kg" : "pcs")"
        case .money(let money)?: "\(field) in \(money.currency)"
        case .percentage?: "\(field) as a percentage"
        default: field.name
        }
    }
}

/// A condition with the truth of each part, as `explain` prints it.
public struct TraceNode: Sendable {
    public var label: String
    public var truth: Truth
    public var children: [TraceNode]
    public var source: SourceLocation?

    public init(label: String, truth: Truth, children: [TraceNode], source: SourceLocation? = nil) {
        self.label = label
        self.truth = truth
        self.children = children
        self.source = source
    }
}
