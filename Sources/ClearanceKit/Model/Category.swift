/// A control category: which goods are controlled, from when, and how (contract §3).
public struct Category: Sendable {
    /// What a category requires of a line it applies to.
    public enum Control: String, CaseIterable, Sendable {
        case licence, prohibited, review
    }

    public var id: String
    public var title: String?
    public var basis: String?
    public var effective: DayRange
    public var suspended: [Suspension]
    public var control: Control
    public var condition: Condition
    public var source: SourceLocation
}

/// A window in which a category does not apply.
public struct Suspension: Sendable {
    public var window: DayRange
    public var basis: String?
    public var source: SourceLocation
}
