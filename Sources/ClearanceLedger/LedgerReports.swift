import ClearanceKit
import Foundation

/// The tables of `clearance ledger show` and `clearance ledger export`.
public enum LedgerReports {
    /// Per licence and limit: cap, used, remaining, share used and last shipment.
    public static func usage(pack: Pack, shipments: [LedgerEntry], licence filter: String?) -> Table {
        var table = Table(columns: ["licence", "limit", "customer", "cap", "used", "remaining", "used_percent", "last_shipment"])
        let usage = SQLiteLedger.usage(of: shipments)
        for licence in pack.licences where filter == nil || licence.id == filter {
            let drawn = shipments.filter { $0.licence == licence.id }
            let last = drawn.compactMap(\.shipDate).max()?.description ?? ""
            if licence.limits.isEmpty {
                table.rows.append([licence.id, "(none)", "", "", totals(drawn), "", "", last])
            }
            for limit in licence.limits {
                let (cap, unit) = amount(limit.amount)
                let customers: [String?] =
                    switch limit.scope {
                    case .licence, .shipment: [nil]
                    case .customer: Array(Set(drawn.compactMap(\.customer))).sorted().map { Optional($0) }
                    }
                if limit.scope == .customer && customers.isEmpty {
                    table.rows.append([
                        licence.id, limit.key, "", "\(format(cap)) \(unit)", "0 \(unit)", "\(format(cap)) \(unit)", "0.0", last,
                    ])
                }
                for customer in customers {
                    guard limit.scope != .shipment else {
                        table.rows.append([licence.id, limit.key, "", "\(format(cap)) \(unit) per line", "", "", "", last])
                        continue
                    }
                    let used = usage.used(LimitLedger.Key(licence: licence.id, customer: customer), like: limit.amount)
                    let percent = cap > 0 ? NSDecimalNumber(decimal: used * 100 / cap).doubleValue : 100
                    let lastForCustomer =
                        customer.map { id in drawn.filter { $0.customer == id }.compactMap(\.shipDate).max()?.description ?? "" } ?? last
                    table.rows.append([
                        licence.id, limit.key, customer ?? "", "\(format(cap)) \(unit)", "\(format(used)) \(unit)",
                        "\(format(max(0, cap - used))) \(unit)", String(format: "%.1f", percent), lastForCustomer,
                    ])
                }
            }
        }
        return table
    }

    /// Every entry, for auditors: who recorded what, when, against which pack.
    public static func export(_ entries: [LedgerEntry]) -> Table {
        var table = Table(columns: [
            "entry", "kind", "supplier", "order_id", "licence", "customer", "quantity", "value", "ship_date", "recorded_at", "recorded_by",
            "pack", "pack_digest", "source", "voids", "reason",
        ])
        for entry in entries {
            table.rows.append([
                String(entry.id), entry.kind.rawValue, entry.supplier, entry.orderID, entry.licence, entry.customer ?? "",
                entry.quantity?.description ?? "", entry.value?.description ?? "", entry.shipDate?.description ?? "", entry.recordedAt,
                entry.recordedBy, "\(entry.packID)@\(entry.packVersion)", entry.packDigest, entry.source,
                entry.voids.map(String.init) ?? "",
                entry.reason ?? "",
            ])
        }
        return table
    }

    private static func amount(_ amount: Limit.Amount) -> (Decimal, String) {
        switch amount {
        case .quantity(let quantity): (quantity.amount, quantity.dimension == .mass ? "kg" : "pcs")
        case .value(let money): (money.amount, money.currency)
        }
    }

    private static func totals(_ shipments: [LedgerEntry]) -> String {
        var kg: Decimal = 0
        var pieces: Decimal = 0
        for entry in shipments {
            guard let quantity = entry.quantity else { continue }
            if quantity.dimension == .mass { kg += quantity.amount } else { pieces += quantity.amount }
        }
        return [kg > 0 ? "\(format(kg)) kg" : nil, pieces > 0 ? "\(format(pieces)) pcs" : nil].compactMap { $0 }.joined(separator: ", ")
    }

    private static func format(_ value: Decimal) -> String { DecimalNumber.format(value) }
}
