import Testing

@testable import ClearanceKit

/// `PartyResolver.Lookahead`: look-ups made in steps for a run of spellings resolve each one as
/// `resolveEntry` does, whatever the spelling, the register or the order they are asked in.
@Suite("PartyResolver.Lookahead")
struct PartyLookaheadTests {
    static func party(_ id: String, _ name: String, _ aliases: [String] = []) -> Party {
        Party(id: id, name: name, aliases: aliases, country: nil, listings: [], source: PartyResolverTests.location)
    }

    /// Expects `resolved` to be what `resolver.resolveEntry(raw)` gives: the same resolution and
    /// the same entry object.
    static func expectSame(
        _ resolved: PartyResolver.Resolved, _ raw: String, _ resolver: PartyResolver,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        let expected = resolver.resolveEntry(raw)
        #expect(resolved.resolution == expected.resolution, "\(raw.debugDescription)", sourceLocation: sourceLocation)
        #expect(resolved.entry === expected.entry, "\(raw.debugDescription)", sourceLocation: sourceLocation)
    }

    /// Adds `raws`, fetches, and resolves them in the same order; and how many were answered
    /// from their look-ups.
    static func resolveAhead(_ raws: [String], _ resolver: PartyResolver) -> (resolved: [PartyResolver.Resolved], answered: Int) {
        var ahead = PartyResolver.Lookahead()
        for raw in raws { ahead.add(raw, in: resolver) }
        ahead.fetch(in: resolver)
        return (raws.map { resolver.resolveEntry($0, ahead: &ahead) }, ahead.answered)
    }

    static let register = PartyResolver(parties: [
        party("bosch", "Robert Bosch GmbH", ["Bosch"]), party("valeo", "Valeo SE"), party("a", "Acme GmbH"), party("b", "ACME Inc."),
        party("party-register-000017", "Quantum Magnetics Holding Ltd.", ["QMH"]), party("pty-00001", "pty 00002"),
        party("pty-00002", "Nine Char"),
    ])

    @Test(
        "each spelling resolves as resolveEntry resolves it: ids short and long, names, aliases, legal forms, odd case, unknown, ambiguous, not ASCII, blank",
        arguments: [
            "bosch", "BOSCH", "Robert Bosch", "robert  BOSCH gmbh", "Bosch Ltd.", "Valeo", "valeo s.e.", "Acme", "ACME GmbH",
            "party-register-000017", "party-register-000018", "quantum magnetics holding", "QMH plc", "pty-00001", "pty-00002",
            "PTY-00001", "pty 00002", "nine char", "Zoë Magnets", "Zoe\u{308} Magnets", "Quasar", "", "   ", "!!!", "Ltd.", "a", "A",
        ])
    func eachSpelling(raw: String) {
        let resolver = Self.register
        // Alone, and among others before and after it.
        let (alone, answered) = Self.resolveAhead([raw], resolver)
        Self.expectSame(alone[0], raw, resolver)
        // Every ASCII spelling is answered from its look-ups (this register's ids are all ASCII).
        #expect(answered == (raw.utf8.allSatisfy { $0 < 0x80 } ? 1 : 0))
        let run = ["Valeo", raw, "bosch", raw]
        for (spelling, resolved) in zip(run, Self.resolveAhead(run, resolver).resolved) { Self.expectSame(resolved, spelling, resolver) }
    }

    @Test("spellings resolved in another order than added, or never added, resolve as usual")
    func outOfOrder() {
        let resolver = Self.register
        var ahead = PartyResolver.Lookahead()
        for raw in ["bosch", "Acme", "Valeo", "Quasar"] { ahead.add(raw, in: resolver) }
        ahead.fetch(in: resolver)
        for raw in ["Acme", "bosch", "Nine Char", "Quasar", "Valeo", "pty-00002", "QMH", "bosch"] {
            Self.expectSame(resolver.resolveEntry(raw, ahead: &ahead), raw, resolver)
        }
        // Only the fourth was asked for in its place.
        #expect(ahead.answered == 1)
        // Added but not fetched: resolved as usual (a spelling's slots are not known before).
        ahead.add("bosch", in: resolver)
        Self.expectSame(resolver.resolveEntry("bosch", ahead: &ahead), "bosch", resolver)
        #expect(ahead.answered == 1)
        // Emptied, it is filled again from the start.
        ahead.removeAll()
        ahead.add("QMH", in: resolver)
        ahead.fetch(in: resolver)
        Self.expectSame(resolver.resolveEntry("QMH", ahead: &ahead), "QMH", resolver)
        #expect(ahead.answered == 2)
    }

    @Test("a register with an id and a name that are not ASCII is asked by its dictionaries too (U+212A KELVIN SIGN equals K)")
    func notASCIIRegister() {
        let resolver = PartyResolver(parties: [
            Self.party("\u{212A}", "Kelvin Works"), Self.party("k2", "Kelvin Two"), Self.party("zoe", "Zoë Magnets"),
        ])
        let raws = ["K", "k2", "Kelvin Works", "kelvin two ltd", "\u{212A}", "Other", "Zoë Magnets", "Zoe\u{308} magnets", "zoe"]
        let (resolved, answered) = Self.resolveAhead(raws, resolver)
        for (raw, resolved) in zip(raws, resolved) { Self.expectSame(resolved, raw, resolver) }
        #expect(resolved[0].resolution == .party("K"))
        // Only the ids "k2" and "zoe" are answered from their look-ups: any other ASCII spelling may
        // equal the id that is not ASCII.
        #expect(answered == 2)
    }

    @Test("2,000 random spellings of a random register of 500 parties resolve as resolveEntry resolves them")
    func randomRegister() {
        var generator = SystemRandomNumberGenerator()
        let words = ["acme", "zenith", "summit", "magnetics", "rare", "earth", "components", "nova", "orbit", "delta"]
        let forms = ["", " Ltd.", " GmbH", " s.a.", " Co., Ltd.", " Inc", " AG"]
        func name() -> String {
            (0..<Int.random(in: 1...3, using: &generator)).map { _ in words.randomElement(using: &generator) ?? "x" }.joined(separator: " ")
                + " \(Int.random(in: 0..<40, using: &generator))"
        }
        let parties = (0..<500).map { index in
            Self.party(
                index % 7 == 0 ? "party-register-\(index)-long" : "pty-\(index)", name(),
                index % 3 == 0 ? [name()] : [])
        }
        let resolver = PartyResolver(parties: parties)
        func oddCase(_ text: String) -> String {
            String(text.map { Bool.random(using: &generator) ? Character($0.uppercased()) : $0 })
        }
        let raws = (0..<2_000).map { _ -> String in
            let party = parties.randomElement(using: &generator) ?? parties[0]
            switch Int.random(in: 0..<5, using: &generator) {
            case 0: return party.id
            case 1: return oddCase(party.name) + (forms.randomElement(using: &generator) ?? "")
            case 2: return party.aliases.first ?? party.name
            case 3: return name()
            default: return oddCase(party.id)
            }
        }
        let (resolved, answered) = Self.resolveAhead(raws, resolver)
        for (raw, resolved) in zip(raws, resolved) { Self.expectSame(resolved, raw, resolver) }
        #expect(answered == raws.count)
    }

    @Test("a field that no longer caches resolves from its look-ups, as the resolver does")
    func fieldEntries() {
        let resolver = Self.register
        let cache = ResolutionCache(capacity: 8)
        for index in 0..<40 { _ = cache.customer.resolve("Customer \(index)", with: resolver) }
        #expect(!cache.customer.caching)
        let raws = ["Robert Bosch", "pty-00001", "Acme", "Quasar", "party-register-000017"]
        for raw in raws { cache.customer.ahead.add(raw, in: resolver) }
        cache.customer.ahead.fetch(in: resolver)
        for raw in raws { Self.expectSame(cache.customer.resolve(raw, with: resolver), raw, resolver) }
        #expect(cache.customer.ahead.answered == raws.count)
        #expect(cache.customer.resolve(nil, with: resolver).resolution == .absent)
    }
}
