/// The ids a pack defines, gathered before entries are decoded so that references can be
/// checked in any file order, with "did you mean" from the right kind of id.
struct PackSymbols {
    /// The kinds of id; they share one namespace (contract §1), products excepted.
    enum Kind: String {
        case countryGroup = "country group"
        case list
        case party
        case category
        case licence
        case rule
    }

    /// What each id is, and where it is defined (in `locations`).
    ///
    /// Small entries, the locations apart: a licence's customers are each looked up here, and
    /// with its location in every entry the table was twice the size (cache misses, perf) and a
    /// look-up copied the location (a retain and release of its file name).
    private var kinds: [String: Entry] = [:]
    private var locations: [SourceLocation] = []
    var countryGroups: [String: Set<String>] = [:]

    private struct Entry {
        let kind: Kind
        let location: Int
    }

    init() {}

    /// The ids of a loaded pack, for parsing conditions outside it (clearance files).
    init(pack: Pack) {
        for group in pack.countryGroups.values { add(group.id, kind: .countryGroup, at: group.source) }
        for list in pack.lists.values { add(list.id, kind: .list, at: list.source) }
        for party in pack.parties.values { add(party.id, kind: .party, at: party.source) }
        for category in pack.categories { add(category.id, kind: .category, at: category.source) }
        for licence in pack.licences { add(licence.id, kind: .licence, at: licence.source) }
        for rule in pack.rules { add(rule.id, kind: .rule, at: rule.source) }
        countryGroups = pack.countryGroups.mapValues(\.members)
    }

    /// Makes room for `count` more ids at once (a large pack defines tens of thousands, and
    /// growing the table step by step rehashes every id already in it).
    mutating func reserve(_ count: Int) {
        kinds.reserveCapacity(kinds.count + count)
        locations.reserveCapacity(locations.count + count)
    }

    /// Registers `id`; reports a duplicate at its second occurrence.
    mutating func define(_ id: String, kind: Kind, at location: SourceLocation, decoder: NodeDecoder) {
        if let first = add(id, kind: kind, at: location) {
            decoder.report(
                .duplicateID, "duplicate id '\(id)': already used by the \(first.kind.rawValue) at \(locations[first.location])",
                expected: "ids unique across the whole pack", help: "rename one of them", at: location)
        }
    }

    /// Adds `id` unless it is defined already (one hash of it); returns the entry it already has.
    @discardableResult
    private mutating func add(_ id: String, kind: Kind, at location: SourceLocation) -> Entry? {
        let existing = Self.insert(Entry(kind: kind, location: locations.count), into: &kinds[id])
        if existing == nil { locations.append(location) }
        return existing
    }

    private static func insert(_ entry: Entry, into slot: inout Entry?) -> Entry? {
        guard let existing = slot else {
            slot = entry
            return nil
        }
        return existing
    }

    /// Where `id` is defined, if it is.
    func location(of id: String) -> SourceLocation? { kinds[id].map { locations[$0.location] } }

    func ids(of kind: Kind) -> [String] { kinds.filter { $0.value.kind == kind }.map(\.key).sorted() }

    func contains(_ id: String, kind: Kind) -> Bool { kinds[id]?.kind == kind }

    /// Checks a reference; reports an undefined one with the nearest id of that kind.
    @discardableResult
    func check(
        _ id: String, kind: Kind, owner: @autoclosure () -> String, at location: @autoclosure () -> SourceLocation, decoder: NodeDecoder
    ) -> Bool {
        if contains(id, kind: kind) { return true }
        var message = "\(owner()) names \(kind.rawValue) '\(id)', which is not defined"
        if let other = kinds[id] { message += " (it is a \(other.kind.rawValue))" }
        decoder.report(
            .undefinedReference, message, expected: "the id of a \(kind.rawValue) defined in the pack",
            help: Suggestion.help(for: id, in: ids(of: kind)), at: location())
        return false
    }

    /// Reads a country code or `@group` into its member codes.
    func countries(_ text: String, owner: @autoclosure () -> String, at location: SourceLocation, decoder: NodeDecoder) -> Set<String>? {
        var codes: Set<String> = []
        return addCountries(text, to: &codes, owner: owner(), at: location, decoder: decoder) ? codes : nil
    }

    /// Adds the codes a country code or `@group` names to `codes`; false (the problem reported)
    /// when it names none. (Without a set for each: a party's country and a licence's
    /// destinations each made one, a fifth of decoding a W1 party.)
    func addCountries(
        _ text: String, to codes: inout Set<String>, owner: @autoclosure () -> String, at location: SourceLocation, decoder: NodeDecoder
    ) -> Bool {
        if text.hasPrefix("@") {
            let group = String(text.dropFirst())
            if let members = countryGroups[group] {
                codes.formUnion(members)
                return true
            }
            decoder.report(
                .undefinedReference, "\(owner()) names country group '\(text)', which is not defined",
                expected: "'@' and the id of an entry of 'country_groups'",
                help: Suggestion.nearest(to: group, in: countryGroups.keys).map { "did you mean '@\($0)'?" }, at: location)
            return false
        }
        guard let code = country(text, owner: owner(), at: location, decoder: decoder) else { return false }
        codes.insert(code)
        return true
    }

    /// `text` when it is an ISO-3166 alpha-2 code; else nil, the problem reported.
    func country(_ text: String, owner: @autoclosure () -> String, at location: SourceLocation, decoder: NodeDecoder) -> String? {
        guard ISOCodes.countries.contains(text) else {
            let upper = text.uppercased()
            decoder.report(
                .badValue, "'\(text)' in \(owner()) is not an ISO-3166 alpha-2 country code",
                expected: "two capital letters such as 'DE', or '@group'",
                help: ISOCodes.countries.contains(upper) ? "did you mean '\(upper)'?" : nil, at: location)
            return nil
        }
        return text
    }
}
