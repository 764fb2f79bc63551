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

    // Sums of exact amounts: in billionths, an addition is an integer one (a `Decimal` addition
    // cost about 2,900 instructions for every shipment drawn).
    private var quantities: [Key: [Quantity.Dimension: ExactAmount]] = [:]
    private var values: [Key: [String: ExactAmount]] = [:]

    public init() {}

    /// What has been drawn under `key` in the unit of `amount`.
    public func used(_ key: Key, like amount: Limit.Amount) -> Decimal {
        usage(key, like: amount).value
    }

    /// `used`, as an exact amount.
    func usage(_ key: Key, like amount: Limit.Amount) -> ExactAmount {
        switch amount {
        case .quantity(let cap): quantities[key]?[cap.dimension] ?? .zero
        case .value(let cap): values[key]?[cap.currency] ?? .zero
        }
    }

    /// The customers that have drawn on `licence`, sorted.
    public func customers(of licence: String) -> [String] {
        Set(quantities.keys.map { $0 } + values.keys.map { $0 }).filter { $0.licence == licence }.compactMap(\.customer).sorted()
    }

    /// Draws a shipped line on a licence and on its customer under that licence.
    public mutating func draw(licence: String, customer: String?, quantity: Quantity?, value: Money?) {
        var keys = [Key(licence: licence, customer: nil)]
        if let customer { keys.append(Key(licence: licence, customer: customer)) }
        for key in keys {
            if let quantity { quantities[key, default: [:]][quantity.dimension, default: .zero] += quantity.exact }
            if let value { values[key, default: [:]][value.currency, default: .zero] += value.exact }
        }
    }
}
