import Foundation

/// A loaded, validated rule pack: everything the evaluator needs, nothing about YAML.
public struct Pack: Sendable {
    public var info: PackInfo
    public var countryGroups: [String: CountryGroup]
    public var lists: [String: RestrictedList]
    public var parties: [String: Party] {
        didSet { partyIndex = nil }
    }
    public var products: [String: Product]
    /// Sorted by id.
    public var categories: [Category]
    /// Sorted by id.
    public var licences: [Licence]
    /// Sorted by id.
    public var rules: [Rule]
    /// The rule files, relative to the pack root, sorted.
    public var files: [String]
    /// `sha256:<hex>` over the rule files' relative paths and bytes.
    public var digest: String
    /// The index of `parties`' names, when the loader built it beside them; dropped whenever
    /// `parties` changes.
    var partyIndex: PartyResolver?

    public init(
        info: PackInfo, countryGroups: [String: CountryGroup], lists: [String: RestrictedList],
        parties: [String: Party], products: [String: Product], categories: [Category],
        licences: [Licence], rules: [Rule], files: [String], digest: String
    ) {
        self.info = info
        self.countryGroups = countryGroups
        self.lists = lists
        self.parties = parties
        self.products = products
        self.categories = categories.sorted { $0.id < $1.id }
        self.licences = licences.sorted { $0.id < $1.id }
        self.rules = rules.sorted { $0.id < $1.id }
        self.files = files
        self.digest = digest
    }

    /// Finds the pack's parties by id, name or alias.
    public var partyResolver: PartyResolver { partyIndex ?? PartyResolver(parties: parties.values) }
}

/// The `pack:` entry.
public struct PackInfo: Sendable {
    public var id: String
    public var title: String?
    public var version: String
    public var jurisdiction: String?
    public var sources: [String]
    /// Past this day every line gets a `stale-pack` review.
    public var reviewBy: Day?
    public var defaults: Defaults
    public var source: SourceLocation

    public init(
        id: String, title: String?, version: String, jurisdiction: String?, sources: [String],
        reviewBy: Day?, defaults: Defaults, source: SourceLocation
    ) {
        self.id = id
        self.title = title
        self.version = version
        self.jurisdiction = jurisdiction
        self.sources = sources
        self.reviewBy = reviewBy
        self.defaults = defaults
        self.source = source
    }

    /// `id@version`, as messages name the pack.
    public var reference: String { "\(id)@\(version)" }
}

/// The verdicts a pack gives when data is missing, no licence covers, or a party is unknown.
public struct Defaults: Equatable, Sendable {
    public var missingData: Verdict = .review
    public var noLicence: Verdict = .deny
    public var unknownParty: Verdict = .review

    public init(missingData: Verdict = .review, noLicence: Verdict = .deny, unknownParty: Verdict = .review) {
        self.missingData = missingData
        self.noLicence = noLicence
        self.unknownParty = unknownParty
    }
}

/// A named set of countries (`@eu`), with nested groups already expanded.
public struct CountryGroup: Sendable {
    public var id: String
    public var members: Set<String>
    public var source: SourceLocation
}

/// A restricted-party list such as the Unreliable Entity List.
public struct RestrictedList: Sendable {
    public var id: String
    public var title: String?
    public var authority: String?
    /// `deny` or `review`.
    public var verdict: Verdict
    public var basis: String?
    public var source: SourceLocation
}

/// An entry of the party register.
public struct Party: Sendable {
    public var id: String
    public var name: String
    public var aliases: [String]
    public var country: String?
    public var listings: [Listing]
    public var source: SourceLocation
}

/// A party's place on a list, optionally only for some dates.
public struct Listing: Sendable {
    public var list: String
    public var window: DayRange
    public var basis: String?
    public var source: SourceLocation

    /// True when the listing has no dates, so it counts on every line.
    public var isUndated: Bool { window.from == nil && window.until == nil }
}

/// A catalogue entry, looked up by `sku`.
public struct Product: Sendable {
    public var sku: String
    public var description: String?
    public var hsCode: String?
    /// Element symbol to mass percent; nil when the catalogue gives no composition.
    public var composition: [String: Percentage]?
    public var attributes: [String: String]
    public var source: SourceLocation
}
