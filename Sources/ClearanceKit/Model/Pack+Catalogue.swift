/// What an id in a reason stands for: its kind, title, legal basis and rule-pack position.
public struct PackEntryInfo: Sendable, Equatable {
    /// `category`, `licence`, `rule`, `list` or `pack`.
    public var kind: String
    public var title: String?
    public var basis: String?
    public var source: SourceLocation
}

extension Pack {
    /// Every id a reason can name, for reports that describe their rules (SARIF) and for checking
    /// the ids that clearances name.
    public var catalogue: [String: PackEntryInfo] {
        var catalogue: [String: PackEntryInfo] = [
            info.id: PackEntryInfo(kind: "pack", title: info.title, basis: info.sources.first, source: info.source)
        ]
        for category in categories {
            catalogue[category.id] = PackEntryInfo(kind: "category", title: category.title, basis: category.basis, source: category.source)
        }
        for licence in licences {
            catalogue[licence.id] = PackEntryInfo(kind: "licence", title: licence.title, basis: licence.basis, source: licence.source)
        }
        for rule in rules {
            catalogue[rule.id] = PackEntryInfo(kind: "rule", title: rule.title, basis: rule.basis, source: rule.source)
        }
        for list in lists.values {
            catalogue[list.id] = PackEntryInfo(kind: "list", title: list.title, basis: list.basis, source: list.source)
        }
        return catalogue
    }
}
