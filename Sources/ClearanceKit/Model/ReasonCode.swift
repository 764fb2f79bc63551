/// The stable, kebab-case code of a reason (contract §5).
public enum ReasonCode: String, CaseIterable, Comparable, Sendable {
    case categoryReview = "category-review"
    case cleared = "cleared"
    case covered = "covered"
    case inputError = "input-error"
    case licenceCondition = "licence-condition"
    case licenceLimit = "licence-limit"
    case listedParty = "listed-party"
    case missingData = "missing-data"
    case noLicence = "no-licence"
    case notControlled = "not-controlled"
    case prohibited = "prohibited"
    case rule = "rule"
    case stalePack = "stale-pack"
    case unknownParty = "unknown-party"

    public static func < (lhs: ReasonCode, rhs: ReasonCode) -> Bool { lhs.rawValue < rhs.rawValue }
}
