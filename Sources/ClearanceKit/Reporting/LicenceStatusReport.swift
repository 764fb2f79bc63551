import Foundation

/// `clearance licences`: every licence of a pack with its validity, status, scope and usage on a
/// day, flagging what needs attention.
public enum LicenceStatusReport {
    /// Usage of one limit, as text such as `quantity 12000/60000 kg (20%)`, for a per-customer
    /// limit the most-used customer's; nil for per-shipment caps.
    public static func usageText(_ limit: Limit, licence: Licence, usage: LimitLedger) -> (text: String, fraction: Decimal)? {
        var customer: String?
        switch limit.scope {
        case .shipment: return nil
        case .licence: break
        case .customer:
            customer = usage.customers(of: licence.id).max { lhs, rhs in
                usage.used(LimitLedger.Key(licence: licence.id, customer: lhs), like: limit.amount)
                    < usage.used(LimitLedger.Key(licence: licence.id, customer: rhs), like: limit.amount)
            }
        }
        let used = usage.used(LimitLedger.Key(licence: licence.id, customer: customer), like: limit.amount)
        let cap: Decimal
        let unit: String
        switch limit.amount {
        case .quantity(let quantity):
            cap = quantity.amount
            unit = quantity.dimension == .mass ? "kg" : "pcs"
        case .value(let money):
            cap = money.amount
            unit = money.currency
        }
        let fraction = cap > 0 ? used / cap : 1
        let percent = NSDecimalNumber(decimal: fraction * 100).doubleValue
        let who = limit.scope == .customer ? " by \(customer ?? "any customer")" : ""
        return (
            "\(limit.key) \(DecimalNumber.format(used))/\(DecimalNumber.format(cap)) \(unit)\(who) (\(String(format: "%.0f", percent))%)",
            fraction
        )
    }

    /// The table of every licence on `day`.
    /// - Parameters:
    ///   - usage: committed usage from the ledger (empty without one).
    ///   - expiringWithin: flag licences that end within this many days.
    public static func table(pack: Pack, day: Day, usage: LimitLedger, expiringWithin: Int) -> Table {
        var table = Table(columns: [
            "licence", "holder", "type", "valid", "days_left", "status", "customers", "categories", "usage", "flags",
        ])
        for licence in pack.licences {
            let daysLeft = licence.valid.until.map { $0.ordinal - day.ordinal }
            var status = licence.status.rawValue
            if licence.status == .active {
                if let until = licence.valid.until, day > until { status = "expired" }
                if let from = licence.valid.from, day < from { status = "not yet valid" }
            }
            var flags: [String] = []
            if status == "active", let daysLeft, daysLeft <= expiringWithin { flags.append("expires in \(daysLeft) days") }
            let usages = licence.limits.compactMap { usageText($0, licence: licence, usage: usage) }
            if usages.contains(where: { $0.fraction >= Decimal(string: "0.9") ?? 1 }) { flags.append("over 90% used") }
            let categories = licence.categories.compactMap { id in pack.categories.first { $0.id == id } }
            let inEffect = categories.filter { category in
                category.effective.contains(day) && !category.suspended.contains { $0.window.contains(day) }
            }
            if inEffect.isEmpty { flags.append("covers nothing on \(day): its categories are suspended or not in effect") }
            table.rows.append([
                licence.id, licence.holder, licence.type?.rawValue ?? "", licence.valid.description, daysLeft.map(String.init) ?? "open",
                status, licence.customers.map { String($0.count) } ?? "all", licence.categories.joined(separator: " "),
                usages.isEmpty ? (licence.limits.isEmpty ? "no limits" : "per shipment only") : usages.map(\.text).joined(separator: "; "),
                flags.joined(separator: "; "),
            ])
        }
        return table
    }
}
