import Foundation

/// A compiled `when:` condition, evaluated with three-valued logic (contract §2).
public indirect enum Condition: Sendable {
    case all([Condition])
    case any([Condition])
    case not(Condition)
    case leaf(Leaf)

    /// Every leaf, in source order.
    public var leaves: [Leaf] {
        switch self {
        case .all(let parts), .any(let parts): parts.flatMap(\.leaves)
        case .not(let inner): inner.leaves
        case .leaf(let leaf): [leaf]
        }
    }

    /// The first leaf in source order, found without collecting the others (a reason names its
    /// field on every line a rule fires on).
    public var firstLeaf: Leaf? {
        switch self {
        case .all(let parts), .any(let parts):
            for part in parts { if let leaf = part.firstLeaf { return leaf } }
            return nil
        case .not(let inner): return inner.firstLeaf
        case .leaf(let leaf): return leaf
        }
    }
}

/// A typed operand of a condition leaf.
public enum Operand: Hashable, Sendable, CustomStringConvertible {
    case text(String)
    case day(Day)
    case quantity(Quantity)
    case money(Money)
    case percentage(Percentage)

    public var description: String {
        switch self {
        case .text(let text): text
        case .day(let day): day.description
        case .quantity(let quantity): quantity.description
        case .money(let money): money.description
        case .percentage(let percentage): percentage.description
        }
    }
}

/// One test of one field: `composition.Dy: {gte: 0.1%}`.
///
/// A class, immutable: every evaluation reads leaves out of their conditions, and a struct was
/// copied field by field each time (a retain and release per field, per leaf, per line).
public final class Leaf: Sendable {
    public let field: Field
    public let op: Operator
    /// The operands: one for `eq`, `ne` and comparisons, several for `in`, `not_in` and `prefix`.
    ///
    /// `between` has two. Country groups are already expanded to their member codes; party
    /// operands are ids.
    public let operands: [Operand]
    /// For `matches`: the compiled pattern.
    public let pattern: NSRegularExpressionBox?
    /// For `exists`: whether the field must be present (true) or absent (false).
    public let expectsPresence: Bool
    /// The leaf as the author wrote it, for explanations.
    public let text: String
    public let source: SourceLocation
    /// Whether every operand is text, so that `eq`, `ne`, `in` and `not_in` on a text field are
    /// string comparisons only (worked out once, not for every line).
    let operandsAreText: Bool
    /// `unknown`, missing the field: the leaf's truth for a line without it, made once (a set
    /// literal made for each such test was a hash and an allocation).
    let fieldMissing: Truth

    public init(
        field: Field, op: Operator, operands: [Operand], pattern: NSRegularExpressionBox? = nil,
        expectsPresence: Bool = true, text: String, source: SourceLocation
    ) {
        self.field = field
        self.op = op
        self.operands = operands
        self.pattern = pattern
        self.expectsPresence = expectsPresence
        self.text = text
        self.source = source
        operandsAreText = operands.allSatisfy { if case .text = $0 { true } else { false } }
        fieldMissing = .unknown(missing: [field.name])
    }
}

/// A regular expression that can be shared between threads (it is immutable once compiled).
public final class NSRegularExpressionBox: @unchecked Sendable {
    public let expression: NSRegularExpression

    public init(_ expression: NSRegularExpression) { self.expression = expression }

    /// Unanchored search, as `matches` is defined (contract §10.2).
    public func matches(_ text: String) -> Bool {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}

extension Operand {
    /// Orders two operands of the same type; nil when they cannot be compared (mass against
    /// pieces, different currencies, different types).
    public static func compare(_ lhs: Operand, _ rhs: Operand) -> ComparisonResult? {
        func order<T: Comparable>(_ a: T, _ b: T) -> ComparisonResult {
            a < b ? .orderedAscending : a > b ? .orderedDescending : .orderedSame
        }
        switch (lhs, rhs) {
        case (.text(let a), .text(let b)): return order(a, b)
        case (.day(let a), .day(let b)): return order(a, b)
        case (.percentage(let a), .percentage(let b)): return order(a, b)
        case (.quantity(let a), .quantity(let b)):
            return a.dimension == b.dimension ? order(a.exact, b.exact) : nil
        case (.money(let a), .money(let b)):
            return a.currency == b.currency ? order(a.exact, b.exact) : nil
        default: return nil
        }
    }
}
