import Testing

@testable import ClearanceKit

@Suite("PartyResolver")
struct PartyResolverTests {
    @Test(
        "normalises names as contract §10.3 says",
        arguments: [
            ("JL MAG Rare-Earth Co., Ltd.", "jl mag rareearth"), ("Robert Bosch GmbH", "robert bosch"),
            ("Tesla, Inc.", "tesla"), ("  SIEMENS   AG ", "siemens"), ("Acme GmbH & Co. KG", "acme"),
            ("Company Limited", "company"), ("江西金力永磁科技股份有限公司", "江西金力永磁科技"), ("S.A.", "sa"),
        ])
    func normalise(name: String, expected: String) {
        #expect(PartyResolver.normalise(name) == expected)
    }

    @Test("the ASCII fast path normalises exactly as the Unicode path does (2,000 random names)")
    func asciiPathAgrees() {
        var generator = SystemRandomNumberGenerator()
        let alphabet =
            Array("aZ09 .,-&'\t\n\r()/")
            + ["Ltd", "GmbH", " co", " Inc.", " S.A.", " KG ", "\u{0B}", "\u{0C}", " Corporation", " incorporated", " KGaA", " sro"]
            .flatMap(
                Array.init)
        for _ in 0..<2_000 {
            let name = String((0..<Int.random(in: 0...24, using: &generator)).map { _ in alphabet.randomElement(using: &generator) ?? " " })
            #expect(PartyResolver.normaliseASCII(name) == PartyResolver.normaliseUnicode(name), "name: \(name.debugDescription)")
        }
        #expect(PartyResolver.normaliseASCII("Caf\u{E9} GmbH") == nil)
    }

    @Test("a token is a legal form exactly when legalForms holds it")
    func legalForms() {
        var generator = SystemRandomNumberGenerator()
        let tokens =
            Array(PartyResolver.legalForms) + PartyResolver.legalForms.map { $0 + "x" }
            + PartyResolver.legalForms.map { String($0.dropLast()) }
            + (0..<2_000).map { _ in
                String((0..<Int.random(in: 1...13, using: &generator)).map { _ in "abcglmnoprst".randomElement(using: &generator) ?? "a" })
            }
        for token in tokens {
            let found = Array(token.utf8).withUnsafeBufferPointer { PartyResolver.isLegalForm($0) }
            #expect(found == PartyResolver.legalForms.contains(token), "\(token)")
        }
    }

    static let location = SourceLocation(file: "p.yaml", line: 1, column: 1)

    static func party(_ id: String, _ name: String, _ aliases: [String] = []) -> Party {
        Party(id: id, name: name, aliases: aliases, country: nil, listings: [], source: location)
    }

    @Test("ids match exactly first, then names and aliases after normalisation")
    func resolve() {
        let resolver = PartyResolver(parties: [Self.party("bosch", "Robert Bosch GmbH", ["Bosch"]), Self.party("valeo", "Valeo SE")])
        #expect(resolver.resolve("bosch") == .party("bosch"))
        #expect(resolver.resolve("ROBERT BOSCH") == .party("bosch"))
        #expect(resolver.resolve("Bosch Ltd.") == .party("bosch"))
        #expect(resolver.resolve("Valeo") == .party("valeo"))
        #expect(resolver.resolve("BOSCH-X") == .unknown("BOSCH-X"))
        #expect(resolver.resolve(nil) == .absent)
    }

    /// Parties named at random from a few words, and what the resolver's index must hold: every
    /// normalised name or alias with the ids that carry it.
    struct RandomRegister {
        let words: [String]
        let suffixes: [String]
        var generator = SystemRandomNumberGenerator()
        private(set) var parties: [Party] = []

        init(count: Int, words: [String], suffixes: [String]) {
            (self.words, self.suffixes) = (words, suffixes)
            for index in 0..<count {
                let name = name()
                let aliases = (0..<Int.random(in: 0...2, using: &generator)).map { _ in self.name() }
                parties.append(PartyResolverTests.party("p\(index)", name, aliases))
            }
        }

        /// One or two of the words and a suffix.
        mutating func name() -> String {
            (0..<Int.random(in: 1...2, using: &generator)).map { _ in words.randomElement(using: &generator) ?? "" }.joined(separator: " ")
                + (suffixes.randomElement(using: &generator) ?? "")
        }

        var expected: [String: Set<String>] {
            var expected: [String: Set<String>] = [:]
            for party in parties {
                for text in [party.name] + party.aliases { expected[PartyResolver.normalise(text), default: []].insert(party.id) }
            }
            return expected
        }
    }

    @Test("a register large enough to be indexed on two threads resolves as party by party would (3,000 parties)")
    func largeRegister() {
        // Few distinct words, so that names and aliases collide within and across the halves.
        let register = RandomRegister(
            count: 3_000, words: ["Acme", "Summit", "Zenith", "Orion", "Polar", "Delta", "Nova", "Terra"],
            suffixes: ["", " GmbH", " Ltd.", " SA", " 7"])
        let expected = register.expected
        let resolver = PartyResolver(parties: register.parties)
        for (key, ids) in expected {
            let sorted = ids.sorted()
            #expect(resolver.resolve(key) == (sorted.count == 1 ? .party(sorted[0]) : .ambiguous(key, sorted)), "\(key)")
        }
        #expect(resolver.ambiguousNames.map(\.name) == expected.filter { $0.value.count > 1 }.keys.sorted())
        #expect(resolver.resolve("p2999") == .party("p2999"))
        #expect(resolver.resolve("Quasar") == .unknown("Quasar"))
    }

    @Test(
        "a register with names that are not ASCII resolves every name and alias as a dictionary of normalised names would (2,000 parties)"
    )
    func mixedScriptRegister() {
        // ASCII and other words, some canonically equal to ASCII ones once normalised.
        var register = RandomRegister(
            count: 2_000, words: ["Acme", "Zoë", "Zoe\u{308}", "Müller", "\u{212A}elvin", "Kelvin", "北京", "Nova", "Delta", "稀土"],
            suffixes: ["", " GmbH", " 有限公司", " SA", " 7"])
        let expected = register.expected
        let resolver = PartyResolver(parties: register.parties)
        for _ in 0..<3_000 {
            let raw = register.name()
            let ids = expected[PartyResolver.normalise(raw)].map { $0.sorted() }
            let wanted: PartyResolver.Resolution =
                switch ids {
                case nil: .unknown(raw)
                case let ids? where ids.count == 1: .party(ids[0])
                case let ids?: .ambiguous(raw, ids)
                }
            #expect(resolver.resolve(raw) == wanted, "\(raw.debugDescription)")
        }
        #expect(resolver.resolve("p1999") == .party("p1999"))
        #expect(resolver.entry("p7")?.id == "p7")
        #expect(resolver.resolve("Quasar") == .unknown("Quasar"))
    }

    @Test("a value is an id exactly when the register has it, whether or not its bytes could be an id's (3,000 random values)")
    func idsBehindTheShapeCheck() {
        let ids = ["pty-00789", "sup-0001", "K-1", "Zoë-7"]
        let resolver = PartyResolver(parties: ids.map { Self.party($0, "Name of \($0)") })
        let asciiOnly = PartyResolver(parties: ids.dropLast().map { Self.party($0, "Name of \($0)") })
        var generator = SystemRandomNumberGenerator()
        let pieces = ["pty-", "sup-", "00789", "0001", "K", "\u{212A}", "-1", "Zoë", "Zoe\u{308}", "-7", " ", "X", "0"]
        for _ in 0..<3_000 {
            let raw = (0..<Int.random(in: 1...3, using: &generator)).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
            #expect((resolver.resolve(raw) == .party(raw)) == ids.contains(raw), "\(raw.debugDescription)")
            #expect((asciiOnly.resolve(raw) == .party(raw)) == ids.dropLast().contains(raw), "\(raw.debugDescription)")
        }
        // Canonically equivalent spellings are the same id, as Swift compares strings.
        #expect(asciiOnly.resolve("\u{212A}-1").id == "K-1")
        #expect(resolver.resolve("Zoe\u{308}-7").id == "Zoë-7")
    }

    @Test("a resolved party comes with its register entry: id, country and listings; unknown and ambiguous names with none")
    func entries() {
        let listing = Listing(list: "entity-list", window: DayRange(from: nil, until: nil), basis: nil, source: Self.location)
        let resolver = PartyResolver(parties: [
            Party(id: "bosch", name: "Robert Bosch GmbH", aliases: [], country: "DE", listings: [listing], source: Self.location),
            Self.party("a", "Acme GmbH"), Self.party("b", "ACME Inc."),
        ])
        for raw in ["bosch", "ROBERT BOSCH"] {
            let resolved = resolver.resolveEntry(raw)
            #expect(resolved.resolution == .party("bosch"))
            #expect(resolved.entry?.id == "bosch")
            #expect(resolved.entry?.country == "DE")
            #expect(resolved.entry?.listings.map(\.list) == ["entity-list"])
        }
        #expect(resolver.resolveEntry("Acme").entry == nil)
        #expect(resolver.resolveEntry("Quasar").entry == nil)
        #expect(resolver.resolveEntry(nil).entry == nil)
        #expect(resolver.entry("a")?.country == nil && resolver.entry("a")?.id == "a")
        #expect(resolver.entry("Acme GmbH") == nil)
    }

    @Test("a name shared by two parties is ambiguous")
    func ambiguous() {
        let resolver = PartyResolver(parties: [Self.party("a", "Acme GmbH"), Self.party("b", "ACME Inc.")])
        #expect(resolver.resolve("Acme") == .ambiguous("Acme", ["a", "b"]))
        #expect(resolver.ambiguousNames.map(\.name) == ["acme"])
    }

    @Test("a cached resolution is the one the resolver gives, for ids, names, unknown, ambiguous and absent parties")
    func cachedResolutions() {
        let resolver = PartyResolver(parties: [
            Self.party("bosch", "Robert Bosch GmbH"), Self.party("a", "Acme GmbH"), Self.party("b", "ACME Inc."),
        ])
        let cache = ResolutionCache(capacity: 8)
        let raws: [String?] = ["bosch", "BOSCH", "ROBERT BOSCH", "Acme", "Quasar", nil, "Robert Bosch GmbH", "bosch", "Acme", "Quasar"]
        for _ in 0..<3 {
            for raw in raws {
                let cached = cache.customer.resolve(raw, with: resolver)
                #expect(cached.resolution == resolver.resolve(raw), "\(raw ?? "nil")")
                #expect(cached.entry?.id == resolver.resolveEntry(raw).entry?.id, "\(raw ?? "nil")")
            }
        }
        #expect(cache.customer.hits == 21)
        #expect(cache.customer.caching && cache.customer.entries.count == 6)
    }

    @Test("a cached resolution keeps the line's own spelling: canonically equal spellings are cached apart")
    func cachedSpellings() {
        let resolver = PartyResolver(parties: [Self.party("Zoë-7", "Zoë Magnets")])
        let cache = ResolutionCache(capacity: 8)
        for _ in 0..<2 {
            for raw in ["Zoë Trading", "Zoe\u{308} Trading", "Zoë-7", "Zoe\u{308}-7"] {
                let spelling: String? =
                    switch cache.customer.resolve(raw, with: resolver).resolution {
                    case .unknown(let text), .party(let text): text
                    default: nil
                    }
                #expect(spelling.map { Array($0.utf8) } == Array(raw.utf8), "\(raw.debugDescription)")
            }
        }
        #expect(cache.customer.hits == 4)
    }

    @Test("a field whose values repeat keeps caching; one whose values do not stops once its entries are full")
    func cachingStopsWhenItDoesNotPay() {
        let resolver = PartyResolver(parties: [Self.party("bosch", "Robert Bosch GmbH")])
        let cache = ResolutionCache(capacity: 8)
        for index in 0..<100 {
            _ = cache.supplier.resolve("Supplier \(index % 4)", with: resolver)
            _ = cache.customer.resolve("Customer \(index)", with: resolver)
        }
        #expect(cache.supplier.caching)
        #expect(cache.supplier.hits == 96)
        #expect(!cache.customer.caching)
        #expect(cache.customer.entries.count == 0)
        #expect(cache.customer.resolve("Robert Bosch", with: resolver).resolution == .party("bosch"))
    }

    @Test("the pool never hands one cache to two holders at once, and reuses a returned one")
    func cachePool() {
        let pool = ResolutionCache.Pool()
        let (outer, inner) = pool.withCache { outer in (ObjectIdentifier(outer), pool.withCache { ObjectIdentifier($0) }) }
        #expect(outer != inner)
        let again = pool.withCache { ObjectIdentifier($0) }
        #expect(again == outer || again == inner)
    }
}
