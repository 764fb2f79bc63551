import Foundation

/// Decides whether a licence covers a line for a category (contract §3, §10.4): each check in
/// order, with its truth and, when it fails or is unknown, why.
struct LicenceMatcher {
    /// One check of a licence against a line.
    struct Check: Sendable {
        var name: String
        var truth: Truth
        /// Why the check failed or could not be decided; empty for a passed check outside a
        /// trace (nothing reads it there).
        var detail: String
        var isLimit: Bool
    }

    /// What `forEachCheck` hands over for each check.
    ///
    /// Whether it holds (nil: not known), the field an unknown check misses, whether it is a
    /// limit, and its name and detail. The missing field, name and detail are closures that write
    /// them only when called, so that the lines that are covered never pay for formatting them
    /// (nor for an allocation per check), and the plans, which read only whether checks hold,
    /// never make an unknown truth's set of missing fields (a set hashed and allocated for each
    /// unknown check: about 300 instructions a W1 line).
    ///
    /// The detail is appended as its parts, to be joined once with the message around it
    /// (`firstFalseUsageFreeDetail`): made a string of its own first, it was an allocation more
    /// for every candidate of a line no licence covers.
    typealias Visit = (
        _ holds: Bool?, _ missing: () -> String, _ isLimit: Bool, _ name: () -> String, _ detail: (inout [String]) -> Void
    ) -> Bool

    /// The missing field of a check that is known (none).
    private static func nothingMissing() -> String { "" }

    /// A check's truth, from what `Visit` is handed.
    private static func truth(_ holds: Bool?, missing: () -> String) -> Truth {
        if let holds { Truth(holds) } else { .unknown(missing: [missing()]) }
    }

    /// All checks of one licence for one line and category.
    struct Assessment: Sendable {
        var licence: Licence
        var checks: [Check]

        var coverage: Truth { Truth.all(checks.lazy.map(\.truth)) }

        /// The first check that failed, else the first that was unknown.
        var firstProblem: Check? {
            checks.first { $0.truth.isFalse } ?? checks.first { !$0.truth.isTrue }
        }

        /// True when every check but the limits passed and a limit failed.
        var failedOnlyOnLimit: Bool {
            checks.allSatisfy { $0.isLimit || $0.truth.isTrue } && checks.contains { $0.isLimit && $0.truth.isFalse }
        }
    }

    /// A licence's customers, end users and destinations as numbers, tested without hashing the
    /// line's ids and country (the `Set<String>` look-ups were 6 % of a W1 line's time, perf):
    /// register numbers (`PartyResolver.Entry.number`) and country places (`ISOCodes.countryPlace`).
    ///
    /// Built for the licences of a pack with its resolver; a line whose party or destination has
    /// no number (facts changed after they were made) is tested against the licence's sets. A
    /// class: handed to every check of a candidate, a struct retained each of its arrays.
    final class Scope: Sendable {
        /// Sorted; nil: the licence names no such parties (any customer, or no end-user check).
        let customers: [Int32]?
        let endUsers: [Int32]?
        /// Bit `place` of word `place / 64`; nil: any destination.
        let destinations: [UInt64]?
        /// The resolver whose numbers these are (`PartyResolver.register`).
        let register: UInt64
        /// Whether the licence is active.
        ///
        /// With the holder's number (`noNumber` when the register has no such party), validity
        /// and excluded end uses below: what the other usage-free checks read of the licence, so
        /// that a line's plan reads the scope alone (`usageFreeOutcome(_:_:_:)`). Read from the
        /// licence, each candidate of a line was a copy of the licence (a retain and release of
        /// its box) and a cache line more (perf).
        let isActive: Bool
        let holder: Int32
        let valid: DayRange
        let excludedEndUses: [String]

        /// `holder` for a licence whose holder the register does not have: no entry has it.
        static let noNumber: Int32 = -1

        init(_ licence: Licence, resolver: PartyResolver) {
            register = resolver.register
            isActive = licence.status == .active
            holder = resolver.entry(licence.holder)?.number ?? Self.noNumber
            valid = licence.valid
            excludedEndUses = licence.excludedEndUses
            // An id the register does not have matches no line's party, so it has no number.
            func numbers(_ ids: Set<String>?) -> [Int32]? { ids.map { $0.compactMap { resolver.entry($0)?.number }.sorted() } }
            customers = numbers(licence.customers)
            endUsers = numbers(licence.endUsers)
            destinations = licence.destinations.map { codes in
                var bits = [UInt64](repeating: 0, count: (ISOCodes.countryPlaces + 63) / 64)
                // Every code of a pack that loads is a country; another could not match a line's.
                for place in codes.compactMap(ISOCodes.countryPlace) { bits[place >> 6] |= 1 << UInt64(place & 63) }
                return bits
            }
        }

        /// Marks the scope and its arrays immortal (`Immortal`): only for a scope kept until the
        /// process exits. (Its arrays unmarked, each check of a candidate licence counted one of
        /// them, an object both threads count.)
        func markImmortal() {
            Immortal.mark(self)
            for numbers in [customers, endUsers].compactMap(\.self) { Immortal.mark(array: numbers) }
            if let destinations { Immortal.mark(array: destinations) }
            Immortal.mark(array: excludedEndUses)
        }

        /// Whether the destinations hold the country at `place`.
        static func contains(_ bits: [UInt64], place: Int) -> Bool { bits[place >> 6] >> UInt64(place & 63) & 1 == 1 }
    }

    let pack: Pack
    /// `SmallASCIIString.isSupported`, read once.
    private let smallStrings = SmallASCIIString.isSupported

    /// The most checks a licence has without its limits (status, holder, validity, customer,
    /// end user, destination, end use).
    static let checkCount = 7

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
        forEachCheck(licence, facts, ledger: ledger) { holds, _, _, _, _ in
            covered = holds == true
            return covered
        }
        return covered
    }

    /// Every check of `licence` against the line, in order; `allDetails` writes the details of
    /// passed checks too (for traces).
    func assess(_ licence: Licence, _ facts: LineFacts, ledger: LimitLedger, allDetails: Bool = false) -> Assessment {
        var checks: [Check] = []
        checks.reserveCapacity(Self.checkCount)  // one allocation, not one for each doubling
        forEachCheck(licence, facts, ledger: ledger) { holds, missing, isLimit, name, detail in
            let truth = Self.truth(holds, missing: missing)
            checks.append(Check(name: name(), truth: truth, detail: allDetails || !truth.isTrue ? Self.text(detail) : "", isLimit: isLimit))
            return true
        }
        return Assessment(licence: licence, checks: checks)
    }

    /// How the checks of a licence other than its limits came out: those can be known before
    /// any usage is (see `Evaluator.CoverPlan`).
    enum UsageFreeOutcome {
        /// Every check but the limits is true.
        case allTrue
        /// A check is false: the licence does not cover the line, whatever its limits say.
        case someFalse
        /// No check is false but some is unknown.
        case someUnknown
    }

    /// The checks of `licence` other than its limits, stopping at the first false one.
    func usageFreeOutcome(_ licence: Licence, _ facts: LineFacts, scope: Scope? = nil) -> UsageFreeOutcome {
        var (sawFalse, sawUnknown) = (false, false)
        forEachUsageFreeCheck(licence, facts, scope: scope) { holds, _, _, _, _ in
            if holds == false {
                sawFalse = true
                return false
            }
            if holds == nil { sawUnknown = true }
            return true
        }
        return sawFalse ? .someFalse : sawUnknown ? .someUnknown : .allTrue
    }

    /// A line's parties as register numbers, for `usageFreeOutcome(_:_:_:)`: worked out once for
    /// all the candidates of a line (each candidate looked each entry up again).
    struct NumberedParties {
        /// A party field as a scope's checks read it.
        enum Party {
            /// The register entry's number.
            case numbered(Int32)
            /// No known party (absent, unknown or ambiguous): the check is unknown.
            case unknown
            /// A party without an entry numbered by the register (facts changed after they
            /// were made): only the licence's ids can tell.
            case unnumbered
        }

        let register: UInt64
        let supplier: Party
        let customer: Party
        let endUser: Party

        init(_ facts: LineFacts, register: UInt64) {
            func party(_ field: Field) -> Party {
                if let entry = facts.entry(field, numberedBy: register) { return .numbered(entry.number) }
                return facts.party(field).id == nil ? .unknown : .unnumbered
            }
            self.register = register
            (supplier, customer, endUser) = (party(.supplier), party(.customer), party(.endUser))
        }
    }

    /// `usageFreeOutcome(licence, facts, scope:)` for the licence `scope` is of, read from the
    /// scope and the line alone; nil when only the licence can tell (a party the scope's register
    /// does not number, a destination that is not a country code).
    ///
    /// The checks in another order than `forEachUsageFreeCheck`'s (the customer, which fails
    /// most candidates, first): a false check makes the outcome `someFalse` wherever it comes.
    func usageFreeOutcome(_ scope: Scope, _ parties: NumberedParties, _ facts: LineFacts) -> UsageFreeOutcome? {
        guard scope.register == parties.register else { return nil }
        var unknown = false
        /// Whether a party check is false; nil when the scope cannot tell.
        func fails(_ party: NumberedParties.Party, _ numbers: [Int32]) -> Bool? {
            switch party {
            case .numbered(let number): return !numbers.sortedContains(number)
            case .unknown: unknown = true
            case .unnumbered: return nil
            }
            return false
        }
        if let customers = scope.customers {
            guard let fails = fails(parties.customer, customers) else { return nil }
            if fails { return .someFalse }
        }
        guard scope.isActive else { return .someFalse }
        switch parties.supplier {
        case .numbered(let number): if number != scope.holder { return .someFalse }
        case .unknown: unknown = true
        case .unnumbered: return nil
        }
        if let date = facts.date {
            if !scope.valid.contains(date) { return .someFalse }
        } else {
            unknown = true
        }
        if let endUsers = scope.endUsers {
            guard let fails = fails(parties.endUser, endUsers) else { return nil }
            if fails { return .someFalse }
        }
        if let destinations = scope.destinations {
            if let destination = facts[line: \.destination] {
                guard let place = ISOCodes.countryPlace(destination, smallStrings: smallStrings) else { return nil }
                if !Scope.contains(destinations, place: place) { return .someFalse }
            } else {
                unknown = true
            }
        }
        if !scope.excludedEndUses.isEmpty {
            if let endUse = facts.foldedEndUse {
                if scope.excludedEndUses.contains(endUse) { return .someFalse }
            } else {
                unknown = true
            }
        }
        return unknown ? .someUnknown : .allTrue
    }

    /// The name of the first false check of `licence` other than its limits; its detail appended
    /// to `parts`, as its parts.
    ///
    /// For a licence `usageFreeOutcome` found `someFalse`, its assessment's `firstProblem`,
    /// without building the checks before it (a deny line built every check of every candidate).
    /// Nil, appending nothing, when no check is false.
    func firstFalseUsageFreeDetail(_ licence: Licence, _ facts: LineFacts, scope: Scope? = nil, appendingTo parts: inout [String])
        -> String?
    {
        var found: String?
        forEachUsageFreeCheck(licence, facts, scope: scope) { holds, _, _, name, detail in
            guard holds == false else { return true }
            found = name()
            detail(&parts)
            return false
        }
        return found
    }

    /// What a no-cover reason reads of a licence's assessment (`Assessment`), worked out without
    /// building its checks: a line no licence covers because a licence's customer is unknown or
    /// its limit is used up built every check of every candidate, with names and details (about
    /// 12,000 instructions such a line, one W1 line in twenty; callgrind).
    struct Shortfall {
        /// The coverage is false (else unknown when there is a problem, true when there is none).
        var isFalse = false
        /// The fields an unknown coverage misses, each once; empty for a false one.
        var missing: [String] = []
        /// The name of the first problem: the first false check, else the first unknown one.
        var problem: String?
        /// `Assessment.failedOnlyOnLimit`.
        var failedOnlyOnLimit = false
    }

    /// `assess(licence, facts, ledger:)`'s coverage, first problem and `failedOnlyOnLimit`; the
    /// first problem's detail appended to `parts`, as its parts.
    ///
    /// Stops at the first false check: it is the first problem, and the coverage is false
    /// whatever follows. The limits come last, so a false limit fails the licence on its limit
    /// alone when no check before it was unknown.
    func shortfall(_ licence: Licence, _ facts: LineFacts, ledger: LimitLedger, appendingProblemTo parts: inout [String]) -> Shortfall {
        var result = Shortfall()
        // The first unknown check's detail is appended where it goes and taken back if a check
        // is false (gathered in an array of its own, it was two or three allocations more).
        let start = parts.count
        var unknownBeforeLimits = false
        forEachCheck(licence, facts, ledger: ledger) { holds, missing, isLimit, name, detail in
            switch holds {
            case true?:
                return true
            case false?:
                result.isFalse = true
                result.problem = name()
                parts.removeSubrange(start...)
                detail(&parts)
                result.failedOnlyOnLimit = isLimit && !unknownBeforeLimits
                return false
            case nil:
                let field = missing()
                if !result.missing.contains(field) { result.missing.append(field) }
                if !isLimit { unknownBeforeLimits = true }
                if result.problem == nil {
                    result.problem = name()
                    detail(&parts)
                }
                return true
            }
        }
        if result.isFalse { result.missing = [] }
        return result
    }

    /// A detail's parts as one text.
    private static func text(_ detail: (inout [String]) -> Void) -> String {
        var parts: [String] = []
        detail(&parts)
        return parts.count == 1 ? parts[0] : String(concatenating: parts)
    }

    /// Whether every limit of `licence` still has room for the line, given the usage so far.
    func limitsHold(_ licence: Licence, _ facts: LineFacts, ledger: LimitLedger) -> Bool {
        var holds = true
        for limit in licence.limits {
            _ = limitCheck(limit, licence: licence, facts, ledger: ledger) { limitHolds, _, _, _, _ in
                holds = limitHolds == true
                return holds
            }
            if !holds { break }
        }
        return holds
    }

    /// Hands each check of `licence` to `visit`, in order, until it returns false.
    ///
    /// The one definition of coverage that `covers` and `assess` share; the limits come last,
    /// after every check that does not read usage.
    private func forEachCheck(_ licence: Licence, _ facts: LineFacts, ledger: LimitLedger, _ visit: Visit) {
        guard forEachUsageFreeCheck(licence, facts, visit) else { return }
        for limit in licence.limits {
            guard limitCheck(limit, licence: licence, facts, ledger: ledger, visit) else { return }
        }
    }

    /// The checks that do not read usage, in order; false when `visit` stopped them.
    @discardableResult
    private func forEachUsageFreeCheck(_ licence: Licence, _ facts: LineFacts, scope: Scope? = nil, _ visit: Visit) -> Bool {
        guard
            visit(
                licence.status == .active, Self.nothingMissing, false, { "status" }, { $0.append("licence is \(licence.status.rawValue)") })
        else {
            return false
        }
        let holderVisited: Bool
        switch facts.supplier {
        case .party(let id):
            holderVisited = visit(
                id == licence.holder, Self.nothingMissing, false, { "holder" },
                {
                    $0.append("supplier '"); $0.append(id); $0.append("' is not the holder '"); $0.append(licence.holder); $0.append("'")
                })
        case .absent:
            holderVisited = visit(nil, { "supplier" }, false, { "holder" }, { $0.append("the line names no supplier") })
        case .unknown(let raw), .ambiguous(let raw, _):
            holderVisited = visit(
                nil, { Truth.unknownParty("supplier", raw: raw) }, false, { "holder" },
                {
                    $0.append("supplier '"); $0.append(raw); $0.append("' is not a known party")
                })
        }
        guard holderVisited else { return false }
        let validityVisited =
            if let date = facts.date {
                visit(
                    licence.valid.contains(date), Self.nothingMissing, false, { "validity" },
                    { $0.append("date \(date) is outside the validity \(licence.valid)") })
            } else {
                visit(nil, { "date" }, false, { "validity" }, { $0.append("the line has no date") })
            }
        guard validityVisited,
            partyCheck(
                "customer", facts.customer, allowed: licence.customers, numbers: scope?.customers,
                entry: scope.flatMap { facts.entry(.customer, numberedBy: $0.register) }, visit)
        else { return false }
        if licence.endUsers != nil {
            guard
                partyCheck(
                    "end user", facts.endUser, allowed: licence.endUsers, numbers: scope?.endUsers,
                    entry: scope.flatMap { facts.entry(.endUser, numberedBy: $0.register) }, field: "end_user", visit)
            else { return false }
        }
        if let destinations = licence.destinations {
            let visited =
                if let destination = facts[line: \.destination] {
                    visit(
                        Self.destinations(destinations, bits: scope?.destinations, contain: destination, smallStrings: smallStrings),
                        Self.nothingMissing, false,
                        { "destination" },
                        {
                            $0.append("destination '"); $0.append(destination); $0.append("' is not covered")
                        })
                } else {
                    visit(nil, { "destination" }, false, { "destination" }, { $0.append("the line has no destination") })
                }
            guard visited else { return false }
        }
        if !licence.excludedEndUses.isEmpty {
            let visited =
                if let endUse = facts[line: \.endUse] {
                    visit(
                        !licence.excludedEndUses.contains(facts.foldedEndUse ?? endUse.caseFolded), Self.nothingMissing, false,
                        { "end use" },
                        {
                            $0.append("end use '"); $0.append(endUse); $0.append("' is excluded")
                        })
                } else {
                    visit(nil, { "end_use" }, false, { "end use" }, { $0.append("the line has no end use") })
                }
            guard visited else { return false }
        }
        return true
    }

    /// Whether a licence's destinations hold `destination`: from their bits (`Scope`) when known.
    private static func destinations(_ codes: Set<String>, bits: [UInt64]?, contain destination: String, smallStrings: Bool) -> Bool {
        if let bits, let place = ISOCodes.countryPlace(destination, smallStrings: smallStrings) {
            return Scope.contains(bits, place: place)
        }
        return codes.contains(destination)
    }

    /// - Parameters:
    ///   - numbers: `allowed` as register numbers (`Scope`), if known.
    ///   - entry: the register entry of the line's party, if known and numbered as `numbers` are.
    private func partyCheck(
        _ name: String, _ resolution: PartyResolver.Resolution, allowed: Set<String>?, numbers: [Int32]?, entry: PartyResolver.Entry?,
        field: String? = nil, _ visit: Visit
    ) -> Bool {
        let field = field ?? name
        guard let allowed else { return visit(true, Self.nothingMissing, false, { name }, { _ in }) }
        switch resolution {
        case .party(let id):
            let isAllowed =
                if let numbers, let entry { numbers.sortedContains(entry.number) } else { allowed.contains(id) }
            return visit(
                isAllowed, Self.nothingMissing, false, { name },
                {
                    $0.append(name); $0.append(" '"); $0.append(id); $0.append("' is not on the approved list")
                })
        case .absent:
            return visit(nil, { field }, false, { name }, { $0.append("the line names no \(name)") })
        case .unknown(let raw), .ambiguous(let raw, _):
            return visit(
                nil, { Truth.unknownParty(field, raw: raw) }, false, { name },
                {
                    $0.append(name); $0.append(" '"); $0.append(raw); $0.append("' is not a known party")
                })
        }
    }

    private func limitCheck(_ limit: Limit, licence: Licence, _ facts: LineFacts, ledger: LimitLedger, _ visit: Visit) -> Bool {
        let name = { "limit \(limit.key)" }
        let needed: ExactAmount
        let unit: String
        let capAmount: ExactAmount
        switch limit.amount {
        case .quantity(let cap):
            unit = cap.dimension == .mass ? "kg" : "pcs"
            guard let quantity = facts[line: \.quantity] else {
                return visit(nil, { "quantity" }, true, name, { $0.append("the line has no quantity for limit \(limit.key)") })
            }
            guard quantity.dimension == cap.dimension else {
                return visit(
                    nil, { "quantity in \(unit)" }, true, name,
                    { $0.append("the line's quantity is not in \(unit), as limit \(limit.key) is") })
            }
            (needed, capAmount) = (quantity.exact, cap.exact)
        case .value(let cap):
            unit = cap.currency
            guard let value = facts[line: \.value] else {
                return visit(nil, { "value" }, true, name, { $0.append("the line has no value for limit \(limit.key)") })
            }
            guard value.currency == cap.currency else {
                return visit(
                    nil, { "value in \(unit)" }, true, name,
                    { $0.append("the line's value is not in \(unit), as limit \(limit.key) is") })
            }
            (needed, capAmount) = (value.exact, cap.exact)
        }
        let used: ExactAmount
        switch limit.scope {
        case .shipment:
            used = .zero
        case .licence:
            used = ledger.usage(LimitLedger.Key(licence: licence.id, customer: nil), like: limit.amount)
        case .customer:
            guard let customer = facts.customer.id else {
                return visit(
                    nil, { "customer" }, true, name, { $0.append("no known customer to count limit \(limit.key) against") })
            }
            used = ledger.usage(LimitLedger.Key(licence: licence.id, customer: customer), like: limit.amount)
        }
        // Written only when asked for: most lines pass.
        return visit(used + needed <= capAmount, Self.nothingMissing, true, name) {
            $0.append(
                limit.scope == .shipment
                    ? "limit \(limit.key) of \(capAmount.formatted) \(unit) is exceeded by this line's \(needed.formatted) \(unit)"
                    : "limit \(limit.key) of \(capAmount.formatted) \(unit) has \(max(.zero, capAmount - used).formatted) \(unit) left; this line needs \(needed.formatted) \(unit)"
            )
        }
    }
}
