/// A field of an order line that conditions can test (contract §2).
public enum Field: Hashable, Sendable, CustomStringConvertible {
    case id, supplier, customer, endUser, destination, endUse, date, quantity, value, hsCode, product
    case supplierCountry, customerCountry, endUserCountry
    case customerLists, endUserLists
    /// `composition.<Element>`: mass percent of one element.
    case composition(String)
    /// `attributes.<name>`: a free-form product attribute such as `form`.
    case attribute(String)

    /// What kind of value a field holds, which decides the operators it accepts.
    public enum Kind: Sendable {
        case text, party, country, date, quantity, money, percentage, lists
    }

    /// The fixed field names (without the `composition.` and `attributes.` families).
    public static let fixedNames: [String: Field] = [
        "id": .id, "supplier": .supplier, "customer": .customer, "end_user": .endUser,
        "destination": .destination, "end_use": .endUse, "date": .date, "quantity": .quantity,
        "value": .value, "hs_code": .hsCode, "product": .product,
        "supplier.country": .supplierCountry, "customer.country": .customerCountry,
        "end_user.country": .endUserCountry, "customer.lists": .customerLists,
        "end_user.lists": .endUserLists,
    ]

    /// Every name a rule author may write, for "did you mean" suggestions.
    public static var suggestableNames: [String] {
        fixedNames.keys.sorted() + ["composition.<Element>", "attributes.<name>"]
    }

    /// Parses a field name; nil when unknown (including a non-element after `composition.`).
    public init?(name: String) {
        if let fixed = Field.fixedNames[name] {
            self = fixed
        } else if name.hasPrefix("composition.") {
            let element = String(name.dropFirst("composition.".count))
            guard ISOCodes.elementSet.contains(element) else { return nil }
            self = .composition(element)
        } else if name.hasPrefix("attributes.") {
            let attribute = String(name.dropFirst("attributes.".count))
            guard !attribute.isEmpty else { return nil }
            self = .attribute(attribute)
        } else {
            return nil
        }
    }

    /// The name up to its first `.`: the party a country or lists field belongs to
    /// (`customer.country` → `customer`), the name itself for other fields.
    var rootName: String {
        switch self {
        case .supplierCountry: "supplier"
        case .customerCountry, .customerLists: "customer"
        case .endUserCountry, .endUserLists: "end_user"
        case .composition: "composition"
        case .attribute: "attributes"
        default: name
        }
    }

    /// The name as written in rule packs and order files.
    public var name: String {
        switch self {
        case .id: "id"
        case .supplier: "supplier"
        case .customer: "customer"
        case .endUser: "end_user"
        case .destination: "destination"
        case .endUse: "end_use"
        case .date: "date"
        case .quantity: "quantity"
        case .value: "value"
        case .hsCode: "hs_code"
        case .product: "product"
        case .supplierCountry: "supplier.country"
        case .customerCountry: "customer.country"
        case .endUserCountry: "end_user.country"
        case .customerLists: "customer.lists"
        case .endUserLists: "end_user.lists"
        case .composition(let element): "composition.\(element)"
        case .attribute(let name): "attributes.\(name)"
        }
    }

    public var description: String { name }

    public var kind: Kind {
        switch self {
        case .id, .endUse, .hsCode, .product, .attribute: .text
        case .supplier, .customer, .endUser: .party
        case .destination, .supplierCountry, .customerCountry, .endUserCountry: .country
        case .date: .date
        case .quantity: .quantity
        case .value: .money
        case .composition: .percentage
        case .customerLists, .endUserLists: .lists
        }
    }

    /// Free-text fields compare case-insensitively (`Military` is `military`).
    public var isCaseInsensitive: Bool {
        switch self {
        case .endUse, .attribute: true
        default: false
        }
    }

    /// The operators this field accepts.
    public var operators: [Operator] {
        if case .attribute = self {
            return [.eq, .ne, .in, .notIn, .prefix, .matches, .exists, .gte, .gt, .lte, .lt, .between]
        }
        return switch kind {
        case .text: [.eq, .ne, .in, .notIn, .prefix, .matches, .exists]
        case .party, .country: [.eq, .ne, .in, .notIn, .exists]
        case .date, .quantity, .money, .percentage:
            [.eq, .ne, .in, .notIn, .gte, .gt, .lte, .lt, .between, .exists]
        case .lists: [.contains, .exists]
        }
    }
}

/// A comparison operator in a condition leaf.
public enum Operator: String, CaseIterable, Sendable {
    case eq, ne, `in`, notIn = "not_in", prefix, gte, gt, lte, lt, between, matches, exists, contains
}
