import Foundation

/// Decides whether a licence covers a line for a category (contract §3, §10.4): each check in
/// order, with its truth and, when it fails or is unknown, why.
struct LicenceMatcher {
    /// One check of a licence against a line.
    struct Check: Sendable {
        var name: String
        var truth: Truth
        /// Why the check failed or could not be decided, written only when asked for (messages
        /// and traces), so that the lines that are covered never pay for formatting it.
        private let describe: @Sendable () -> String
        var isLimit: Bool

        init(name: String, truth: Truth, detail: @autoclosure @escaping @Sendable () -> String, isLimit: Bool = false) {
            self.name = name
            self.truth = truth
            describe = detail
            self.isLimit = isLimit
        }

        var detail: String { describe() }
    }

    /// All checks of one licence for one line and category.
    struct Assessment: Sendable {
        var licence: Licence
        var checks: [Check]

        var coverage: Truth { Truth.all(checks.map(\.truth)) }

        /// The first check that failed, else the first that was unknown.
        var firstProblem: Check? {
            checks.first { $0.truth.isFalse } ?? checks.first { !$0.truth.isTrue }
        }

        /// True when every check but the limits passed and a limit failed.
        var failedOnlyOnLimit: Bool {
            checks.allSatisfy { $0.isLimit || $0.truth.isTrue } && checks.contains { $0.isLimit && $0.truth.isFalse }
        }
    }

    let pack: Pack

    /// The order-line field a check reads, for pointing reports at its column.
    static func field(ofCheck name: String) -> String? {
        switch name {
        case "holder": "supplier"
        case "validity": "date"
        case "customer": "customer"
        case "end user": "end_user"
        case "destination": "destination"
        case "end use": "end_use"
        case _ where name.hasSuffix("_value") || name == "limit value": "value"
        case _ where name.hasPrefix("limit "): "quantity"
        default: nil
        }
    }

    /// Whether every check of `licence` is true for the line, stopping at the first that is not
    /// (the common case: a covered line never needs the checks of other licences or their
    /// messages).
    func covers(_ licence: Licence, _ facts: LineFacts, ledger: LimitLedger) -> Bool {
        var covered = true
        forEachCheck(licence, facts, ledger: ledger) { check in
            covered = check.truth.isTrue
            return covered
        }
        return covered
    }

    /// Every check of `licence` against the line, in order.
    func assess(_ licence: Licence, _ facts: LineFacts, ledger: LimitLedger) -> Assessment {
        var checks: [Check] = []
        forEachCheck(licence, facts, ledger: ledger) { check in
            checks.append(check)
            return true
        }
        return Assessment(licence: licence, checks: checks)
    }

    /// Hands each check of `licence` against the line to `visit`, in order, until it returns
    /// false: the one definition of coverage that `covers` and `assess` share.
    private func forEachCheck(_ licence: Licence, _ facts: LineFacts, ledger: LimitLedger, _ visit: (Check) -> Bool) {
        guard visit(Check(name: "status", truth: Truth(licence.status == .active), detail: "licence is \(licence.status.rawValue)"))
        else { return }
        let holder: Check
        switch facts.supplier {
        case .party(let id):
            holder = Check(
                name: "holder", truth: Truth(id == licence.holder), detail: "supplier '\(id)' is not the holder '\(licence.holder)'")
        case .absent:
            holder = Check(name: "holder", truth: .unknown(missing: ["supplier"]), detail: "the line names no supplier")
        case .unknown(let raw), .ambiguous(let raw, _):
            holder = Check(
                name: "holder", truth: .unknown(missing: ["supplier ('\(raw)' is not a known party)"]),
                detail: "supplier '\(raw)' is not a known party")
        }
        guard visit(holder) else { return }
        let validity =
            if let date = facts.date {
                Check(
                    name: "validity", truth: Truth(licence.valid.contains(date)),
                    detail: "date \(date) is outside the validity \(licence.valid)")
            } else {
                Check(name: "validity", truth: .unknown(missing: ["date"]), detail: "the line has no date")
            }
        guard visit(validity), visit(partyCheck("customer", facts.customer, allowed: licence.customers)) else { return }
        if licence.endUsers != nil {
            guard visit(partyCheck("end user", facts.endUser, allowed: licence.endUsers, field: "end_user")) else { return }
        }
        if let destinations = licence.destinations {
            let check =
                if let destination = facts.order.destination {
                    Check(
                        name: "destination", truth: Truth(destinations.contains(destination)),
                        detail: "destination '\(destination)' is not covered")
                } else {
                    Check(name: "destination", truth: .unknown(missing: ["destination"]), detail: "the line has no destination")
                }
            guard visit(check) else { return }
        }
        if !licence.excludedEndUses.isEmpty {
            let check =
                if let endUse = facts.order.endUse {
                    Check(
                        name: "end use", truth: Truth(!licence.excludedEndUses.contains(endUse.caseFolded)),
                        detail: "end use '\(endUse)' is excluded")
                } else {
                    Check(name: "end use", truth: .unknown(missing: ["end_use"]), detail: "the line has no end use")
                }
            guard visit(check) else { return }
        }
        for limit in licence.limits {
            guard visit(limitCheck(limit, licence: licence, facts, ledger: ledger)) else { return }
        }
    }

    private func partyCheck(_ name: String, _ resolution: PartyResolver.Resolution, allowed: Set<String>?, field: String? = nil) -> Check {
        let field = field ?? name
        guard let allowed else { return Check(name: name, truth: .true, detail: "") }
        switch resolution {
        case .party(let id):
            return Check(name: name, truth: Truth(allowed.contains(id)), detail: "\(name) '\(id)' is not on the approved list")
        case .absent:
            return Check(name: name, truth: .unknown(missing: [field]), detail: "the line names no \(name)")
        case .unknown(let raw), .ambiguous(let raw, _):
            return Check(
                name: name, truth: .unknown(missing: ["\(field) ('\(raw)' is not a known party)"]),
                detail: "\(name) '\(raw)' is not a known party")
        }
    }

    private func limitCheck(_ limit: Limit, licence: Licence, _ facts: LineFacts, ledger: LimitLedger) -> Check {
        let name = "limit \(limit.key)"
        let needed: Decimal
        let unit: String
        switch limit.amount {
        case .quantity(let cap):
            unit = cap.dimension == .mass ? "kg" : "pcs"
            guard let quantity = facts.order.quantity else {
                return Check(
                    name: name, truth: .unknown(missing: ["quantity"]), detail: "the line has no quantity for limit \(limit.key)",
                    isLimit: true)
            }
            guard quantity.dimension == cap.dimension else {
                return Check(
                    name: name, truth: .unknown(missing: ["quantity in \(unit)"]),
                    detail: "the line's quantity is not in \(unit), as limit \(limit.key) is", isLimit: true)
            }
            needed = quantity.amount
        case .value(let cap):
            unit = cap.currency
            guard let value = facts.order.value else {
                return Check(
                    name: name, truth: .unknown(missing: ["value"]), detail: "the line has no value for limit \(limit.key)", isLimit: true)
            }
            guard value.currency == cap.currency else {
                return Check(
                    name: name, truth: .unknown(missing: ["value in \(unit)"]),
                    detail: "the line's value is not in \(unit), as limit \(limit.key) is", isLimit: true)
            }
            needed = value.amount
        }
        let capAmount: Decimal =
            switch limit.amount {
            case .quantity(let cap): cap.amount
            case .value(let cap): cap.amount
            }
        let used: Decimal
        switch limit.scope {
        case .shipment:
            used = 0
        case .licence:
            used = ledger.used(LimitLedger.Key(licence: licence.id, customer: nil), like: limit.amount)
        case .customer:
            guard let customer = facts.customer.id else {
                return Check(
                    name: name, truth: .unknown(missing: ["customer"]), detail: "no known customer to count limit \(limit.key) against",
                    isLimit: true)
            }
            used = ledger.used(LimitLedger.Key(licence: licence.id, customer: customer), like: limit.amount)
        }
        let format = DecimalNumber.format
        let scope = limit.scope
        let key = limit.key
        // Written inside the autoclosure: formatting decimals is costly and most lines pass.
        return Check(
            name: name, truth: Truth(used + needed <= capAmount),
            detail: scope == .shipment
                ? "limit \(key) of \(format(capAmount)) \(unit) is exceeded by this line's \(format(needed)) \(unit)"
                : "limit \(key) of \(format(capAmount)) \(unit) has \(format(max(0, capAmount - used))) \(unit) left; this line needs \(format(needed)) \(unit)",
            isLimit: true)
    }
}
