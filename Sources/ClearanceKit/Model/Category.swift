/// A control category: which goods are controlled, from when, and how (contract §3).
///
/// Copies share their fields (`SharedFields`).
public struct Category: Sendable {
    /// What a category requires of a line it applies to.
    public enum Control: String, CaseIterable, Sendable {
        case licence, prohibited, review
    }

    /// The fields themselves.
    struct Values: Sendable {
        var id: String
        var title: String?
        var basis: String?
        var effective: DayRange
        var suspended: [Suspension]
        var control: Control
        var condition: Condition
        var source: SourceLocation
    }

    private var fields: SharedFields<Values>

    public var id: String {
        get { fields.values.id }
        set { fields.change { $0.id = newValue } }
    }
    public var title: String? {
        get { fields.values.title }
        set { fields.change { $0.title = newValue } }
    }
    public var basis: String? {
        get { fields.values.basis }
        set { fields.change { $0.basis = newValue } }
    }
    public var effective: DayRange {
        get { fields.values.effective }
        set { fields.change { $0.effective = newValue } }
    }
    public var suspended: [Suspension] {
        get { fields.values.suspended }
        set { fields.change { $0.suspended = newValue } }
    }
    public var control: Control {
        get { fields.values.control }
        set { fields.change { $0.control = newValue } }
    }
    public var condition: Condition {
        get { fields.values.condition }
        set { fields.change { $0.condition = newValue } }
    }
    public var source: SourceLocation {
        get { fields.values.source }
        set { fields.change { $0.source = newValue } }
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
}

/// A window in which a category does not apply.
public struct Suspension: Sendable {
    public var window: DayRange
    public var basis: String?
    public var source: SourceLocation
}
