/// A licence: who may export what to whom, where, when and how much (contract §3).
///
/// Copies share their fields (`SharedFields`).
@dynamicMemberLookup
public struct Licence: Sendable {
    /// Whether a licence can cover anything.
    public enum Status: String, CaseIterable, Sendable {
        case active, suspended, revoked
    }

    /// `individual` or `general`; informative only.
    public enum Kind: String, CaseIterable, Sendable {
        case general, individual
    }

    /// The licence's fields, read and written as its own (`licence.id`).
    public struct Values: Sendable {
        public var id: String
        public var type: Kind?
        public var holder: String
        public var issued: Day?
        public var valid: DayRange
        public var status: Status
        public var categories: [String]
        /// nil means `all`.
        public var customers: Set<String>?
        /// nil means any end user.
        public var endUsers: Set<String>?
        /// nil means `all`; otherwise expanded country codes.
        public var destinations: Set<String>?
        public var excludedEndUses: [String]
        public var limits: [Limit]
        public var conditions: [LicenceCondition]
        public var basis: String?
        public var title: String?
        public var source: SourceLocation
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

    private var fields: SharedFields<Values>

    /// Marks the fields immortal (`Immortal`), with the collections a line's checks read: only
    /// for values kept until the process exits.
    func markImmortal() {
        fields.markImmortal()
        for parties in [self.customers, self.endUsers, self.destinations].compactMap(\.self) { Immortal.mark(set: parties) }
        Immortal.mark(array: self.excludedEndUses)
        Immortal.mark(array: self.limits)
        Immortal.mark(array: self.conditions)
    }

    /// A field of the licence, read from or written into its shared fields.
    public subscript<Value>(dynamicMember field: WritableKeyPath<Values, Value>) -> Value {
        get { fields.values[keyPath: field] }
        set { fields.change { $0[keyPath: field] = newValue } }
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
