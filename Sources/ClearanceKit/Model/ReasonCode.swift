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

    /// By raw value, alphabetically (contract §10.13 sorts a line's reasons by code).
    public static func < (lhs: ReasonCode, rhs: ReasonCode) -> Bool { lhs.rank < rhs.rank }

    /// The place of the raw value in alphabetical order, which is the order the cases are declared
    /// in (tested): compared as numbers, not as texts (sorting a line's reasons compared their
    /// codes' texts, about 400 instructions a line with several reasons; callgrind).
    var rank: Int {
        switch self {
        case .categoryReview: 0
        case .cleared: 1
        case .covered: 2
        case .inputError: 3
        case .licenceCondition: 4
        case .licenceLimit: 5
        case .listedParty: 6
        case .missingData: 7
        case .noLicence: 8
        case .notControlled: 9
        case .prohibited: 10
        case .rule: 11
        case .stalePack: 12
        case .unknownParty: 13
        }
    }
}
