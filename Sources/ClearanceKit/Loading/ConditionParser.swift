import Foundation

/// Compiles `when:` conditions from YAML into `Condition` values (contract §2, §10.2).
struct ConditionParser {
    let symbols: PackSymbols
    let decoder: NodeDecoder

    /// Parses a condition mapping; nil when it had errors (already reported).
    func parse(_ node: YAMLNode, owner: String) -> Condition? {
        guard case .mapping(let pairs) = node.content else {
            decoder.wrongShape(node, expected: "a condition mapping such as {end_use: military}", owner: owner)
            return nil
        }
        var parts: [Condition] = []
        var failed = false
        for (keyNode, value) in pairs {
            let key = keyNode.scalar ?? ""
            let part: Condition?
            switch key {
            case "all", "any":
                if case .sequence(let items) = value.content {
                    let inner = items.map { parse($0, owner: owner) }
                    part =
                        inner.contains(where: { $0 == nil })
                        ? nil : (key == "all" ? .all(inner.compactMap { $0 }) : .any(inner.compactMap { $0 }))
                } else {
                    decoder.wrongShape(value, expected: "a list of conditions after '\(key)'", owner: owner)
                    part = nil
                }
            case "not":
                part = parse(value, owner: owner).map { .not($0) }
            default:
                guard let field = Field(name: key) else {
                    var help = Suggestion.help(for: key, in: Field.fixedNames.keys.sorted() + ["all", "any", "not"])
                    if key.hasPrefix("composition.") {
                        let element = String(key.dropFirst("composition.".count))
                        help = Suggestion.nearest(to: element, in: ISOCodes.elements).map { "did you mean 'composition.\($0)'?" }
                    }
                    decoder.report(
                        .unknownField, "unknown field '\(key)' in \(owner)",
                        expected: "'all', 'any', 'not' or a field: " + Field.suggestableNames.joined(separator: ", "),
                        help: help, at: keyNode.location)
                    failed = true
                    continue
                }
                part = leaves(field: field, value: value, keyLocation: keyNode.location, owner: owner)
            }
            if let part { parts.append(part) } else { failed = true }
        }
        if failed { return nil }
        return parts.count == 1 ? parts[0] : .all(parts)
    }

    /// `FIELD: VALUE` (eq), `FIELD: [a, b]` (in) or `FIELD: {op: value, …}` (their conjunction).
    private func leaves(field: Field, value: YAMLNode, keyLocation: SourceLocation, owner: String) -> Condition? {
        switch value.content {
        case .scalar:
            return leaf(field: field, op: .eq, value: value, location: keyLocation, owner: owner).map { .leaf($0) }
        case .sequence:
            return leaf(field: field, op: .in, value: value, location: keyLocation, owner: owner).map { .leaf($0) }
        case .mapping(let pairs):
            var result: [Condition] = []
            var failed = false
            for (opNode, operand) in pairs {
                let name = opNode.scalar ?? ""
                guard let op = Operator(rawValue: name) else {
                    decoder.report(
                        .unknownOperator, "unknown operator '\(name)' for field '\(field)' in \(owner)",
                        expected: "one of " + field.operators.map { "'\($0.rawValue)'" }.joined(separator: ", "),
                        help: Suggestion.help(for: name, in: Operator.allCases.map(\.rawValue)), at: opNode.location)
                    failed = true
                    continue
                }
                if let leaf = leaf(field: field, op: op, value: operand, location: opNode.location, owner: owner) {
                    result.append(.leaf(leaf))
                } else {
                    failed = true
                }
            }
            if failed { return nil }
            if result.isEmpty {
                decoder.report(
                    .badCondition, "no operator for field '\(field)' in \(owner)", expected: "e.g. {gte: 0.1%}", at: value.location)
                return nil
            }
            return result.count == 1 ? result[0] : .all(result)
        }
    }

    private func leaf(field: Field, op: Operator, value: YAMLNode, location: SourceLocation, owner: String) -> Leaf? {
        guard field.operators.contains(op) else {
            decoder.report(
                .badCondition, "operator '\(op.rawValue)' does not apply to field '\(field)' in \(owner)",
                expected: "one of " + field.operators.map { "'\($0.rawValue)'" }.joined(separator: ", "), at: location)
            return nil
        }
        let owner = "'\(field): \(op.rawValue)' in \(owner)"
        switch op {
        case .exists:
            guard let text = decoder.text(value, owner: owner) else { return nil }
            guard text == "true" || text == "false" else {
                decoder.report(
                    .badValue, "'\(text)' in \(owner) is not 'true' or 'false'", expected: "'true' or 'false'", at: value.location)
                return nil
            }
            return Leaf(
                field: field, op: op, operands: [], expectsPresence: text == "true",
                text: text == "true" ? "\(field) is given" : "\(field) is not given", source: location)
        case .matches:
            guard let text = decoder.text(value, owner: owner) else { return nil }
            guard let expression = try? NSRegularExpression(pattern: text) else {
                decoder.report(
                    .badValue, "'\(text)' in \(owner) is not a valid regular expression", expected: "an ICU regular expression",
                    at: value.location)
                return nil
            }
            return Leaf(
                field: field, op: op, operands: [.text(text)], pattern: NSRegularExpressionBox(expression),
                text: "\(field) matches \(text)", source: location)
        case .in, .notIn, .between, .prefix:
            let items: [YAMLNode]
            switch value.content {
            case .sequence(let list): items = Array(list)
            case .scalar where op == .prefix: items = [value]
            default:
                decoder.wrongShape(value, expected: op == .between ? "a list of two values [low, high]" : "a list", owner: owner)
                return nil
            }
            if op == .between && items.count != 2 {
                decoder.report(
                    .badValue, "\(owner) needs exactly two values, found \(items.count)", expected: "[low, high]", at: value.location)
                return nil
            }
            let parsed = items.map { self.operands(field: field, op: op, node: $0, owner: owner) }
            if parsed.contains(where: { $0 == nil }) { return nil }
            let flat = parsed.compactMap { $0 }.flatMap { $0 }
            if op == .between, case .some(let low) = flat.first, case .some(let high) = flat.last,
                Operand.compare(high, low) == .orderedAscending
            {
                decoder.report(
                    .badValue, "\(owner) has its high end below its low end", expected: "[low, high] with low ≤ high", at: value.location)
                return nil
            }
            return Leaf(
                field: field, op: op, operands: flat,
                text: "\(field) \(op.rawValue) [\(items.compactMap(\.scalar).joined(separator: ", "))]", source: location)
        case .eq, .ne, .gte, .gt, .lte, .lt, .contains:
            guard value.scalar != nil, !value.isNull else {
                decoder.wrongShape(value, expected: "a single value", owner: owner)
                return nil
            }
            guard let operands = operands(field: field, op: op, node: value, owner: owner) else { return nil }
            // `eq: @group` is membership of the group.
            let effectiveOp: Operator = operands.count > 1 ? (op == .eq ? .in : op == .ne ? .notIn : op) : op
            return Leaf(
                field: field, op: effectiveOp, operands: operands, text: "\(field) \(op.rawValue) \(value.scalar ?? "")", source: location)
        }
    }

    /// Reads one operand as the field's type; a country group yields all its members.
    private func operands(field: Field, op: Operator, node: YAMLNode, owner: String) -> [Operand]? {
        if op == .prefix {
            if field == .hsCode { return decoder.hsCode(node, owner: owner).map { [.text($0)] } }
            return decoder.text(node, owner: owner).map { [.text(field.isCaseInsensitive ? $0.lowercased() : $0)] }
        }
        if case .attribute = field, [.gte, .gt, .lte, .lt, .between].contains(op) {
            // Attributes are text; ordered comparisons read them as percentages (`0.1%`).
            return decoder.percentage(node, owner: owner).map { [.percentage($0)] }
        }
        switch field.kind {
        case .text:
            if field == .hsCode { return decoder.hsCode(node, owner: owner).map { [.text($0)] } }
            return decoder.text(node, owner: owner).map { [.text(field.isCaseInsensitive ? $0.lowercased() : $0)] }
        case .party:
            guard let id = decoder.text(node, owner: owner) else { return nil }
            return symbols.check(id, kind: .party, owner: owner, at: node.location, decoder: decoder) ? [.text(id)] : nil
        case .lists:
            guard let id = decoder.text(node, owner: owner) else { return nil }
            return symbols.check(id, kind: .list, owner: owner, at: node.location, decoder: decoder) ? [.text(id)] : nil
        case .country:
            guard let text = decoder.text(node, owner: owner) else { return nil }
            return symbols.countries(text, owner: owner, at: node.location, decoder: decoder)?.sorted().map { .text($0) }
        case .date: return decoder.day(node, owner: owner).map { [.day($0)] }
        case .quantity: return decoder.quantity(node, owner: owner).map { [.quantity($0)] }
        case .money: return decoder.money(node, owner: owner).map { [.money($0)] }
        case .percentage: return decoder.percentage(node, owner: owner).map { [.percentage($0)] }
        }
    }

    /// Parses a reason text with `{field}` placeholders.
    func template(_ node: YAMLNode?, default fallback: String, owner: String) -> MessageTemplate? {
        guard let node else { return MessageTemplate(text: fallback, pieces: [.literal(fallback)]) }
        guard let text = decoder.text(node, owner: owner) else { return nil }
        var pieces: [MessageTemplate.Piece] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            if open > rest.startIndex { pieces.append(.literal(String(rest[..<open]))) }
            let name = String(rest[rest.index(after: open)..<close])
            guard let field = Field(name: name) else {
                decoder.report(
                    .unknownField, "unknown field '{\(name)}' in the reason of \(owner)",
                    expected: "'{' field '}' with a field such as {end_use}",
                    help: Suggestion.help(for: name, in: Field.fixedNames.keys), at: node.location)
                return nil
            }
            pieces.append(.field(field))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { pieces.append(.literal(String(rest))) }
        return MessageTemplate(text: text, pieces: pieces)
    }
}
