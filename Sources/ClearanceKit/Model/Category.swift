/// A control category: which goods are controlled, from when, and how (contract §3).
///
/// Copies share their fields (`SharedFields`).
@dynamicMemberLookup
public struct Category: Sendable {
    /// What a category requires of a line it applies to.
    public enum Control: String, CaseIterable, Sendable {
        case licence, prohibited, review
    }

    /// The category's fields, read and written as its own (`category.id`).
    public struct Values: Sendable {
        public var id: String
        public var title: String?
        public var basis: String?
        public var effective: DayRange
        public var suspended: [Suspension]
        public var control: Control
        public var condition: Condition
        public var source: SourceLocation
    }

    init(
        id: String, title: String?, basis: String?, effective: DayRange, suspended: [Suspension], control: Control, condition: Condition,
        source: SourceLocation
    ) {
        fields = SharedFields(
            Values(
                id: id, title: title, basis: basis, effective: effective, suspended: suspended, control: control, condition: condition,
                source: source))
    }

    private var fields: SharedFields<Values>

    /// Marks the fields immortal (`Immortal`): only for values kept until the process exits.
    func markImmortal() { fields.markImmortal() }

    /// A field of the category, read from or written into its shared fields.
    public subscript<Value>(dynamicMember field: WritableKeyPath<Values, Value>) -> Value {
        get { fields.values[keyPath: field] }
        set { fields.change { $0[keyPath: field] = newValue } }
    }
}

/// A window in which a category does not apply.
public struct Suspension: Sendable {
    public var window: DayRange
    public var basis: String?
    public var source: SourceLocation
}
