import Foundation

/// Helpers that read positioned YAML nodes into typed values, collecting every error instead of
/// stopping at the first (XcodeGen-style "collect, sort, then fail").
final class NodeDecoder {
    private(set) var errors: [PackLoadError] = []

    func report(_ error: PackLoadError) { errors.append(error) }

    func report(_ code: PackLoadError.Code, _ message: String, expected: String? = nil, help: String? = nil, at location: SourceLocation) {
        errors.append(PackLoadError(code, message, expected: expected, help: help, at: location))
    }

    /// Reads and parses a YAML file (a clearance or pack-test file), reporting what goes wrong.
    /// - Returns: its documents, or nil when it could not be read or parsed.
    func documents(atPath path: String, kind: String, help: String? = nil, limits: InputLimits) -> [YAMLNode]? {
        guard let data = FileManager.default.contents(atPath: path) else {
            report(.unreadable, "cannot read \(kind) '\(path)'", help: help, at: SourceLocation(file: path, line: 1, column: 1))
            return nil
        }
        return documents(in: [UInt8](data), file: path, kind: kind, limits: limits)
    }

    /// Parses YAML bytes, reporting what goes wrong; nil when they could not be parsed.
    func documents(in bytes: [UInt8], file: String, kind: String, limits: InputLimits) -> [YAMLNode]? {
        if bytes.count > limits.maximumRuleFileBytes {
            report(
                .yamlLimit, "\(kind) is \(bytes.count) bytes, more than the limit of \(limits.maximumRuleFileBytes) (--max-rule-file-size)",
                at: SourceLocation(file: file, line: 1, column: 1))
            return nil
        }
        do {
            return try YAMLReader(limits: limits).documents(in: bytes, file: file)
        } catch {
            report(PackLoadError(yaml: error))
            return nil
        }
    }

    /// Reads a mapping whose keys must come from `Key`, reporting unknown and missing keys.
    /// - Returns: the value node of each known key, or nil when `node` is not a mapping.
    func fields<Key: RawRepresentable & CaseIterable & Hashable>(
        of node: YAMLNode, owner: @autoclosure () -> String, required: [Key] = []
    ) -> Fields<Key>? where Key.RawValue == String {
        guard case .mapping(let pairs) = node.content else {
            wrongShape(node, expected: "a mapping", owner: owner())
            return nil
        }
        var result = Fields<Key>(capacity: pairs.count)
        for (keyNode, value) in pairs {
            guard let known = keyNode.caseNamed(by: Key.self) else {
                let key = keyNode.scalar ?? ""
                let allowed = Key.allCases.map(\.rawValue)
                report(
                    .unknownKey, "unknown key '\(key)' in \(owner())",
                    expected: "one of " + allowed.sorted().map { "'\($0)'" }.joined(separator: ", "),
                    help: Suggestion.help(for: key, in: allowed), at: keyNode.location)
                continue
            }
            result.add(known, value)
        }
        for key in required where result[key] == nil {
            report(
                .missingKey, "\(owner()) has no '\(key.rawValue)'",
                expected: "a '\(key.rawValue)' key", help: "add '\(key.rawValue): …' to \(owner())", at: node.location)
        }
        return result
    }

    /// Names an entry for messages: "licence 'CN-GL-2025-0001'", or "a licence" before its id is known.
    func owner(of node: YAMLNode, kind: String, idKey: String = "id") -> String {
        if case .mapping(let pairs) = node.content, let id = pairs.first(where: { $0.key.scalar == idKey })?.value.scalar, !id.isEmpty {
            return "\(kind) '\(id.trimmingSpaces)'"
        }
        return "a \(kind)"
    }

    func wrongShape(_ node: YAMLNode, expected: String, owner: @autoclosure () -> String) {
        report(.wrongShape, "expected \(expected) in \(owner()), found \(node.shapeName)", expected: expected, at: node.location)
    }

    /// A non-empty scalar's text.
    func text(_ node: YAMLNode?, owner: @autoclosure () -> String) -> String? {
        guard let node else { return nil }
        guard let text = node.scalar, !node.isNull else {
            wrongShape(node, expected: "text", owner: owner())
            return nil
        }
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else {
            report(.badValue, "empty value in \(owner())", expected: "non-empty text", at: node.location)
            return nil
        }
        return trimmed
    }

    /// An informative value for people (a legal basis), joined with "; ".
    ///
    /// It may be text, or a list or mapping of texts: it never affects a verdict, so its shape is
    /// not held against a pack.
    func informative(_ node: YAMLNode?) -> String? {
        guard let node else { return nil }
        let text = informativeList(node).joined(separator: "; ")
        return text.isEmpty ? nil : text
    }

    /// The texts of an informative value (pack `sources`): a scalar, a list, or mappings of texts.
    func informativeList(_ node: YAMLNode) -> [String] {
        switch node.content {
        case .scalar(let text): return node.isNull || text.trimmingSpaces.isEmpty ? [] : [text.trimmingSpaces]
        case .sequence(let items): return items.flatMap(informativeList)
        case .mapping(let pairs):
            return pairs.map { pair in
                let value = informativeList(pair.value).joined(separator: ", ")
                return value.isEmpty ? (pair.key.scalar ?? "") : "\(pair.key.scalar ?? ""): \(value)"
            }
        }
    }

    /// A list of scalars (a single scalar is not accepted: write `[x]`).
    func textList(_ node: YAMLNode?, owner: @autoclosure () -> String) -> [(text: String, location: SourceLocation)]? {
        guard let node, let items = items(of: node, owner: owner()) else { return nil }
        return texts(items, owner: owner())
    }

    /// `all`, or a list of scalars; nil on error, `.some(nil)` for `all`.
    func allOrList(_ node: YAMLNode?, owner: @autoclosure () -> String) -> [(text: String, location: SourceLocation)]?? {
        allOrItems(node, owner: owner()).map { items in items.map { texts($0, owner: owner()) } }
    }

    /// The items of a list; nil, reported, when `node` is not one.
    private func items(of node: YAMLNode, owner: @autoclosure () -> String) -> YAMLNode.Items? {
        guard case .sequence(let items) = node.content else {
            wrongShape(node, expected: "a list", owner: owner())
            return nil
        }
        return items
    }

    /// Each item's text and location; an item that is not text is reported and left out.
    private func texts(_ items: YAMLNode.Items, owner: @autoclosure () -> String) -> [(text: String, location: SourceLocation)] {
        items.compactMap { item in text(item, owner: owner()).map { ($0, item.location) } }
    }

    /// `all`, or the items of a list, to be read one by one (`text(_:owner:)`); nil on error,
    /// `.some(nil)` for `all`.
    func allOrItems(_ node: YAMLNode?, owner: @autoclosure () -> String) -> YAMLNode.Items?? {
        guard let node else { return nil }
        if let word = node.scalar, !node.isNull {
            if word == "all" { return .some(nil) }
            report(
                .badValue, "'\(word)' in \(owner()) is neither 'all' nor a list", expected: "'all' or a list such as [a, b]",
                at: node.location)
            return nil
        }
        return items(of: node, owner: owner()).map { .some($0) }
    }

    func day(_ node: YAMLNode?, owner: @autoclosure () -> String) -> Day? {
        guard let node, let text = text(node, owner: owner()) else { return nil }
        guard let day = Day(parsing: text) else {
            report(
                .badValue, "'\(text)' in \(owner()) is not a date", expected: "a calendar date 'YYYY-MM-DD', e.g. '2025-12-02'",
                at: node.location)
            return nil
        }
        return day
    }

    private enum RangeKey: String, CaseIterable { case from, until }

    /// `{from: DATE, until: DATE}`; `from` may be required.
    func dayRange(_ node: YAMLNode?, owner: @autoclosure () -> String, requireFrom: Bool) -> DayRange? {
        guard let node else { return nil }
        guard let fields = fields(of: node, owner: owner(), required: requireFrom ? [RangeKey.from] : []) else { return nil }
        let range = DayRange(from: day(fields[.from], owner: owner()), until: day(fields[.until], owner: owner()))
        if let from = range.from, let until = range.until, until < from {
            report(
                .badValue, "\(owner()) ends (\(until)) before it starts (\(from))", expected: "'until' on or after 'from'",
                at: node.location)
        }
        return range
    }

    func verdict(_ node: YAMLNode?, owner: @autoclosure () -> String, allowed: [Verdict] = [.deny, .review]) -> Verdict? {
        guard let node, let text = text(node, owner: owner()) else { return nil }
        guard let verdict = Verdict(name: text), allowed.contains(verdict) else {
            let names = allowed.map(\.name)
            report(
                .badValue, "'\(text)' is not a verdict allowed in \(owner())",
                expected: "one of " + names.map { "'\($0)'" }.joined(separator: ", "),
                help: Suggestion.help(for: text, in: names), at: node.location)
            return nil
        }
        return verdict
    }

    func choice<Value: RawRepresentable & CaseIterable>(_ node: YAMLNode?, owner: @autoclosure () -> String) -> Value?
    where Value.RawValue == String {
        guard let node, let text = text(node, owner: owner()) else { return nil }
        guard let value = Value(rawValue: text) else {
            let names = Value.allCases.map(\.rawValue)
            report(
                .badValue, "'\(text)' is not allowed in \(owner())",
                expected: "one of " + names.map { "'\($0)'" }.joined(separator: ", "),
                help: Suggestion.help(for: text, in: names), at: node.location)
            return nil
        }
        return value
    }

    func quantity(_ node: YAMLNode?, owner: @autoclosure () -> String) -> Quantity? {
        guard let node, let text = text(node, owner: owner()) else { return nil }
        switch Quantity.parse(text) {
        case .success(let quantity): return quantity
        case .failure(let problem):
            report(
                .badValue, "'\(text)' in \(owner()) is not a quantity: \(problem.explanation)",
                expected: "a number and one of the units g, kg, t, pcs, e.g. '500 kg'", at: node.location)
            return nil
        }
    }

    func money(_ node: YAMLNode?, owner: @autoclosure () -> String) -> Money? {
        guard let node, let text = text(node, owner: owner()) else { return nil }
        switch Money.parse(text) {
        case .success(let money): return money
        case .failure(let problem):
            report(
                .badValue, "'\(text)' in \(owner()) is not an amount of money: \(problem.explanation)",
                expected: "a number and an ISO-4217 currency code, e.g. '1250000 USD'", at: node.location)
            return nil
        }
    }

    func percentage(_ node: YAMLNode?, owner: @autoclosure () -> String) -> Percentage? {
        guard let node, let text = text(node, owner: owner()) else { return nil }
        guard let percentage = Percentage.parse(text) else {
            report(
                .badValue, "'\(text)' in \(owner()) is not a percentage", expected: "a number from 0 to 100 followed by '%', e.g. '0.1%'",
                at: node.location)
            return nil
        }
        return percentage
    }

    /// An HS code or prefix: digits, with dots and spaces ignored.
    func hsCode(_ node: YAMLNode?, owner: @autoclosure () -> String) -> String? {
        guard let node, let text = text(node, owner: owner()) else { return nil }
        guard let code = HSCode.normalise(text) else {
            report(
                .badValue, "'\(text)' in \(owner()) is not an HS code", expected: "digits, e.g. '8505111000' or '850511'", at: node.location
            )
            return nil
        }
        return code
    }
}

/// The value nodes of a mapping's known keys, looked up by key.
///
/// A short array searched in order, not a dictionary: an entry has a handful of keys, an enum
/// with `String` raw values compares as one byte but hashes its raw text, and hashing it was a
/// third of the time spent decoding W1's 20,000 parties (callgrind). The YAML reader has already
/// refused duplicate keys, so each key is here once.
struct Fields<Key: Equatable> {
    // Keys apart from values: a search over (key, value) pairs copied every value it passed (a
    // retain and release of its tree), 160 instructions a look-up.
    private var keys: [Key] = []
    private var values: [YAMLNode] = []

    init(capacity: Int) {
        keys.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    mutating func add(_ key: Key, _ value: YAMLNode) {
        keys.append(key)
        values.append(value)
    }

    /// The value node of `key`, or nil when the mapping does not have it.
    subscript(key: Key) -> YAMLNode? {
        keys.firstIndex(of: key).map { values[$0] }
    }
}

/// HS codes compare as digit strings; `8505.11.10` and `85051110` are the same code.
public enum HSCode {
    /// The digits of `text` with dots and spaces removed; nil when anything else is in it.
    public static func normalise(_ text: String) -> String? {
        // Byte by byte: only ASCII digits, dots and spaces are accepted, so no character needs
        // Unicode rules (the Character-wise filter cost 12,000 instructions a code).
        var digits = [UInt8]()
        digits.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits.append(byte)
            case UInt8(ascii: "."), UInt8(ascii: " "): continue
            default: return nil
            }
        }
        return digits.isEmpty ? nil : String(decoding: digits, as: UTF8.self)
    }
}
