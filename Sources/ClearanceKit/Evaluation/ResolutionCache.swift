/// The resolutions of raw party strings seen so far, for order files that name the same parties
/// line after line (an exporter's own suppliers, its regular customers).
///
/// A resolution depends on the raw string and the pack alone, so a cached one is the one
/// `PartyResolver.resolve` would give. Each party field keeps its own entries and stops caching
/// once its values do not repeat (fewer than a quarter of look-ups hit when the entries are full):
/// W1's 1,000 supplier spellings hit all but the first time, its 130,000 customer spellings
/// hardly ever, and caching them only cost. It also keeps the strings of the order fields whose
/// values repeat (`texts`), read by the same thread just before.
///
/// Not thread-safe: one thread uses a cache at a time, handed over by `ResolutionCache.Pool`.
public final class ResolutionCache {
    /// One party field's entries and how well they pay.
    ///
    /// Keyed by the spelling's bytes (`ByteCache`): a `String`-keyed dictionary hashed every
    /// look-up with SipHash (about 600 instructions a W1 line), and it took canonically equal
    /// spellings for one, handing the second the first one's spelling in its resolution.
    struct FieldEntries {
        var entries: RepeatCache<PartyResolver.Resolved>
        /// Once caching has stopped: the register look-ups of the spellings of the lines to come
        /// (filled by `Clearance.prepare` for a slice of lines, before their facts are worked out).
        var ahead = PartyResolver.Lookahead()

        /// - Parameter capacity: the most entries kept; when full, they are dropped (or caching stops).
        init(capacity: Int) { entries = RepeatCache(capacity: capacity) }

        var caching: Bool { entries.caching }
        var hits: Int { entries.hits }

        mutating func resolve(_ raw: String?, with resolver: PartyResolver) -> PartyResolver.Resolved {
            guard let raw else { return PartyResolver.Resolved(resolution: .absent) }
            guard caching else { return resolver.resolveEntry(raw, ahead: &ahead) }
            guard
                let resolved = raw.utf8.withContiguousStorageIfAvailable({ bytes in
                    entries.value(for: bytes) { resolver.resolveEntry(raw) }
                })
            else { return resolver.resolveEntry(raw) }
            return resolved
        }
    }

    // Unchecked: nothing a resolution calls reaches the cache, so accesses never overlap, and the
    // run-time exclusivity check of each (three a line) was about 270 instructions a W1 line.
    @exclusivity(unchecked) var supplier: FieldEntries
    @exclusivity(unchecked) var customer: FieldEntries
    @exclusivity(unchecked) var endUser: FieldEntries

    /// The strings of the long texts of fields whose values repeat (a supplier's name, an end use),
    /// made once from their bytes for the lines after (`OrderFieldParser.read`); one table for
    /// both fields, as the same bytes are the same text in either.
    @exclusivity(unchecked) var texts = RepeatCache<String>(capacity: 1_024)

    /// - Parameter capacity: the most entries each field keeps.
    public init(capacity: Int = 4_096) {
        (supplier, customer, endUser) = (
            FieldEntries(capacity: capacity), FieldEntries(capacity: capacity), FieldEntries(capacity: capacity)
        )
    }

    /// Caches handed to one thread at a time: a thread takes one (or a new one when all are in
    /// use), resolves a run of lines with it and gives it back.
    public final class Pool: Sendable {
        // INVARIANT: a cache is either in `idle` or held by exactly one `withCache` call.
        private let idle = Locked<[UncheckedCache]>([])

        /// A cache moved between threads under the pool's lock, never shared.
        private struct UncheckedCache: @unchecked Sendable {
            let cache: ResolutionCache
        }

        public init() {}

        /// Runs `body` with a cache no other thread holds meanwhile.
        public func withCache<Result>(_ body: (ResolutionCache) -> Result) -> Result {
            let held = idle.withLock { $0.popLast() } ?? UncheckedCache(cache: ResolutionCache())
            defer { idle.withLock { $0.append(held) } }
            return body(held.cache)
        }
    }
}
