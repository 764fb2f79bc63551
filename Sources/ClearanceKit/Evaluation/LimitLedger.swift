import Foundation

/// How much has been drawn on each licence, in total and per customer, in input order
/// (contract §3, "Usage").
///
/// Mass is kept in kg, pieces and each currency apart.
public struct LimitLedger: Sendable {
    /// What usage is counted against: a whole licence, or one customer under it.
    ///
    public struct Key: Hashable, Sendable {
        public var licence: String
        public var customer: String?

        public init(licence: String, customer: String?) {
            self.licence = licence
            self.customer = customer
        }
    }

    /// What has been drawn under one key.
    ///
    /// Sums of exact amounts: in billionths, an addition is an integer one (a `Decimal` addition
    /// cost about 2,900 instructions for every shipment drawn). Mass and pieces are kept inline,
    /// and both kinds under one key: a dictionary for each kind, with one of dimensions inside,
    /// hashed every key twice and allocated for each new one (about 600 instructions a draw).
    private struct Usage: Sendable {
        var mass = ExactAmount.zero
        var pieces = ExactAmount.zero
        var values: [String: ExactAmount] = [:]

        func quantity(_ dimension: Quantity.Dimension) -> ExactAmount {
            switch dimension {
            case .mass: mass
            case .pieces: pieces
            }
        }

        mutating func add(_ quantity: Quantity?, _ value: Money?) {
            if let quantity {
                switch quantity.dimension {
                case .mass: mass += quantity.exact
                case .pieces: pieces += quantity.exact
                }
            }
            if let value { values[value.currency, default: .zero] += value.exact }
        }
    }

    /// Keys drawn on at least once (with a quantity or a value).
    private var usage: [Key: Usage] = [:]

    public init() {}

    /// What has been drawn under `key` in the unit of `amount`.
    public func used(_ key: Key, like amount: Limit.Amount) -> Decimal {
        usage(key, like: amount).value
    }

    /// `used`, as an exact amount.
    func usage(_ key: Key, like amount: Limit.Amount) -> ExactAmount {
        switch amount {
        case .quantity(let cap): usage[key]?.quantity(cap.dimension) ?? .zero
        case .value(let cap): usage[key]?.values[cap.currency] ?? .zero
        }
    }

    /// The customers that have drawn on `licence`, sorted.
    public func customers(of licence: String) -> [String] {
        usage.keys.filter { $0.licence == licence }.compactMap(\.customer).sorted()
    }

    /// Draws a shipped line on a licence and on its customer under that licence.
    public mutating func draw(licence: String, customer: String?, quantity: Quantity?, value: Money?) {
        guard quantity != nil || value != nil else { return }
        draw(Key(licence: licence, customer: nil), quantity, value)
        if let customer { draw(Key(licence: licence, customer: customer), quantity, value) }
    }

    private mutating func draw(_ key: Key, _ quantity: Quantity?, _ value: Money?) {
        // One look-up of the key, the sums changed in place.
        usage[key, default: Usage()].add(quantity, value)
    }
}
