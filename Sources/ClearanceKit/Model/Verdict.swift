/// The outcome for an order line, ordered by severity: `allow < review < deny`.
public enum Verdict: Int, Comparable, CaseIterable, Sendable, CustomStringConvertible {
    case allow = 0
    case review = 1
    case deny = 2

    /// The verdict's name as written in rule packs and reports.
    public var name: String {
        switch self {
        case .allow: "allow"
        case .review: "review"
        case .deny: "deny"
        }
    }

    public var description: String { name }

    /// Parses `allow`, `review` or `deny`.
    public init?(name: String) {
        guard let match = Verdict.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }

    public static func < (lhs: Verdict, rhs: Verdict) -> Bool { lhs.rawValue < rhs.rawValue }
}
