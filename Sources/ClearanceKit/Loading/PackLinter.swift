/// Finds what is legal in a pack but probably wrong (`clearance lint` warnings).
public enum PackLinter {
    /// How many days before `review_by` lint starts to warn.
    public static let reviewWarningDays = 30

    /// Every warning for `pack` on `today`, sorted by position.
    public static func warnings(for pack: Pack, today: Day) -> [PackWarning] {
        var warnings: [PackWarning] = []
        let categories = Dictionary(pack.categories.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for licence in pack.licences {
            if let until = licence.valid.until, until < today {
                warnings.append(
                    PackWarning(
                        .expiredLicence, "licence '\(licence.id)' expired on \(until)", help: "remove it or record its successor",
                        at: licence.source))
            }
            for id in licence.categories {
                guard let category = categories[id], !category.effective.overlaps(licence.valid) else { continue }
                warnings.append(
                    PackWarning(
                        .licenceOutsideCategory,
                        "licence '\(licence.id)' is valid \(licence.valid) but category '\(id)' is in effect only \(category.effective)",
                        help: "check the dates of the licence and the category", at: licence.source))
            }
        }
        for category in pack.categories {
            for suspension in category.suspended where !category.effective.overlaps(suspension.window) {
                warnings.append(
                    PackWarning(
                        .suspensionOutsideEffective,
                        "suspension \(suspension.window) of category '\(category.id)' lies outside its effective window \(category.effective)",
                        help: "check the dates", at: suspension.source))
            }
        }
        var used: Set<String> = []
        for licence in pack.licences {
            used.insert(licence.holder)
            used.formUnion(licence.customers ?? [])
            used.formUnion(licence.endUsers ?? [])
        }
        let conditions =
            pack.categories.map(\.condition) + pack.rules.map(\.condition) + pack.licences.flatMap { $0.conditions.map(\.condition) }
        for leaf in conditions.flatMap(\.leaves) where leaf.field.kind == .party {
            for case .text(let id) in leaf.operands { used.insert(id) }
        }
        for party in pack.parties.values where !used.contains(party.id) && party.listings.isEmpty {
            warnings.append(
                PackWarning(
                    .unusedParty, "party '\(party.id)' is named by no licence, condition or list",
                    help: "remove it, or add it where it belongs", at: party.source))
        }
        for product in pack.products.values where product.hsCode == nil {
            warnings.append(
                PackWarning(
                    .productWithoutHSCode,
                    "product '\(product.sku)' has no hs_code; lines naming it are missing data for HS-based categories",
                    help: "add its hs_code", at: product.source))
        }
        for (name, parties) in pack.partyResolver.ambiguousNames {
            let location = parties.compactMap { pack.parties[$0]?.source }.max() ?? pack.info.source
            warnings.append(
                PackWarning(
                    .ambiguousName,
                    "the name '\(name)' belongs to parties \(parties.map { "'\($0)'" }.joined(separator: ", ")); lines naming it are unknown-party",
                    help: "make names and aliases unique", at: location))
        }
        if let reviewBy = pack.info.reviewBy {
            if today > reviewBy {
                warnings.append(
                    PackWarning(
                        .reviewSoon, "the pack was due for review on \(reviewBy); every line gets a stale-pack review",
                        help: "review the rules and move 'review_by'", at: pack.info.source))
            } else if reviewBy.ordinal - today.ordinal <= reviewWarningDays {
                warnings.append(
                    PackWarning(
                        .reviewSoon, "the pack is due for review on \(reviewBy)", help: "review the rules and move 'review_by'",
                        at: pack.info.source))
            }
        }
        return warnings.sorted { ($0.location, $0.message) < ($1.location, $1.message) }
    }
}
