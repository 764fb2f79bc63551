import ClearanceKit

/// One row of the licence ledger: a shipment drawn on a licence, or the void of one.
///
/// Entries are never deleted or changed; a cancelled shipment gets a `void` entry that points at it.
public struct LedgerEntry: Sendable, Equatable {
    /// What an entry records.
    public enum Kind: String, Sendable {
        case shipment
        case void
    }

    public var id: Int64
    public var kind: Kind
    /// The supplier (licence holder) party id.
    public var supplier: String
    public var orderID: String
    public var licence: String
    /// The resolved customer party id, for per-customer limits.
    public var customer: String?
    public var quantity: Quantity?
    public var value: Money?
    public var shipDate: Day?
    /// When the entry was written (UTC, ISO 8601).
    public var recordedAt: String
    public var recordedBy: String
    public var packID: String
    public var packVersion: String
    /// The digest of the pack the line was checked against.
    public var packDigest: String
    /// The order file and line, `path:line`.
    public var source: String
    /// Why a shipment was voided.
    public var reason: String?
    /// For a void: the shipment entry it reverses.
    public var voids: Int64?

    public init(
        id: Int64 = 0, kind: Kind, supplier: String, orderID: String, licence: String, customer: String?, quantity: Quantity?,
        value: Money?, shipDate: Day?, recordedAt: String, recordedBy: String, packID: String, packVersion: String, packDigest: String,
        source: String, reason: String? = nil, voids: Int64? = nil
    ) {
        self.id = id
        self.kind = kind
        self.supplier = supplier
        self.orderID = orderID
        self.licence = licence
        self.customer = customer
        self.quantity = quantity
        self.value = value
        self.shipDate = shipDate
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
        self.packID = packID
        self.packVersion = packVersion
        self.packDigest = packDigest
        self.source = source
        self.reason = reason
        self.voids = voids
    }
}

/// An order as the ledger knows it: the supplier party id and the order id.
public struct OrderKey: Hashable, Sendable {
    public var supplier: String
    public var orderID: String

    public init(supplier: String, orderID: String) {
        self.supplier = supplier
        self.orderID = orderID
    }
}

/// Why the ledger cannot be used.
public struct LedgerError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var help: String?

    public init(_ message: String, help: String? = nil) {
        self.message = message
        self.help = help
    }

    public var description: String { "error: [ledger] \(message)" + (help.map { "\n  help: \($0)" } ?? "") }
}
