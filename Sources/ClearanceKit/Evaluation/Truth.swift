/// The value of a condition under three-valued logic (contract §2).
public enum Truth: Hashable, Sendable, CustomStringConvertible {
    case `true`
    case `false`
    /// Not known, because the named fields are missing (or cannot be compared).
    case unknown(missing: Set<String>)

    /// `unknown` for a line without a date, made once (immortal: every preparing thread reads it).
    static let dateMissing: Truth = {
        let missing: Set = ["date"]
        Immortal.mark(set: missing)
        return .unknown(missing: missing)
    }()

    /// How a missing field reads when the line names a party the register does not know:
    /// `customer ('Zoë GmbH' is not a known party)` (`Evaluator.fieldName` reads the field back).
    static func unknownParty(_ field: String, raw: String) -> String {
        String(concatenating: field, " ('", raw, "' is not a known party)")
    }

    /// `all`: false if any part is false; unknown if any is unknown and none false; else true.
    public static func all(_ parts: some Sequence<Truth>) -> Truth {
        var result = Truth.true
        for part in parts {
            result = result && part
            if result.isFalse { return result }
        }
        return result
    }

    /// `any`: true if any part is true; unknown if any is unknown and none true; else false.
    public static func any(_ parts: some Sequence<Truth>) -> Truth {
        var result = Truth.false
        for part in parts {
            result = result || part
            if result.isTrue { return result }
        }
        return result
    }

    /// `all` of two parts; unknown parts pool their missing fields.
    ///
    /// The one definition of conjunction: `all`, `any`, `||` and the evaluator's loops are built
    /// on it.
    public static func && (lhs: Truth, rhs: Truth) -> Truth {
        switch (lhs, rhs) {
        case (.false, _), (_, .false): .false
        case (.true, .true): .true
        case (.unknown(let left), .unknown(let right)): .unknown(missing: left.union(right))
        case (.unknown, _): lhs
        case (_, .unknown): rhs
        }
    }

    /// `any` of two parts, by De Morgan from `&&` (`not` keeps an unknown's missing fields).
    public static func || (lhs: Truth, rhs: Truth) -> Truth { !(!lhs && !rhs) }

    /// `not`: swaps true and false; unknown stays unknown.
    public static prefix func ! (truth: Truth) -> Truth {
        switch truth {
        case .true: .false
        case .false: .true
        case .unknown: truth
        }
    }

    /// Turns a Boolean into a truth.
    public init(_ value: Bool) { self = value ? .true : .false }

    public var isTrue: Bool { self == .true }
    public var isFalse: Bool { self == .false }

    /// The missing fields of an unknown truth, sorted; empty otherwise.
    public var missingFields: [String] {
        if case .unknown(let missing) = self { return missing.sorted() }
        return []
    }

    public var description: String {
        switch self {
        case .true: "true"
        case .false: "false"
        case .unknown(let missing): missing.isEmpty ? "unknown" : "unknown (missing \(missing.sorted().joined(separator: ", ")))"
        }
    }
}
