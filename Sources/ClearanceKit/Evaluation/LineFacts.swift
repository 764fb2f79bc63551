/// An order line joined with the pack: its parties resolved, the catalogue applied and the
/// evaluation date fixed.
///
/// Conditions are evaluated against this.
@dynamicMemberLookup
public struct LineFacts: Sendable {
    /// The facts, read as the line's own (`facts.customer`).
    public struct Values: Sendable {
        /// The order line's fields, held in the facts' own storage (`LineFacts.subscript(line:)`
        /// reads one in place): an order line of their own was an allocation more a line.
        var line: OrderLine.Values {
            didSet { foldedEndUse = line.endUse?.caseFolded }
        }
        /// The line's end use case-folded (`caseFolded`), as conditions and licences compare it;
        /// kept with the line (set again when the line changes): the rule index, the licence checks
        /// and the conditions each folded it (about 170 instructions a W1 line, callgrind).
        fileprivate(set) var foldedEndUse: String?
        /// The order line the facts are of.
        public var order: OrderLine {
            get { OrderLine(line) }
            set { line = newValue.withValues { $0 } }
        }
        /// The line's date, or `--as-of` when given.
        public var date: Day?
        public var supplier: PartyResolver.Resolution
        public var customer: PartyResolver.Resolution
        public var endUser: PartyResolver.Resolution
        public var hsCode: String?
        /// The line's composition, else its product's; nil when neither gives one.
        public var composition: [String: Percentage]? {
            get { if let own = ownComposition { own } else { product?.composition } }
            set { ownComposition = .some(newValue) }
        }
        /// The product's attributes with the line's over them.
        public var attributes: [String: String] {
            get { ownAttributes ?? product?.attributes ?? [:] }
            set { ownAttributes = newValue }
        }
        /// The catalogue entry of the line's product: its composition and attributes are read
        /// from it, not copied into every line's facts (a retain and release of two of the pack's
        /// dictionaries, by both threads, on every line).
        fileprivate var product: Catalogue.Entry?
        /// The composition and attributes the line itself gives or that were set; nil: the product's.
        fileprivate var ownComposition: [String: Percentage]??
        fileprivate var ownAttributes: [String: String]?
        /// Lists each party is on at `date`; nil when that cannot be told.
        public var customerLists: Set<String>?
        public var endUserLists: Set<String>?
        /// The register entries of the resolved parties, found with them.
        ///
        /// Their countries and listings are read without looking the ids up again. Read through
        /// `entry(_:)`, which checks that the entry is still the resolution's (facts can be changed).
        var supplierEntry: PartyResolver.Entry?
        var customerEntry: PartyResolver.Entry?
        var endUserEntry: PartyResolver.Entry?
    }

    /// The facts of `order`; the pack is borrowed, not copied (a copy retained each of its parts, for every line).
    ///
    /// - Parameter cache: resolutions of the parties of earlier lines, to reuse (the result is the same).
    public init(order: OrderLine, pack: borrowing Pack, resolver: PartyResolver, asOf: Day?, cache: ResolutionCache? = nil) {
        self.init(line: order.withValues { $0 }, pack: pack, resolver: resolver, catalogue: nil, asOf: asOf, cache: cache)
    }

    /// - Parameter catalogue: the pack's products as `Catalogue` entries (nil: read `pack.products`).
    init(
        order: OrderLine, pack: borrowing Pack, resolver: PartyResolver, catalogue: Catalogue?, asOf: Day?, cache: ResolutionCache? = nil
    ) {
        self.init(line: order.withValues { $0 }, pack: pack, resolver: resolver, catalogue: catalogue, asOf: asOf, cache: cache)
    }

    /// The facts of an order line's fields, moved into the facts.
    init(
        line: consuming OrderLine.Values, pack: borrowing Pack, resolver: PartyResolver, catalogue: Catalogue?, asOf: Day?,
        cache: ResolutionCache? = nil
    ) {
        // The line's fields read by `joined`, then the line moved into the facts. (Inlined here,
        // where the line is owned, each long text read is retained and released once; `joined`
        // called with the line borrowed cost more than it saved, see CONTRIBUTING.)
        let (date, supplier, customer, endUser, hsCode, product, ownComposition, ownAttributes) = Self.joined(
            line, pack: pack, resolver: resolver, catalogue: catalogue, asOf: asOf, cache: cache)
        let (customerLists, endUserLists) = (Self.lists(of: customer.entry, date: date), Self.lists(of: endUser.entry, date: date))
        // Each resolution moved out of its `Resolved` whole (`parts()`): read as `.resolution` and
        // `.entry`, each was copied and the `Resolved` destroyed after (a retain and release of
        // its texts, three parties a line; callgrind).
        let (supplierResolution, supplierEntry) = supplier.parts()
        let (customerResolution, customerEntry) = customer.parts()
        let (endUserResolution, endUserEntry) = endUser.parts()
        let foldedEndUse = line.endUse?.caseFolded
        fields = SharedFields(
            Values(
                line: line, foldedEndUse: foldedEndUse, date: date,
                supplier: supplierResolution, customer: customerResolution, endUser: endUserResolution,
                hsCode: hsCode, product: product, ownComposition: ownComposition, ownAttributes: ownAttributes,
                customerLists: customerLists, endUserLists: endUserLists,
                supplierEntry: supplierEntry, customerEntry: customerEntry, endUserEntry: endUserEntry))
    }

    /// What `init` works out of the line's fields and the pack.
    @inline(__always)
    private static func joined(
        _ line: borrowing OrderLine.Values, pack: borrowing Pack, resolver: PartyResolver, catalogue: Catalogue?, asOf: Day?,
        cache: ResolutionCache?
    ) -> (
        date: Day?, supplier: PartyResolver.Resolved, customer: PartyResolver.Resolved, endUser: PartyResolver.Resolved,
        hsCode: String?, product: Catalogue.Entry?, ownComposition: [String: Percentage]??, ownAttributes: [String: String]?
    ) {
        let supplier = cache?.supplier.resolve(line.supplier, with: resolver) ?? resolver.resolveEntry(line.supplier)
        let customer = cache?.customer.resolve(line.customer, with: resolver) ?? resolver.resolveEntry(line.customer)
        let endUser = cache?.endUser.resolve(line.endUser, with: resolver) ?? resolver.resolveEntry(line.endUser)
        let product = line.product.flatMap { sku in catalogue.map { $0.entry(sku) } ?? pack.products[sku].map { Catalogue.Entry($0) } }
        let ownComposition: [String: Percentage]?? = line.composition.map { .some($0) }
        return (
            asOf ?? line.date, supplier, customer, endUser, line.hsCode ?? product?.hsCode, product, ownComposition,
            line.attributes.isEmpty ? nil : (product?.attributes ?? [:]).merging(line.attributes) { _, own in own }
        )
    }

    private var fields: SharedFields<Values>

    /// What a line reads of the pack's products, one reference a product: a `Product` read from
    /// the pack's dictionary was copied whole, a retain and release for each of its six parts.
    final class Catalogue: Sendable {
        final class Entry: Sendable {
            /// The entry's place in its catalogue, from 0 (`ProductCategories` keeps results by it);
            /// nil for an entry made for one line, outside a catalogue.
            let ordinal: Int?
            let hsCode: String?
            private let shares: Named<Percentage>?
            private let attributeValues: Named<String>

            init(_ product: Product, ordinal: Int? = nil) {
                self.ordinal = ordinal
                hsCode = product.hsCode
                shares = product.composition.map(Named.init)
                attributeValues = Named(product.attributes)
            }

            var composition: [String: Percentage]? { shares?.dictionary }
            var attributes: [String: String] { attributeValues.dictionary }

            /// The share of `element` in the composition (zero when it leaves the element out);
            /// nil without a composition.
            func share(of element: String) -> Percentage? {
                // Read in place: `shares.map` copied them out (a retain and release a call).
                guard shares != nil else { return nil }
                return shares?[element] ?? .zero
            }

            /// The attribute `name`.
            func attribute(_ name: String) -> String? { attributeValues[name] }

            /// Marks the entry and the pairs its look-ups read immortal (`Immortal`): read for
            /// every line of the product, on every preparing thread.
            func markImmortal() {
                Immortal.mark(self)
                shares?.markImmortal()
                attributeValues.markImmortal()
            }
        }

        /// A product's composition or attributes: the dictionary and, when there are few (a
        /// product has a handful), the same as pairs, read by comparing names: hashing a name
        /// with SipHash cost about 300 instructions a look-up, two a W1 line (callgrind).
        struct Named<Value: Sendable>: Sendable {
            let dictionary: [String: Value]
            /// nil: look a name up in the dictionary.
            private let pairs: [(name: String, value: Value)]?

            /// The most pairs compared one by one rather than looked up.
            private static var fewPairs: Int { 8 }

            init(_ dictionary: [String: Value]) {
                self.dictionary = dictionary
                pairs = dictionary.count <= Self.fewPairs ? dictionary.map { ($0.key, $0.value) } : nil
            }

            subscript(name: String) -> Value? {
                guard let pairs else { return dictionary[name] }
                for pair in pairs where pair.name == name { return pair.value }
                return nil
            }

            /// Marks the pairs immortal (`Immortal`).
            func markImmortal() {
                if let pairs { Immortal.mark(array: pairs) }
            }
        }

        /// By SKU (ASCII SKUs by their bytes, `TextIndex`: a line's product was hashed with SipHash).
        let entries: TextIndex<Entry>

        init(_ products: [String: Product]) {
            var ordinal = 0
            entries = TextIndex(
                products.mapValues { product in
                    defer { ordinal += 1 }
                    return Entry(product, ordinal: ordinal)
                })
        }

        /// Every entry with its SKU, in no particular order.
        var skus: [(sku: String, entry: Entry)] { entries.dictionary.map { ($0.key, $0.value) } }

        /// The entry of the product `sku`.
        func entry(_ sku: String) -> Entry? { entries.value(for: sku) }

        /// Marks the catalogue, its entries and their table immortal (`Immortal`): only for a
        /// catalogue kept until the process exits. (Every line's facts hold the catalogue: left
        /// unmarked, it took two atomic counts a W1 line, made by both threads on one object.)
        func markImmortal() {
            Immortal.mark(self)
            for entry in entries.dictionary.values { entry.markImmortal() }
            entries.markImmortal()
        }
    }

    /// A field of the order line, read in place (`facts.order.customer` makes an order line of
    /// the fields first).
    @inline(__always)
    subscript<Value>(line field: KeyPath<OrderLine.Values, Value>) -> Value {
        fields.withValues { $0.line[keyPath: field] }
    }

    /// The line's end use case-folded (`Values.foldedEndUse`), read in place.
    var foldedEndUse: String? { fields.withValues { $0.foldedEndUse } }

    /// Runs `body` with the order line's fields borrowed in place.
    @inline(__always)
    func withLine<Result>(_ body: (borrowing OrderLine.Values) -> Result) -> Result {
        fields.withValues { body($0.line) }
    }

    /// A fact of the line, read from or written into its shared fields.
    public subscript<Value>(dynamicMember field: WritableKeyPath<Values, Value>) -> Value {
        get { fields.values[keyPath: field] }
        set { fields.change { $0[keyPath: field] = newValue } }
    }

    /// The attribute `name`: the line's, else its product's; read in place, without copying the
    /// pack's dictionary out (a retain and release of it by both threads on every condition).
    func attribute(_ name: String) -> String? {
        let values = fields.values
        if let own = values.ownAttributes { return own[name] }
        return values.product?.attribute(name)
    }

    /// The catalogue ordinal of the line's product when its HS code, composition and attributes
    /// are all the catalogue's (the line gives none of its own), so that categories reading only
    /// those are as `ProductCategories` found them; nil otherwise.
    var catalogueOrdinal: Int? {
        let values = fields.values
        // `==` is canonical equivalence, here the same as the same bytes: the catalogue's codes are
        // digits (the pack loader refuses others, as the order readers do a line's), and no other
        // text is canonically equal to digits. (Comparing bytes through `utf8` cost 1,500
        // instructions a W1 line.)
        guard let product = values.product, values.ownComposition == nil, values.ownAttributes == nil, values.hsCode == product.hsCode
        else { return nil }
        return product.ordinal
    }

    /// The mass share of `element`: zero when the composition leaves it out, nil when the line
    /// has no composition (its own, else its product's); read in place, as `attribute`.
    func share(of element: String) -> Percentage? {
        let values = fields.values
        if let own = values.ownComposition { return own.map { $0[element] ?? .zero } }
        return values.product?.share(of: element)
    }

    /// The lists a register party is on at `date`; nil for a party not in the register, or when
    /// a dated listing cannot be told without a date.
    private static func lists(of entry: PartyResolver.Entry?, date: Day?) -> Set<String>? {
        guard let entry else { return nil }
        // One listing (most listed parties): its shared set or none, without building a set (an
        // allocation and a hash for each listed line, 0.6 % of a W1 run's samples, perf).
        if let only = entry.onlyList, let listing = entry.listings.first {
            if listing.isUndated { return only }
            guard let date else { return nil }
            return listing.window.contains(date) ? only : []
        }
        var lists: Set<String> = []
        for listing in entry.listings {
            if listing.isUndated {
                lists.insert(listing.list)
            } else if let date {
                if listing.window.contains(date) { lists.insert(listing.list) }
            } else {
                return nil
            }
        }
        return lists
    }

    /// `entry(field)` when `register` numbered it (`LicenceMatcher.Scope`).
    func entry(_ field: Field, numberedBy register: UInt64) -> PartyResolver.Entry? {
        guard let entry = entry(field), entry.register == register else { return nil }
        return entry
    }

    /// The register entry of the party a party field resolved to; nil when it names none (or
    /// its resolution was changed after the facts were made, and the entry is not its own).
    func entry(_ field: Field) -> PartyResolver.Entry? {
        let (resolution, entry) =
            switch field {
            case .supplier, .supplierCountry: (self.supplier, self.supplierEntry)
            case .customer, .customerCountry, .customerLists: (self.customer, self.customerEntry)
            default: (self.endUser, self.endUserEntry)
            }
        guard let id = resolution.id, let entry, entry.id == id else { return nil }
        return entry
    }

    /// The resolution of a party field.
    public func party(_ field: Field) -> PartyResolver.Resolution {
        switch field {
        case .supplier, .supplierCountry: self.supplier
        case .customer, .customerCountry, .customerLists: self.customer
        default: self.endUser
        }
    }
}
