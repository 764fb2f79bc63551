import Foundation
import Synchronization

/// Finds register parties by id, name or alias (contract §3, §10.3).
public struct PartyResolver: Sendable {
    /// What a party field of a line turned out to name.
    public enum Resolution: Hashable, Sendable {
        /// The line does not give the field.
        case absent
        /// A register party id.
        case party(String)
        /// Named on the line but not in the register.
        case unknown(String)
        /// The name belongs to several parties (ids sorted); treated as unknown.
        case ambiguous(String, [String])

        /// The resolved party id, if any.
        public var id: String? {
            if case .party(let id) = self { return id }
            return nil
        }
    }

    /// Legal-form tokens dropped from the end of names.
    public static let legalForms: Set<String> = [
        "ab", "ag", "as", "bhd", "bv", "co", "company", "corp", "corporation", "cv", "gmbh", "inc",
        "incorporated", "kft", "kg", "kgaa", "kk", "limited", "llc", "llp", "lp", "ltd", "ltda", "nv",
        "oy", "oyj", "plc", "pte", "pty", "sa", "sae", "sarl", "sas", "sdn", "se", "spa", "sl", "srl",
        "sro", "zoo",
    ]

    /// The legal forms of up to eight letters as little-endian words, sorted, and the longer ones:
    /// a token is checked by a binary search over integers instead of building a string and
    /// hashing it (which was most of the time spent normalising a W1 name).
    private static let shortLegalForms: [UInt64] = legalForms.compactMap { form in
        form.utf8.count <= 8 ? word(Array(form.utf8)) : nil
    }.sorted()
    private static let longLegalForms: [[UInt8]] = legalForms.filter { $0.utf8.count > 8 }.map { Array($0.utf8) }

    /// Up to eight bytes as a little-endian word.
    private static func word(_ bytes: some Collection<UInt8>) -> UInt64 {
        var word: UInt64 = 0
        for (place, byte) in bytes.enumerated() { word |= UInt64(byte) << (8 * place) }
        return word
    }

    /// Whether a lower-case token is one of `legalForms`.
    static func isLegalForm(_ token: UnsafeBufferPointer<UInt8>) -> Bool {
        guard token.count <= 8 else { return longLegalForms.contains { $0.elementsEqual(token) } }
        return shortLegalForms.sortedContains(word(token))
    }

    /// Chinese legal-form endings dropped from the end of the last token (无空格 names).
    public static let chineseLegalForms = ["股份有限公司", "有限责任公司", "有限公司", "集团公司", "公司"]

    /// The parties a normalised name belongs to: most names have one, kept without an array.
    private enum Owners: Sendable {
        case one(Entry)
        /// Ids sorted, without duplicates, at least two.
        case many([String])

        /// Adds a party to the owners of a name (none yet: nil).
        static func add(_ entry: Entry, to owners: inout Owners?) {
            switch owners {
            case nil: owners = .one(entry)
            case .one(let other)?: if other.id != entry.id { owners = .many([other.id, entry.id].sorted()) }
            case .many(let others)?: if !others.contains(entry.id) { owners = .many((others + [entry.id]).sorted()) }
            }
        }
    }

    /// What a line reads of a register party once it is resolved, in one object.
    ///
    /// Before, its country and listings were found by hashing its id in the pack's parties again
    /// (for the customer's lists and every country condition: 3 % of a W1 line's time, perf), and
    /// a `Party` copied out of the pack retained each of its parts.
    public final class Entry: Sendable {
        public let id: String
        public let country: String?
        public let listings: [Listing]
        /// The party's place in the register (the order the resolver was given the parties):
        /// sets of parties are sets of these numbers (`LicenceMatcher.Scope`).
        let number: Int32
        /// The resolver that numbered it (`PartyResolver.register`): numbers of two resolvers
        /// are never compared.
        let register: UInt64
        /// The list of a party with one listing, as the set a line's facts hold while the listing
        /// counts (`LineFacts.customerLists`): one set for every line, not a set made for each.
        let onlyList: Set<String>?

        init(_ party: Party, number: Int32, register: UInt64) {
            id = party.id
            country = party.country
            listings = party.listings
            self.number = number
            self.register = register
            onlyList = party.listings.count == 1 ? [party.listings[0].list] : nil
        }
    }

    /// Which resolver numbered its entries: different for every resolver made, so that
    /// `LicenceMatcher.Scope` never compares the numbers of two.
    let register: UInt64
    private static let registers = Atomic<UInt64>(0)

    /// A resolution and, for a register party, its entry.
    public struct Resolved: Sendable {
        public var resolution: Resolution
        public var entry: Entry?

        public init(resolution: Resolution, entry: Entry? = nil) {
            self.resolution = resolution
            self.entry = entry
        }

        /// The resolution and the entry, moved out.
        consuming func parts() -> (resolution: Resolution, entry: Entry?) { (resolution, entry) }
    }

    /// The register's indexes, in one object: a resolver is copied into every line's facts, and
    /// as a struct of them each copy retained and released four (callgrind).
    private final class Index: Sendable {
        /// The register by id (ASCII ids by their bytes, `TextIndex`).
        let ids: TextIndex<Entry>
        /// The owners of each normalised name; a line's ASCII name is normalised into a buffer and
        /// found by those bytes, without making a string of it.
        let names: TextIndex<Owners>

        init(ids: [String: Entry], names: [String: Owners]) {
            self.ids = TextIndex(ids)
            self.names = TextIndex(names)
        }
    }

    private let index: Index

    public init(parties: some Sequence<Party>) {
        let parties = Array(parties)
        // Names are normalised on two threads (half the time spent building the W1 resolver),
        // then indexed in party order, so the index is the same as from one thread.
        let keys = Concurrently.map(parties.count, slices: parties.count >= 2_000 ? 2 : 1) { range in
            range.map { index in [Self.normalise(parties[index].name)] + parties[index].aliases.map(Self.normalise) }
        }
        let register = Self.registers.add(1, ordering: .relaxed).newValue
        var ids = [String: Entry](minimumCapacity: parties.count)
        var names = [String: Owners](minimumCapacity: parties.count * 2)
        for (number, (party, partyKeys)) in zip(parties, keys.joined()).enumerated() {
            // A repeated id (a pack that loads has none) is the first party of that id, as in the
            // pack's parties, whichever of its names a line gives.
            let entry: Entry
            if let first = ids[party.id] {
                entry = first
            } else {
                entry = Entry(party, number: Int32(number), register: register)
                ids[party.id] = entry
            }
            // In place: one hash of the name, where reading then writing the entry took two.
            for key in partyKeys where !key.isEmpty { Owners.add(entry, to: &names[key]) }
        }
        index = Index(ids: ids, names: names)
        self.register = register
    }

    /// Resolves a raw field value: exact id first, then the normalised name index.
    public func resolve(_ raw: String?) -> Resolution {
        resolveEntry(raw).resolution
    }

    /// `resolve`, with the entry of the party found.
    public func resolveEntry(_ raw: String?) -> Resolved {
        guard let raw else { return Resolved(resolution: .absent) }
        // The line's spelling, as before entries: equal to the id, possibly in another Unicode form.
        if let entry = index.ids.value(for: raw) { return Resolved(resolution: .party(raw), entry: entry) }
        return Self.resolved(raw, owners: owners(ofName: raw))
    }

    /// The resolution of `raw`, not an id, whose normalised name `owners` own (none: unknown).
    private static func resolved(_ raw: String, owners: Owners?) -> Resolved {
        switch owners {
        case nil: Resolved(resolution: .unknown(raw))
        case .one(let entry)?: Resolved(resolution: .party(entry.id), entry: entry)
        case .many(let ids)?: Resolved(resolution: .ambiguous(raw, ids))
        }
    }

    /// The parties whose normalised name or alias is `raw`'s.
    private func owners(ofName raw: String) -> Owners? {
        // The table alone is captured: a closure reading `self` copied the resolver each time.
        if let table = index.names.table, let answer = Self.withNormalisedASCII(raw, { table.value(asciiKey: $0) }),
            let decided = answer
        {
            return decided
        }
        return index.names.dictionary[Self.normalise(raw)]
    }

    /// The register look-ups of a run of one party field's spellings, made in steps over all of
    /// them: `add` each spelling (in the order they will be resolved), `fetch`, then resolve them
    /// in that order with `resolveEntry(_:ahead:)`, which gives what `resolveEntry(_:)` gives.
    ///
    /// A W1 look-up is a chain of cache misses — slot, key, value, entry — each waited for before
    /// the next can start: about 15 % of a run's cycles (`perf`). Here each step asks the processor
    /// to fetch the next link of every look-up (`ByteTable`'s prefetching steps), so the misses of
    /// a slice's look-ups are waited for together; a spelling's id and normalised name are worked
    /// out once, for the fetching and the resolving both. (Prefetching only the slots, normalising
    /// twice, moved the wait to the next link: CONTRIBUTING.)
    struct Lookahead {
        /// A spelling added: its bytes and normalised name (in `bytes`), and the candidate slots
        /// found for them.
        private struct Spelling {
            var raw: Range<Int>
            var name: Range<Int>
            var nameHash: UInt64 = 0
            var idHash: UInt64 = 0
            /// The candidate slot in the ids' and the names' table; `noCandidate` when the table
            /// has no key of that length or its probe ends without one.
            var idSlot: Int32 = noCandidate
            var nameSlot: Int32 = noCandidate
            /// Whether the spelling is ASCII (else it is resolved as usual).
            var usable: Bool
        }

        private static let noCandidate: Int32 = -1
        private var spellings: [Spelling] = []
        /// The spellings' bytes and normalised names, one after another.
        private var bytes = Bytes()
        /// The next spelling to resolve.
        private var next = 0
        /// How many spellings `fetch` has looked up (those added since are resolved as usual).
        private var fetched = 0
        /// How many spellings were resolved from their look-ups (for the tests).
        private(set) var answered = 0

        init() {}

        /// Drops the spellings (keeping the storage), for the next run.
        mutating func removeAll() {
            spellings.removeAll(keepingCapacity: true)
            bytes.count = 0
            (next, fetched) = (0, 0)
        }

        /// Bytes appended by copying, freed with the cache that holds them.
        ///
        /// (`Array.append(contentsOf:)` of a buffer went through its generic path: about 100
        /// instructions a W1 line, callgrind.)
        private final class Bytes {
            // INVARIANT: `storage[0..<count]` is initialized; `storage` is freed by `deinit` only.
            var storage = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 4_096)
            var count = 0

            deinit { storage.deallocate() }

            /// Appends `bytes`; returns where they are.
            func append(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
                while count + bytes.count > storage.count { storage = storage.grown(keeping: count) }
                if let source = bytes.baseAddress {
                    (storage.baseAddress.unsafelyUnwrapped + count).update(from: source, count: bytes.count)
                }
                count += bytes.count
                return count - bytes.count..<count
            }

            subscript(range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(start: storage.baseAddress.unsafelyUnwrapped + range.lowerBound, count: range.count)
            }
        }

        /// Adds the next spelling to resolve, and fetches its first slots.
        mutating func add(_ raw: String, in resolver: PartyResolver) {
            if raw.utf8.withContiguousStorageIfAvailable({ add(utf8: $0, in: resolver) }) == nil { addUnusable() }
        }

        /// `add` of a spelling's UTF-8 bytes, read in place.
        mutating func add(utf8: UnsafeBufferPointer<UInt8>, in resolver: PartyResolver) {
            let index = resolver.index
            guard let ids = index.ids.table, let names = index.names.table, ByteWord.isASCII(utf8) else { return addUnusable() }
            let stored = bytes.append(utf8)
            var spelling = Spelling(raw: stored, name: stored.upperBound..<stored.upperBound, usable: true)
            if ids.mayHold(count: utf8.count) {
                spelling.idHash = ByteSlot.hash(utf8)
                ids.prefetchSlot(hash: spelling.idHash)
            }
            _ = PartyResolver.withNormalisedASCII(bytes: utf8) { key in
                spelling.name = bytes.append(key)
                if names.mayHold(count: key.count) {
                    spelling.nameHash = ByteSlot.hash(key)
                    names.prefetchSlot(hash: spelling.nameHash)
                }
            }
            spellings.append(spelling)
        }

        /// Adds a spelling resolved as usual (not ASCII, or a register too large for its tables),
        /// so that the ones after it keep their places.
        private mutating func addUnusable() {
            spellings.append(Spelling(raw: 0..<0, name: 0..<0, usable: false))
        }

        /// The candidate slots of every spelling added since the last `fetch`, their keys and
        /// values fetched; then the entries those values point to.
        mutating func fetch(in resolver: PartyResolver) {
            let index = resolver.index
            let added = fetched..<spellings.count
            fetched = spellings.count
            guard let ids = index.ids.table, let names = index.names.table else { return }
            for position in added where spellings[position].usable {
                let spelling = spellings[position]
                if ids.mayHold(count: spelling.raw.count) {
                    spellings[position].idSlot = ids.prefetchCandidate(hash: spelling.idHash, count: spelling.raw.count) ?? Self.noCandidate
                }
                if names.mayHold(count: spelling.name.count) {
                    spellings[position].nameSlot =
                        names.prefetchCandidate(hash: spelling.nameHash, count: spelling.name.count) ?? Self.noCandidate
                }
            }
            // An entry's fields a line reads span its first two cache lines.
            for spelling in spellings[added] {
                if spelling.idSlot != Self.noCandidate { ids.prefetchReferent(ofSlot: spelling.idSlot, lines: 2) }
                if spelling.nameSlot != Self.noCandidate { names.prefetchReferent(ofSlot: spelling.nameSlot, lines: 2) }
            }
        }

        /// `resolver.resolveEntry(raw)` from the next spelling's look-ups, or nil.
        ///
        /// Nil unless that spelling is `raw` (byte for byte), was fetched, and both tables could
        /// answer for it; the caller then resolves `raw` as usual. The queue moves past the spelling either way.
        mutating func resolve(_ raw: String, in resolver: PartyResolver) -> Resolved? {
            guard next < spellings.count else { return nil }
            let spelling = spellings[next]
            next += 1
            let index = resolver.index
            guard next <= fetched, spelling.usable, let ids = index.ids.table, let names = index.names.table else { return nil }
            let key = bytes[spelling.raw]
            let same = raw.utf8.withContiguousStorageIfAvailable { utf8 in utf8.count == key.count && ByteSlot.equal(key, at: 0, utf8) }
            guard same == true else { return nil }
            // As `resolveEntry(_:)`: the id first (a table without a key may still be asked
            // its dictionary, when some id is not ASCII), then the normalised name.
            if spelling.idSlot != Self.noCandidate, let entry = ids.value(candidate: spelling.idSlot, key: key) {
                answered += 1
                return Resolved(resolution: .party(raw), entry: entry)
            }
            guard ids.isComplete else { return nil }
            let owners: Owners?
            if spelling.nameSlot != Self.noCandidate {
                owners = names.value(candidate: spelling.nameSlot, key: bytes[spelling.name])
            } else {
                owners = nil
            }
            if owners == nil, !names.isComplete { return nil }
            answered += 1
            return PartyResolver.resolved(raw, owners: owners)
        }
    }

    /// `resolveEntry(raw)`, from `ahead`'s look-ups when it has them for `raw` next.
    func resolveEntry(_ raw: String, ahead: inout Lookahead) -> Resolved {
        ahead.resolve(raw, in: self) ?? resolveEntry(raw)
    }

    /// Marks every entry and the indexes immortal (`Immortal`): only for a resolver kept until the
    /// process exits.
    func markEntriesImmortal() {
        Immortal.mark(index)
        for entry in index.ids.dictionary.values {
            Immortal.mark(entry)
            // Its id (a line's resolution holds it), and the list and rule file a listed-party
            // reason names.
            Immortal.mark(string: entry.id)
            for listing in entry.listings {
                Immortal.mark(string: listing.list)
                Immortal.mark(string: listing.source.file)
            }
            if let only = entry.onlyList { Immortal.mark(set: only) }
        }
        index.ids.markImmortal()
        index.names.markImmortal()
    }

    /// The entry of the register party `id`.
    public func entry(_ id: String) -> Entry? { index.ids.value(for: id) }

    /// Normalised names that belong to more than one party, with those parties.
    public var ambiguousNames: [(name: String, parties: [String])] {
        index.names.dictionary.compactMap { name, owners in
            if case .many(let parties) = owners { (name, parties) } else { nil }
        }.sorted { $0.name < $1.name }
    }

    /// Case-fold; split on whitespace; drop non-alphanumerics inside tokens; drop empty tokens;
    /// drop trailing legal-form tokens repeatedly (keeping at least one token).
    public static func normalise(_ name: String) -> String {
        normaliseASCII(name) ?? normaliseUnicode(name)
    }

    /// `normalise` for any text, scalar by scalar.
    static func normaliseUnicode(_ name: String) -> String {
        var tokens = name.lowercased().split(whereSeparator: \.isWhitespace).map { token in
            String(token.unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil }.map(Character.init))
        }.filter { !$0.isEmpty }
        while tokens.count > 1, let last = tokens.last, legalForms.contains(last) { tokens.removeLast() }
        if let last = tokens.last {
            for suffix in chineseLegalForms where last.hasSuffix(suffix) && last.count > suffix.count {
                tokens[tokens.count - 1] = String(last.dropLast(suffix.count))
                break
            }
        }
        return tokens.joined(separator: " ")
    }

    /// `normalise` for ASCII names, byte by byte: the same result without Unicode property
    /// look-ups, which made normalising 50 times slower (measured on W1's 20,000 parties); nil
    /// when the name has a non-ASCII byte.
    static func normaliseASCII(_ name: String) -> String? {
        withNormalisedASCII(name) { String(decoding: $0, as: UTF8.self) }
    }

    /// What `withNormalisedASCII` makes of each byte.
    ///
    /// 0xFF for a non-ASCII byte, 1 for whitespace (it ends a token), 0 for a byte it drops, else
    /// the byte lower-cased: one load a byte, where the range tests cost more (callgrind).
    private static let asciiFolding: [UInt8] = (0...255).map { (byte: Int) -> UInt8 in
        switch byte {
        case 0x80...: 0xFF
        case 0x20, 0x09...0x0D: 1
        case 0x41...0x5A: UInt8(byte + 0x20)
        case 0x61...0x7A, 0x30...0x39: UInt8(byte)
        default: 0
        }
    }

    /// `body` of the bytes of `normaliseASCII(name)`, without making them a string; nil when the
    /// name has a non-ASCII byte.
    static func withNormalisedASCII<Result>(_ name: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result? {
        name.withUTF8InPlace { withNormalisedASCII(bytes: $0, body) }
    }

    /// `withNormalisedASCII` of a name's UTF-8 bytes.
    fileprivate static func withNormalisedASCII<Result>(
        bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result? {
        // The result is never longer than the name: a space is written only where at least
        // one whitespace byte was. A temporary buffer, not an array: one allocation fewer for
        // each of the three parties of every line.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(bytes.count, 1)) { out -> Result? in
            var count = 0
            var tokens = 0
            var inToken = false
            let folded = Self.asciiFolding.withUnsafeBufferPointer { folding -> Bool in
                for byte in bytes {
                    let folded = folding[Int(byte)]
                    if folded >= 0x30 {
                        if folded == 0xFF { return false }
                        if !inToken {
                            if count > 0 {
                                out[count] = 0x20
                                count += 1
                            }
                            tokens += 1
                            inToken = true
                        }
                        out[count] = folded
                        count += 1
                    } else if folded == 1 {
                        inToken = false
                    }
                }
                return true
            }
            guard folded else { return nil }
            while tokens > 1 {
                var start = count
                while start > 0 && out[start - 1] != 0x20 { start -= 1 }
                guard isLegalForm(UnsafeBufferPointer(rebasing: out[start..<count])) else {
                    break
                }
                count = start - 1
                tokens -= 1
            }
            return body(UnsafeBufferPointer(rebasing: out[0..<count]))
        }
    }
}
