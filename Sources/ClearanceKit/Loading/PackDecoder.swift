/// Decodes the YAML documents of a pack into the model, one function per section, reporting
/// every problem to the shared `NodeDecoder`.
struct PackDecoder {
    private(set) var decoder: NodeDecoder
    let root: String

    /// The top-level keys of a rule-file document.
    enum SectionKey: String, CaseIterable {
        case pack, countryGroups = "country_groups", lists, parties, products, categories, licences, rules
    }

    private var symbols = PackSymbols()
    private var sections: [SectionKey: [(node: YAMLNode, keyLocation: SourceLocation)]] = [:]

    init(decoder: NodeDecoder, root: String) {
        self.decoder = decoder
        self.root = root
    }

    mutating func decode(documents: [YAMLNode], files: [String], digest: String) -> Pack? {
        for document in documents {
            guard let fields = decoder.fields(of: document, owner: "a rule file") as Fields<SectionKey>? else { continue }
            // Keep file order: walk the mapping again for key positions.
            if case .mapping(let pairs) = document.content {
                for (key, value) in pairs {
                    guard let section = SectionKey(rawValue: key.scalar ?? ""), fields[section] != nil else { continue }
                    sections[section, default: []].append((value, key.location))
                }
            }
        }
        let packEntries = sections[.pack] ?? []
        if packEntries.isEmpty {
            decoder.report(
                .missingPack, "the pack has no 'pack:' entry", expected: "exactly one 'pack:' mapping with 'id' and 'version'",
                help: "add a pack.yaml with 'pack: {id: …, version: …}'", at: SourceLocation(file: root, line: 1, column: 1))
        }
        for extra in packEntries.dropFirst() {
            decoder.report(
                .duplicateID, "a second 'pack:' entry; the first is at \(packEntries[0].keyLocation)",
                expected: "exactly one 'pack:' per pack", at: extra.keyLocation)
        }
        let info = packEntries.first.flatMap { decodePackInfo($0.node) }
        // Each list section's entries, read once (a section that is not a list is reported once).
        let lists = Dictionary(
            uniqueKeysWithValues: [SectionKey.lists, .parties, .products, .categories, .licences, .rules].map { ($0, entries($0)) })
        defineIDs(lists)
        decodeCountryGroups()
        let decoded = decodeEntries(lists)
        guard let info else { return nil }
        var pack = Pack(
            info: info,
            countryGroups: Dictionary(
                uniqueKeysWithValues: symbols.countryGroups.map { id, members in
                    (id, CountryGroup(id: id, members: members, source: symbols.location(of: id) ?? info.source))
                }),
            lists: Dictionary(decoded.lists.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }),
            parties: decoded.parties,
            products: decoded.products, categories: decoded.categories, licences: decoded.licences, rules: decoded.rules,
            files: files, digest: digest)
        // Ids are unique in a pack that loads, so the index of the decoded parties is the index
        // of the pack's.
        pack.partyIndex = decoded.partyIndex
        return pack
    }

    /// The entries of every section that defines things, and the party index.
    ///
    /// Once ids and country groups are known the sections are independent, and so is each
    /// entry: they decode on every core in units taken largest first (the parties with the index
    /// of their names, the products, the licences in eighths, the rest), each unit reporting to a
    /// `NodeDecoder` of its own; the reports are merged into this decoder after, and errors are
    /// sorted by position, so neither the units nor the order of merging ever show.
    private func decodeEntries(_ nodes: [SectionKey: [YAMLNode]]) -> Decoded {
        let licences = nodes[.licences] ?? []
        let chunks = licences.isEmpty ? 0 : min(8, licences.count)
        let units: [Unit] =
            [.parties, .products, .rest]
            + (0..<chunks).map { .licences(($0 * licences.count / chunks)..<(($0 + 1) * licences.count / chunks)) }
        // INVARIANT: the workers only read this decoder's symbols (immutable from here on) and the
        // YAML nodes (immutable); each writes to its own NodeDecoder.
        nonisolated(unsafe) let shared = self
        let parts = Concurrently.map(units.count, slices: units.count) { range in
            range.map { index -> Decoded in
                var worker = shared
                worker.decoder = NodeDecoder()
                var decoded = Decoded()
                switch units[index] {
                case .parties:
                    let parties = (nodes[.parties] ?? []).compactMap(worker.decodeParty)
                    decoded.partyIndex = PartyResolver(parties: parties)
                    // Keyed here rather than after the merge, where it would run on one thread.
                    decoded.parties = Dictionary(parties.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
                case .products: decoded.products = worker.decodeProducts(nodes[.products] ?? [])
                case .rest:
                    decoded.lists = (nodes[.lists] ?? []).compactMap(worker.decodeList)
                    decoded.categories = (nodes[.categories] ?? []).compactMap(worker.decodeCategory)
                    decoded.rules = (nodes[.rules] ?? []).compactMap(worker.decodeRule)
                case .licences(let range): decoded.licences = licences[range].compactMap(worker.decodeLicence)
                }
                decoded.errors = worker.decoder.errors
                return decoded
            }
        }.flatMap { $0 }
        // Licence chunks come after the other units, in order: their licences keep file order.
        var all = Decoded()
        for part in parts {
            for error in part.errors { decoder.report(error) }
            all.lists += part.lists
            if all.parties.isEmpty { all.parties = part.parties }
            all.partyIndex = all.partyIndex ?? part.partyIndex
            if all.products.isEmpty { all.products = part.products }
            all.categories += part.categories
            all.licences += part.licences
            all.rules += part.rules
        }
        return all
    }

    /// A share of the decoding work, done on one thread.
    private enum Unit {
        case parties, products, rest
        case licences(Range<Int>)
    }

    /// What the units decoded.
    private struct Decoded: Sendable {
        var errors: [PackLoadError] = []
        var lists: [RestrictedList] = []
        /// By id; the first of a duplicated id (reported) wins.
        var parties: [String: Party] = [:]
        var partyIndex: PartyResolver?
        var products: [String: Product] = [:]
        var categories: [Category] = []
        var licences: [Licence] = []
        var rules: [Rule] = []
    }

    /// The items of every occurrence of a list section.
    private func entries(_ section: SectionKey) -> [YAMLNode] {
        (sections[section] ?? []).flatMap { entry -> [YAMLNode] in
            guard case .sequence(let items) = entry.node.content else {
                decoder.wrongShape(entry.node, expected: "a list of entries", owner: "'\(section.rawValue)'")
                return []
            }
            return Array(items)
        }
    }

    // MARK: pack

    private enum PackKey: String, CaseIterable {
        case id, title, version, jurisdiction, sources, reviewBy = "review_by", defaults
    }

    private enum DefaultsKey: String, CaseIterable {
        case missingData = "missing_data", noLicence = "no_licence", unknownParty = "unknown_party"
    }

    private func decodePackInfo(_ node: YAMLNode) -> PackInfo? {
        guard let fields = decoder.fields(of: node, owner: "'pack'", required: [PackKey.id, .version]) else { return nil }
        var defaults = Defaults()
        if let node = fields[.defaults], let values = decoder.fields(of: node, owner: "'pack.defaults'") as Fields<DefaultsKey>? {
            var owner: String { "'pack.defaults'" }
            if let verdict = decoder.verdict(values[.missingData], owner: owner) { defaults.missingData = verdict }
            if let verdict = decoder.verdict(values[.noLicence], owner: owner) { defaults.noLicence = verdict }
            if let verdict = decoder.verdict(values[.unknownParty], owner: owner) { defaults.unknownParty = verdict }
        }
        let sources = fields[.sources].map(decoder.informativeList) ?? []
        guard let id = decoder.text(fields[.id], owner: "'pack'"), let version = decoder.text(fields[.version], owner: "'pack'") else {
            return nil
        }
        return PackInfo(
            id: id, title: decoder.text(fields[.title], owner: "'pack'"), version: version,
            jurisdiction: decoder.text(fields[.jurisdiction], owner: "'pack'"), sources: sources,
            reviewBy: decoder.day(fields[.reviewBy], owner: "'pack'"), defaults: defaults, source: node.location)
    }

    // MARK: ids and country groups

    /// Registers every id before decoding, so references resolve regardless of file order.
    private mutating func defineIDs(_ entries: [SectionKey: [YAMLNode]]) {
        for entry in sections[.countryGroups] ?? [] {
            guard case .mapping(let pairs) = entry.node.content else {
                decoder.wrongShape(entry.node, expected: "a mapping of group ids to country lists", owner: "'country_groups'")
                continue
            }
            for (key, _) in pairs { symbols.define(key.scalar ?? "", kind: .countryGroup, at: key.location, decoder: decoder) }
        }
        let kinds: [(SectionKey, PackSymbols.Kind)] = [
            (.lists, .list), (.parties, .party), (.categories, .category), (.licences, .licence), (.rules, .rule),
        ]
        symbols.reserve(kinds.reduce(0) { $0 + (entries[$1.0]?.count ?? 0) })
        for (section, kind) in kinds {
            for item in entries[section] ?? [] {
                guard case .mapping(let pairs) = item.content,
                    let idNode = pairs.first(where: { $0.key.scalar == "id" })?.value, let id = idNode.scalar, !idNode.isNull
                else { continue }
                symbols.define(id.trimmingSpaces, kind: kind, at: idNode.location, decoder: decoder)
            }
        }
    }

    private mutating func decodeCountryGroups() {
        var raw: [String: [(text: String, location: SourceLocation)]] = [:]
        for entry in sections[.countryGroups] ?? [] {
            guard case .mapping(let pairs) = entry.node.content else { continue }
            for (key, value) in pairs {
                raw[key.scalar ?? ""] = decoder.textList(value, owner: "country group '\(key.scalar ?? "")'") ?? []
            }
        }
        var resolved: [String: Set<String>] = [:]
        func expand(_ id: String, trail: [String]) -> Set<String> {
            if let done = resolved[id] { return done }
            var members: Set<String> = []
            for (text, location) in raw[id] ?? [] {
                if text.hasPrefix("@") {
                    let inner = String(text.dropFirst())
                    guard raw[inner] != nil else {
                        decoder.report(
                            .undefinedReference, "country group '\(id)' names '\(text)', which is not defined",
                            expected: "'@' and the id of another country group",
                            help: Suggestion.nearest(to: inner, in: raw.keys).map { "did you mean '@\($0)'?" }, at: location)
                        continue
                    }
                    if trail.contains(inner) {
                        decoder.report(
                            .badValue, "country group '\(id)' includes itself through '\(text)'",
                            expected: "groups that do not contain each other in a cycle", at: location)
                        continue
                    }
                    members.formUnion(expand(inner, trail: trail + [inner]))
                } else if let code = symbols.country(text, owner: "country group '\(id)'", at: location, decoder: decoder) {
                    members.insert(code)
                }
            }
            resolved[id] = members
            return members
        }
        for id in raw.keys.sorted() { _ = expand(id, trail: [id]) }
        symbols.countryGroups = resolved
    }

    // MARK: lists, parties, products

    private enum ListKey: String, CaseIterable { case id, title, authority, verdict, basis, notes }

    private func decodeList(_ node: YAMLNode) -> RestrictedList? {
        guard let fields = decoder.fields(of: node, owner: decoder.owner(of: node, kind: "list"), required: [ListKey.id, .verdict]),
            let id = decoder.text(fields[.id], owner: "a list")
        else { return nil }
        var owner: String { "list '\(id)'" }
        guard let verdict = decoder.verdict(fields[.verdict], owner: owner) else { return nil }
        return RestrictedList(
            id: id, title: decoder.text(fields[.title], owner: owner), authority: decoder.text(fields[.authority], owner: owner),
            verdict: verdict, basis: decoder.informative(fields[.basis]), source: node.location)
    }

    private enum PartyKey: String, CaseIterable { case id, name, aliases, country, lists, basis, notes }
    private enum ListingKey: String, CaseIterable { case list, from, until, basis }

    private func decodeParty(_ node: YAMLNode) -> Party? {
        guard let fields = decoder.fields(of: node, owner: decoder.owner(of: node, kind: "party"), required: [PartyKey.id, .name]),
            let id = decoder.text(fields[.id], owner: "a party")
        else { return nil }
        var owner: String { "party '\(id)'" }
        let name = decoder.text(fields[.name], owner: owner)
        let aliases = fields[.aliases].flatMap { decoder.textList($0, owner: owner) }?.map(\.text) ?? []
        var country: String?
        if let node = fields[.country], let text = decoder.text(node, owner: owner) {
            if text.hasPrefix("@") {
                decoder.report(
                    .badValue, "a party's country must be one country, not '\(text)'", expected: "an ISO-3166 alpha-2 code",
                    at: node.location)
            } else {
                country = symbols.country(text, owner: owner, at: node.location, decoder: decoder)
            }
        }
        var listings: [Listing] = []
        if let node = fields[.lists] {
            guard case .sequence(let items) = node.content else {
                decoder.wrongShape(node, expected: "a list of list ids or {list, from, until, basis}", owner: owner)
                return nil
            }
            for item in items {
                if item.scalar != nil {
                    guard let list = decoder.text(item, owner: owner) else { continue }
                    if symbols.check(list, kind: .list, owner: owner, at: item.location, decoder: decoder) {
                        listings.append(Listing(list: list, window: DayRange(from: nil, until: nil), basis: nil, source: item.location))
                    }
                    continue
                }
                var listingOwner: String { "a listing of \(owner)" }
                guard let values = decoder.fields(of: item, owner: listingOwner, required: [ListingKey.list]),
                    let listNode = values[.list], let list = decoder.text(listNode, owner: listingOwner)
                else { continue }
                guard symbols.check(list, kind: .list, owner: owner, at: listNode.location, decoder: decoder) else { continue }
                let window = DayRange(
                    from: decoder.day(values[.from], owner: listingOwner), until: decoder.day(values[.until], owner: listingOwner))
                if let from = window.from, let until = window.until, until < from {
                    decoder.report(
                        .badValue, "\(listingOwner) ends (\(until)) before it starts (\(from))", expected: "'until' on or after 'from'",
                        at: item.location)
                }
                listings.append(
                    Listing(list: list, window: window, basis: decoder.informative(values[.basis]), source: item.location))
            }
        }
        guard let name else { return nil }
        return Party(id: id, name: name, aliases: aliases, country: country, listings: listings, source: node.location)
    }

    private enum ProductKey: String, CaseIterable { case sku, description, hsCode = "hs_code", composition, attributes }

    private func decodeProducts(_ nodes: [YAMLNode]) -> [String: Product] {
        var products = [String: Product](minimumCapacity: nodes.count)
        for node in nodes {
            guard
                let fields = decoder.fields(
                    of: node, owner: decoder.owner(of: node, kind: "product", idKey: "sku"), required: [ProductKey.sku]),
                let skuNode = fields[.sku], let sku = decoder.text(skuNode, owner: "a product")
            else { continue }
            var owner: String { "product '\(sku)'" }
            if let first = products[sku] {
                decoder.report(
                    .duplicateID, "duplicate sku '\(sku)': already defined at \(first.source)", expected: "each sku once",
                    at: skuNode.location)
                continue
            }
            var composition: [String: Percentage]?
            if let node = fields[.composition] {
                composition = decodeComposition(node, owner: owner)
            }
            var attributes: [String: String] = [:]
            if let node = fields[.attributes] {
                if case .mapping(let pairs) = node.content {
                    for (key, value) in pairs {
                        if let text = decoder.text(value, owner: "attribute '\(key.scalar ?? "")' of \(owner)") {
                            attributes[key.scalar ?? ""] = text
                        }
                    }
                } else {
                    decoder.wrongShape(node, expected: "a mapping of attribute names to values", owner: owner)
                }
            }
            products[sku] = Product(
                sku: sku, description: decoder.text(fields[.description], owner: owner),
                hsCode: decoder.hsCode(fields[.hsCode], owner: owner), composition: composition, attributes: attributes,
                source: node.location)
        }
        return products
    }

    private func decodeComposition(_ node: YAMLNode, owner: String) -> [String: Percentage]? {
        guard case .mapping(let pairs) = node.content else {
            decoder.wrongShape(node, expected: "a mapping of elements to percentages, e.g. {Dy: 2.5%}", owner: owner)
            return nil
        }
        var result = [String: Percentage](minimumCapacity: pairs.count)
        // Summed in billionths while every percentage has them: adding Foundation `Decimal`s was
        // a third of the time spent on W1's products.
        var nanos: Int64? = 0
        for (key, value) in pairs {
            let element = key.scalar ?? ""
            guard ISOCodes.elementSet.contains(element) else {
                decoder.report(
                    .badValue, "'\(element)' in the composition of \(owner) is not a chemical element symbol",
                    expected: "a symbol such as 'Dy', 'Tb', 'Nd'", help: Suggestion.help(for: element, in: ISOCodes.elements),
                    at: key.location)
                continue
            }
            if let percentage = decoder.percentage(value, owner: "the composition of \(owner)") {
                result[element] = percentage
                if let sum = nanos, let part = percentage.exact.nanos {
                    let (added, overflow) = sum.addingReportingOverflow(part)
                    nanos = overflow ? nil : added
                } else {
                    nanos = nil
                }
            }
        }
        var total: Percentage { Percentage(percent: result.values.map(\.percent).reduce(0, +)) }
        if nanos.map({ $0 > 100 * 1_000_000_000 }) ?? (total.percent > 100) {
            decoder.report(
                .badValue, "the composition of \(owner) adds up to \(total), more than 100%",
                expected: "percentages that add up to at most 100%", at: node.location)
        }
        return result
    }

    // MARK: categories, licences, rules

    private enum CategoryKey: String, CaseIterable { case id, title, basis, effective, suspended, control, when, notes }
    private enum SuspensionKey: String, CaseIterable { case from, until, basis }

    private func decodeCategory(_ node: YAMLNode) -> Category? {
        guard
            let fields = decoder.fields(
                of: node, owner: decoder.owner(of: node, kind: "category"), required: [CategoryKey.id, .control, .when]),
            let id = decoder.text(fields[.id], owner: "a category")
        else { return nil }
        var owner: String { "category '\(id)'" }
        let effective =
            fields[.effective].map { decoder.dayRange($0, owner: "'effective' of \(owner)", requireFrom: false) }
            ?? DayRange(from: nil, until: nil)
        var suspended: [Suspension] = []
        if let node = fields[.suspended] {
            if case .sequence(let items) = node.content {
                for item in items {
                    var windowOwner: String { "a suspension of \(owner)" }
                    guard let values = decoder.fields(of: item, owner: windowOwner, required: [SuspensionKey.from]) else { continue }
                    let window = DayRange(
                        from: decoder.day(values[.from], owner: windowOwner), until: decoder.day(values[.until], owner: windowOwner))
                    if let from = window.from, let until = window.until, until < from {
                        decoder.report(
                            .badValue, "\(windowOwner) ends (\(until)) before it starts (\(from))", expected: "'until' on or after 'from'",
                            at: item.location)
                    }
                    suspended.append(
                        Suspension(window: window, basis: decoder.informative(values[.basis]), source: item.location))
                }
            } else {
                decoder.wrongShape(node, expected: "a list of {from, until, basis} windows", owner: owner)
            }
        }
        let control: Category.Control? = decoder.choice(fields[.control], owner: owner)
        let condition = fields[.when].flatMap { ConditionParser(symbols: symbols, decoder: decoder).parse($0, owner: owner) }
        guard let effective, let control, let condition else { return nil }
        return Category(
            id: id, title: decoder.text(fields[.title], owner: owner), basis: decoder.informative(fields[.basis]),
            effective: effective, suspended: suspended, control: control, condition: condition, source: node.location)
    }

    private enum LicenceKey: String, CaseIterable {
        case id, type, holder, issued, valid, status, categories, customers
        case endUsers = "end_users", destinations, excludedEndUses = "excluded_end_uses", limits, conditions
        case basis, title, notes
    }

    private enum LimitKey: String, CaseIterable {
        case quantity, value
        case perCustomerQuantity = "per_customer_quantity", perCustomerValue = "per_customer_value"
        case perShipmentQuantity = "per_shipment_quantity", perShipmentValue = "per_shipment_value"
    }

    private enum LicenceConditionKey: String, CaseIterable { case when, verdict, reason }

    private func decodeLicence(_ node: YAMLNode) -> Licence? {
        guard
            let fields = decoder.fields(
                of: node, owner: decoder.owner(of: node, kind: "licence"),
                required: [LicenceKey.id, .holder, .categories, .customers, .destinations]),
            let id = decoder.text(fields[.id], owner: "a licence")
        else { return nil }
        var owner: String { "licence '\(id)'" }
        var ok = true
        let holder = decoder.text(fields[.holder], owner: owner)
        if let holder, let node = fields[.holder], !symbols.check(holder, kind: .party, owner: owner, at: node.location, decoder: decoder) {
            ok = false
        }
        let valid =
            fields[.valid].map { decoder.dayRange($0, owner: "'valid' of \(owner)", requireFrom: true) } ?? DayRange(from: nil, until: nil)
        let status: Licence.Status? = fields[.status].map { decoder.choice($0, owner: owner) } ?? .active
        let type: Licence.Kind?? = fields[.type].map { decoder.choice($0, owner: owner) }
        let categories = decoder.textList(fields[.categories], owner: "'categories' of \(owner)") ?? []
        for item in categories where !symbols.check(item.text, kind: .category, owner: owner, at: item.location, decoder: decoder) {
            ok = false
        }
        if fields[.categories] != nil && categories.isEmpty {
            decoder.report(
                .badValue, "\(owner) lists no categories", expected: "at least one category id",
                at: fields[.categories]?.location ?? node.location)
            ok = false
        }
        // Item by item, each checked and kept at once: a list of texts and their locations made
        // first was a third of decoding a W1 licence. (Errors are sorted by position in the end.)
        func parties(_ key: LicenceKey) -> Set<String>?? {
            guard let items = decoder.allOrItems(fields[key], owner: "'\(key.rawValue)' of \(owner)") else {
                if fields[key] != nil { ok = false }
                return nil
            }
            guard let items else { return .some(nil) }
            var ids = Set<String>(minimumCapacity: items.count)
            for item in items {
                guard let id = decoder.text(item, owner: "'\(key.rawValue)' of \(owner)") else { continue }
                if !symbols.check(id, kind: .party, owner: owner, at: item.location, decoder: decoder) { ok = false }
                ids.insert(id)
            }
            return .some(ids)
        }
        let customers = parties(.customers)
        let endUsers = fields[.endUsers] == nil ? .some(nil) : parties(.endUsers)
        var destinations: Set<String>??
        if let list = decoder.allOrList(fields[.destinations], owner: "'destinations' of \(owner)") {
            if let list {
                var codes: Set<String> = []
                for item in list where !symbols.addCountries(item.text, to: &codes, owner: owner, at: item.location, decoder: decoder) {
                    ok = false
                }
                destinations = .some(codes)
            } else {
                destinations = .some(nil)
            }
        }
        let excluded =
            fields[.excludedEndUses].flatMap { decoder.textList($0, owner: "'excluded_end_uses' of \(owner)") }?.map {
                $0.text.lowercased()
            } ?? []
        let limits = fields[.limits].map { decodeLimits($0, owner: owner) } ?? []
        var conditions: [LicenceCondition] = []
        if let node = fields[.conditions] {
            if case .sequence(let items) = node.content {
                for (index, item) in items.enumerated() {
                    var conditionOwner: String { "condition \(index + 1) of \(owner)" }
                    guard let values = decoder.fields(of: item, owner: conditionOwner, required: [LicenceConditionKey.when, .verdict])
                    else { ok = false; continue }
                    let parser = ConditionParser(symbols: symbols, decoder: decoder)
                    guard let condition = values[.when].flatMap({ parser.parse($0, owner: conditionOwner) }),
                        let verdict = decoder.verdict(values[.verdict], owner: conditionOwner),
                        let reason = parser.template(
                            values[.reason], default: "condition \(index + 1) of licence \(id) applies", owner: conditionOwner)
                    else { ok = false; continue }
                    conditions.append(LicenceCondition(condition: condition, verdict: verdict, reason: reason, source: item.location))
                }
            } else {
                decoder.wrongShape(node, expected: "a list of {when, verdict, reason}", owner: owner)
                ok = false
            }
        }
        guard ok, let holder, let valid, let status, let customers, let endUsers, let destinations else { return nil }
        return Licence(
            id: id, type: type ?? nil, holder: holder, issued: decoder.day(fields[.issued], owner: owner), valid: valid,
            status: status, categories: categories.map(\.text), customers: customers, endUsers: endUsers,
            destinations: destinations, excludedEndUses: excluded, limits: limits, conditions: conditions,
            basis: decoder.informative(fields[.basis]), title: decoder.text(fields[.title], owner: owner), source: node.location)
    }

    private func decodeLimits(_ node: YAMLNode, owner: String) -> [Limit] {
        guard case .mapping(let pairs) = node.content,
            let fields = decoder.fields(of: node, owner: "'limits' of \(owner)") as Fields<LimitKey>?
        else {
            return []
        }
        var limits: [Limit] = []
        for (keyNode, _) in pairs {
            guard let key = LimitKey(rawValue: keyNode.scalar ?? ""), let value = fields[key] else { continue }
            let scope: Limit.Scope
            switch key {
            case .quantity, .value: scope = .licence
            case .perCustomerQuantity, .perCustomerValue: scope = .customer
            case .perShipmentQuantity, .perShipmentValue: scope = .shipment
            }
            var limitOwner: String { "'limits.\(key.rawValue)' of \(owner)" }
            let amount: Limit.Amount?
            switch key {
            case .quantity, .perCustomerQuantity, .perShipmentQuantity:
                amount = decoder.quantity(value, owner: limitOwner).map { .quantity($0) }
            case .value, .perCustomerValue, .perShipmentValue: amount = decoder.money(value, owner: limitOwner).map { .value($0) }
            }
            if let amount { limits.append(Limit(key: key.rawValue, scope: scope, amount: amount, source: keyNode.location)) }
        }
        return limits
    }

    private enum RuleKey: String, CaseIterable { case id, title, verdict, basis, when, reason, notes }

    private func decodeRule(_ node: YAMLNode) -> Rule? {
        guard let fields = decoder.fields(of: node, owner: decoder.owner(of: node, kind: "rule"), required: [RuleKey.id, .verdict, .when]),
            let id = decoder.text(fields[.id], owner: "a rule")
        else { return nil }
        var owner: String { "rule '\(id)'" }
        let parser = ConditionParser(symbols: symbols, decoder: decoder)
        let verdict = decoder.verdict(fields[.verdict], owner: owner)
        let condition = fields[.when].flatMap { parser.parse($0, owner: owner) }
        let reason = parser.template(fields[.reason], default: "rule \(id) applies", owner: owner)
        guard let verdict, let condition, let reason else { return nil }
        return Rule(
            id: id, title: decoder.text(fields[.title], owner: owner), verdict: verdict,
            basis: decoder.informative(fields[.basis]), condition: condition, reason: reason, source: node.location)
    }
}
