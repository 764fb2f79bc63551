/// A licence: who may export what to whom, where, when and how much (contract §3).
///
/// Copies share their fields (`SharedFields`).
public struct Licence: Sendable {
    /// Whether a licence can cover anything.
    public enum Status: String, CaseIterable, Sendable {
        case active, suspended, revoked
    }

    /// `individual` or `general`; informative only.
    public enum Kind: String, CaseIterable, Sendable {
        case general, individual
    }

    /// The fields themselves.
    struct Values: Sendable {
        var id: String
        var type: Kind?
        var holder: String
        var issued: Day?
        var valid: DayRange
        var status: Status
        var categories: [String]
        var customers: Set<String>?
        var endUsers: Set<String>?
        var destinations: Set<String>?
        var excludedEndUses: [String]
        var limits: [Limit]
        var conditions: [LicenceCondition]
        var basis: String?
        var title: String?
        var source: SourceLocation
    }

    private var fields: SharedFields<Values>

    public var id: String {
        get { fields.values.id }
        set { fields.change { $0.id = newValue } }
    }
    public var type: Kind? {
        get { fields.values.type }
        set { fields.change { $0.type = newValue } }
    }
    public var holder: String {
        get { fields.values.holder }
        set { fields.change { $0.holder = newValue } }
    }
    public var issued: Day? {
        get { fields.values.issued }
        set { fields.change { $0.issued = newValue } }
    }
    public var valid: DayRange {
        get { fields.values.valid }
        set { fields.change { $0.valid = newValue } }
    }
    public var status: Status {
        get { fields.values.status }
        set { fields.change { $0.status = newValue } }
    }
    public var categories: [String] {
        get { fields.values.categories }
        set { fields.change { $0.categories = newValue } }
    }
    /// nil means `all`.
    public var customers: Set<String>? {
        get { fields.values.customers }
        set { fields.change { $0.customers = newValue } }
    }
    /// nil means any end user.
    public var endUsers: Set<String>? {
        get { fields.values.endUsers }
        set { fields.change { $0.endUsers = newValue } }
    }
    /// nil means `all`; otherwise expanded country codes.
    public var destinations: Set<String>? {
        get { fields.values.destinations }
        set { fields.change { $0.destinations = newValue } }
    }
    public var excludedEndUses: [String] {
        get { fields.values.excludedEndUses }
        set { fields.change { $0.excludedEndUses = newValue } }
    }
    public var limits: [Limit] {
        get { fields.values.limits }
        set { fields.change { $0.limits = newValue } }
    }
    public var conditions: [LicenceCondition] {
        get { fields.values.conditions }
        set { fields.change { $0.conditions = newValue } }
    }
    public var basis: String? {
        get { fields.values.basis }
        set { fields.change { $0.basis = newValue } }
    }
    public var title: String? {
        get { fields.values.title }
        set { fields.change { $0.title = newValue } }
    }
    public var source: SourceLocation {
        get { fields.values.source }
        set { fields.change { $0.source = newValue } }
    }

    init(
        id: String, type: Kind?, holder: String, issued: Day?, valid: DayRange, status: Status, categories: [String],
        customers: Set<String>?, endUsers: Set<String>?, destinations: Set<String>?, excludedEndUses: [String], limits: [Limit],
        conditions: [LicenceCondition], basis: String?, title: String?, source: SourceLocation
    ) {
        fields = SharedFields(
            Values(
                id: id, type: type, holder: holder, issued: issued, valid: valid, status: status, categories: categories,
                customers: customers, endUsers: endUsers, destinations: destinations, excludedEndUses: excludedEndUses, limits: limits,
                conditions: conditions, basis: basis, title: title, source: source))
    }
}

/// A cumulative or per-shipment cap on a licence.
public struct Limit: Sendable {
    /// What the cap counts over.
    public enum Scope: String, Sendable {
        /// Everything shipped under the licence.
        case licence
        /// Everything shipped to one customer under the licence.
        case customer
        /// One line.
        case shipment
    }

    /// The amount capped.
    public enum Amount: Sendable, CustomStringConvertible {
        case quantity(Quantity)
        case value(Money)

        public var description: String {
            switch self {
            case .quantity(let quantity): quantity.description
            case .value(let money): money.description
            }
        }
    }

    /// The YAML key, such as `per_customer_quantity`.
    public var key: String
    public var scope: Scope
    public var amount: Amount
    public var source: SourceLocation
}

/// An extra condition of a licence, applied only when that licence is the one selected.
public struct LicenceCondition: Sendable {
    public var condition: Condition
    public var verdict: Verdict
    public var reason: MessageTemplate
    public var source: SourceLocation
}

/// A pack-wide rule (end use, destination, screening).
public struct Rule: Sendable {
    public var id: String
    public var title: String?
    public var verdict: Verdict
    public var basis: String?
    public var condition: Condition
    public var reason: MessageTemplate
    public var source: SourceLocation
}

/// A reason text with `{field}` placeholders filled from the order line.
public struct MessageTemplate: Sendable {
    /// A piece of the template: literal text or a field to fill in.
    public enum Piece: Sendable {
        case literal(String)
        case field(Field)
    }

    public var text: String
    public var pieces: [Piece]

    public init(text: String, pieces: [Piece]) {
        self.text = text
        self.pieces = pieces
    }
}
