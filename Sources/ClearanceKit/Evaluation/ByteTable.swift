import CIntrinsics
import Foundation

/// An immutable hash table from byte strings to values, looked up by a buffer of bytes: no
/// `String` is made for a look-up and no SipHash is run.
///
/// Why not `Dictionary<String, Value>`: the party resolver looked every line's normalised names
/// up in a dictionary of W1's 40,000 names. Each look-up first made the name a `String` (an
/// allocation for a name of more than 15 bytes), hashed it with SipHash, then compared the keys
/// of its bucket through their separate storage; with the ids' dictionary this was 8 % of a W1
/// run's cycles (`perf`). Here a key's bytes sit in one arena, a slot holds a 32-bit tag of the
/// hash, and a key is compared only when its tag and length match.
///
/// Keys are compared byte for byte, not by Unicode canonical equivalence as `String`s are: a
/// caller looks up only where the two agree (ASCII text against ASCII keys; see `TextIndex`).
/// The hash is fast, not keyed: the keys come from the rule pack, which the user trusts; a line's
/// bytes can only choose which of the pack's probe runs (at most half the slots are full) to walk.
final class ByteTable<Value>: @unchecked Sendable {
    // INVARIANT: immutable after `init`; `slots` has a power of two entries, of which fewer than
    // half are full; a full slot's key is `arena[offset..<offset + length]`; `values` is
    // initialized, and freed by `deinit` only.
    private let slots: UnsafeMutableBufferPointer<ByteSlot>
    private let arena: UnsafeMutableBufferPointer<UInt8>
    /// The values, by a slot's `value` (a buffer, not an array: `prefetchReferent` reads a value
    /// where it lies).
    private let values: UnsafeMutableBufferPointer<Value>
    /// Bit n set when some key has n bytes (bit 63: 63 or more): a key of another length is
    /// answered without hashing it or touching a slot (most names a line gives are not ids).
    private let lengths: UInt64
    /// Whether every key given went in (none was left out for not being ASCII).
    let isComplete: Bool
    /// `SmallASCIIString.isSupported`, read once: a small ASCII text is then looked up by its
    /// two words (`value(low:high:count:)`).
    private let smallKeys = SmallASCIIString.isSupported
    /// Bytes after the last key, so that a key of up to 15 bytes is read as two whole words.
    private static var arenaSlack: Int { 16 }

    /// The table of `pairs` whose keys (their UTF-8 bytes) are all different, leaving out the keys
    /// that are not ASCII when `asciiOnly` (`count` tells how many went in); nil when the keys
    /// together are too large to address with 32 bits (no rule pack a loader accepts has that many).
    init?(_ pairs: some Collection<(key: String, value: Value)>, asciiOnly: Bool) {
        let bytes = pairs.reduce(0) { $0 + $1.key.utf8.count }
        guard bytes < Int(UInt32.max), pairs.count < Int(Int32.max) / 2 else { return nil }
        let slots = UnsafeMutableBufferPointer<ByteSlot>.allocate(capacity: ByteSlot.count(forKeys: pairs.count))
        slots.initialize(repeating: .empty)
        // The keys, then `arenaSlack` zero bytes (read, never compared, by `value(low:high:count:)`).
        let arena = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes + Self.arenaSlack)
        arena.initialize(repeating: 0)
        var values: [Value] = []
        values.reserveCapacity(pairs.count)
        var offset = 0
        var lengths: UInt64 = 0
        for pair in pairs {
            var text = pair.key
            let length = text.withUTF8 { utf8 -> Int in
                if asciiOnly, !ByteWord.isASCII(utf8) { return -1 }
                _ = UnsafeMutableBufferPointer(rebasing: arena[offset..<offset + utf8.count]).initialize(from: utf8)
                return utf8.count
            }
            guard length >= 0 else { continue }
            let key = UnsafeBufferPointer(rebasing: arena[offset..<offset + length])
            let hash = ByteSlot.hash(key)
            // Keys are all different: the probe ends on an empty slot.
            let slot = ByteSlot.probe(key, hash: hash, slots: UnsafeBufferPointer(slots), arena: UnsafeBufferPointer(arena)).slot
            slots[slot] = ByteSlot(hash: hash, length: length, offset: offset, value: values.count)
            values.append(pair.value)
            lengths |= Self.lengthBit(length)
            offset += length
        }
        let stored = UnsafeMutableBufferPointer<Value>.allocate(capacity: values.count)
        _ = stored.initialize(from: values)
        (self.slots, self.arena, self.values, self.lengths) = (slots, arena, stored, lengths)
        isComplete = values.count == pairs.count
    }

    deinit {
        slots.deallocate()
        arena.deallocate()
        values.deinitialize()
        values.deallocate()
    }

    /// How many keys the table holds.
    var count: Int { values.count }

    /// The value of the key equal to `key`, byte for byte.
    func value(for key: UnsafeBufferPointer<UInt8>) -> Value? {
        guard lengths & Self.lengthBit(key.count) != 0 else { return nil }
        let (slot, found) = ByteSlot.probe(
            key, hash: ByteSlot.hash(key), slots: UnsafeBufferPointer(slots), arena: UnsafeBufferPointer(arena))
        return found ? values[Int(slots[slot].value)] : nil
    }

    /// What the table tells of an ASCII key, as a `String`-keyed dictionary of the keys given
    /// would: its value, or `.some(nil)` when no key equals it; nil when it cannot tell (a key
    /// left out for not being ASCII may equal it canonically, as U+212A KELVIN SIGN equals "K").
    func value(asciiKey key: UnsafeBufferPointer<UInt8>) -> Value?? {
        if let value = value(for: key) { return .some(value) }
        return isComplete ? .some(nil) : nil
    }

    /// `value(asciiKey:)` of `text`'s bytes; nil when `text` is not ASCII or the table cannot tell.
    func value(ifASCII text: String) -> Value?? {
        if smallKeys, let (low, high, count) = SmallASCIIString.words(text) {
            if let value = value(low: low, high: high, count: count) { return .some(value) }
            return isComplete ? .some(nil) : nil
        }
        return text.utf8.withContiguousStorageIfAvailable { bytes -> Value?? in
            ByteWord.isASCII(bytes) ? value(asciiKey: bytes) : nil
        } ?? nil
    }

    /// `value(for:)` of a key of up to 15 bytes held in two words, as `SmallASCIIString.words`
    /// gives a string's (the bytes after `count` zero): hashed and compared a word at a time,
    /// without the string's bytes being copied out of it first.
    private func value(low: UInt64, high: UInt64, count: Int) -> Value? {
        guard lengths & Self.lengthBit(count) != 0 else { return nil }
        let hash = ByteSlot.hash(low: low, high: high, count: count)
        let tag = UInt32(truncatingIfNeeded: hash >> 32)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        // The key's bytes in the arena, as two words with the bytes past its end cleared.
        let keep: (low: UInt64, high: UInt64) =
            count >= 8
            ? (~0, count == 8 ? 0 : (1 << (8 * UInt64(count - 8))) &- 1) : (count == 0 ? 0 : (1 << (8 * UInt64(count))) &- 1, 0)
        let arena = UnsafeRawPointer(self.arena.baseAddress.unsafelyUnwrapped)
        while true {
            let candidate = slots[slot]
            if candidate.value < 0 { return nil }
            if candidate.tag == tag, Int(candidate.length) == count {
                let stored = arena + Int(candidate.offset)
                if stored.loadUnaligned(as: UInt64.self) & keep.low == low,
                    stored.loadUnaligned(fromByteOffset: 8, as: UInt64.self) & keep.high == high
                {
                    return values[Int(candidate.value)]
                }
            }
            slot = (slot + 1) & mask
        }
    }

    /// The bit of `lengths` for a key of `count` bytes.
    private static func lengthBit(_ count: Int) -> UInt64 { 1 << UInt64(min(count, 63)) }

    // MARK: Fetching a look-up's memory ahead
    //
    // A look-up reads a slot, a key and a value, each where the one before points, and most of
    // them miss the cache in a large table (the party register). These read the same places for
    // many keys in turn, a step each, asking the processor to fetch each one ahead (a prefetch
    // never changes a result): the misses of many look-ups are then waited for together.

    /// Whether some key has `count` bytes (else a look-up answers without touching memory).
    func mayHold(count: Int) -> Bool { lengths & Self.lengthBit(count) != 0 }

    /// Step one for a key of hash `hash` (`ByteSlot.hash`): its first slot fetched.
    func prefetchSlot(hash: UInt64) {
        clearance_prefetch(slots.baseAddress.unsafelyUnwrapped + (Int(truncatingIfNeeded: hash) & (slots.count - 1)))
    }

    /// Step two: the first slot of the key's probe whose tag and length match it, its key and
    /// value fetched; nil when the probe ends before one (the key is not in the table).
    func prefetchCandidate(hash: UInt64, count: Int) -> Int32? {
        let tag = UInt32(truncatingIfNeeded: hash >> 32)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let candidate = slots[slot]
            if candidate.value < 0 { return nil }
            if candidate.tag == tag, Int(candidate.length) == count {
                clearance_prefetch(arena.baseAddress.unsafelyUnwrapped + Int(candidate.offset))
                clearance_prefetch(values.baseAddress.unsafelyUnwrapped + Int(candidate.value))
                return Int32(truncatingIfNeeded: slot)
            }
            slot = (slot + 1) & mask
        }
    }

    /// The value of `key` when the slot `slot` (from `prefetchCandidate`) holds it, else of the key
    /// wherever it is (`value(for:)`: the candidate's tag matched another key's).
    func value(candidate slot: Int32, key: UnsafeBufferPointer<UInt8>) -> Value? {
        let found = slots[Int(slot)]
        if Int(found.length) == key.count, ByteSlot.equal(UnsafeBufferPointer(arena), at: Int(found.offset), key) {
            return values[Int(found.value)]
        }
        return value(for: key)
    }

    /// Step three, for values that are (or begin with) a reference to an object: the first
    /// `lines` cache lines of the object the value of slot `slot` points to fetched. (The word is
    /// read as bits and masked as the runtime masks a reference; whatever it is, a prefetch is
    /// harmless.)
    func prefetchReferent(ofSlot slot: Int32, lines: Int) {
        let index = Int(slots[Int(slot)].value)
        let word = UnsafeRawPointer(values.baseAddress.unsafelyUnwrapped + index).load(as: UInt.self)
        guard let object = UnsafeRawPointer(bitPattern: word & 0x00FF_FFFF_FFFF_FFF8) else { return }
        for line in 0..<lines { clearance_prefetch(object + 64 * line) }
    }
}

/// A slot of a byte-keyed table (`ByteTable`, `ByteCache`): where its key sits in the table's
/// arena, a tag of the key's hash, and the key's value; probed linearly.
struct ByteSlot {
    /// The hash's high 32 bits.
    var tag: UInt32
    var length: UInt32
    var offset: UInt32
    /// The key's value (its index in the table's values); -1 for an empty slot.
    var value: Int32

    static let empty = ByteSlot(tag: 0, length: 0, offset: 0, value: -1)

    init(tag: UInt32, length: UInt32, offset: UInt32, value: Int32) {
        (self.tag, self.length, self.offset, self.value) = (tag, length, offset, value)
    }

    /// A full slot; the caller keeps offsets and counts within 32 bits.
    init(hash: UInt64, length: Int, offset: Int, value: Int) {
        self.init(tag: UInt32(truncatingIfNeeded: hash >> 32), length: UInt32(length), offset: UInt32(offset), value: Int32(value))
    }

    /// How many slots a table of `keys` keys has: a power of two, at least twice the keys, so that
    /// at least half are empty and every probe ends.
    static func count(forKeys keys: Int) -> Int {
        var count = 16
        while count < keys * 2 { count *= 2 }
        return count
    }

    /// A 64-bit hash of `bytes`, eight at a time: multiply and fold, then a final mix so that
    /// the low bits (the slot) and the high ones (the tag) both depend on every byte.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return mix(hash) }
        var index = 0
        while index + 8 <= bytes.count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            index += 8
        }
        if index < bytes.count {
            var word: UInt64
            if bytes.count >= 8 {
                // The last eight bytes, shifted so that only the ones not hashed yet remain.
                word = UnsafeRawPointer(base + bytes.count - 8).loadUnaligned(as: UInt64.self) >> (8 * UInt64(8 - (bytes.count - index)))
            } else {
                word = 0
                var shift: UInt64 = 0
                while index < bytes.count {
                    word |= UInt64(base[index]) << shift
                    shift += 8
                    index += 1
                }
            }
            hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
        }
        return mix(hash)
    }

    /// `hash` of up to 15 bytes held in two words, the bytes after `count` zero (the first
    /// eight in `low`): the same hash, without reading memory.
    @inline(__always)
    static func hash(low: UInt64, high: UInt64, count: Int) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(count)
        if count > 0 {
            hash = (hash ^ low) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
        }
        if count > 8 {
            hash = (hash ^ high) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
        }
        return mix(hash)
    }

    /// SplitMix64's finaliser.
    private static func mix(_ value: UInt64) -> UInt64 {
        var value = value
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    /// The slot holding `key` (`found`), or the empty slot where the probe for it ends; `slots`
    /// has a power of two entries and at least one empty.
    static func probe(
        _ key: UnsafeBufferPointer<UInt8>, hash: UInt64, slots: UnsafeBufferPointer<ByteSlot>, arena: UnsafeBufferPointer<UInt8>
    ) -> (slot: Int, found: Bool) {
        let tag = UInt32(truncatingIfNeeded: hash >> 32)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let candidate = slots[slot]
            if candidate.value < 0 { return (slot, false) }
            if candidate.tag == tag, Int(candidate.length) == key.count, equal(arena, at: Int(candidate.offset), key) {
                return (slot, true)
            }
            slot = (slot + 1) & mask
        }
    }

    /// Whether `arena` holds `key`'s bytes from `offset`.
    static func equal(_ arena: UnsafeBufferPointer<UInt8>, at offset: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let stored = arena.baseAddress, let wanted = key.baseAddress else { return key.isEmpty }
        return memcmp(stored + offset, wanted, key.count) == 0
    }
}

/// A byte-keyed table that grows, up to `capacity` keys, for one thread's cache.
///
/// `ByteTable`'s slots and probing, over arrays; emptied by its owner when full.
struct ByteCache<Value> {
    private var slots: [ByteSlot]
    private var arena: [UInt8] = []
    private var values: [Value] = []
    /// The most keys it takes.
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        slots = Array(repeating: .empty, count: ByteSlot.count(forKeys: capacity))
    }

    var count: Int { values.count }

    /// The value of the key equal to `key`, byte for byte.
    func value(for key: UnsafeBufferPointer<UInt8>) -> Value? {
        let (slot, found) = slots.withUnsafeBufferPointer { slots in
            arena.withUnsafeBufferPointer { ByteSlot.probe(key, hash: ByteSlot.hash(key), slots: slots, arena: $0) }
        }
        return found ? values[Int(slots[slot].value)] : nil
    }

    /// Adds a key it does not hold, below `capacity` keys (else nothing is added).
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, _ value: Value) {
        guard values.count < capacity, arena.count + key.count < Int(UInt32.max) else { return }
        let hash = ByteSlot.hash(key)
        let (slot, found) = slots.withUnsafeBufferPointer { slots in
            arena.withUnsafeBufferPointer { ByteSlot.probe(key, hash: hash, slots: slots, arena: $0) }
        }
        guard !found else { return }
        slots[slot] = ByteSlot(hash: hash, length: key.count, offset: arena.count, value: values.count)
        arena.append(contentsOf: key)
        values.append(value)
    }

    /// Drops every key, keeping the storage.
    mutating func removeAll() {
        for index in slots.indices { slots[index] = .empty }
        arena.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
    }
}

/// A `ByteCache` kept only while its keys repeat.
///
/// When full, it starts afresh if at least a quarter of the look-ups since it last started hit,
/// and otherwise stops caching for good (each look-up then makes its value), so that values that
/// never repeat cost one look-up each while it fills, then nothing. A key longer than
/// `longestKey` bytes is never kept (its value is made each time), so that the cache holds at most
/// `capacity` times that many bytes of keys, whatever an order file's fields hold.
///
/// Not thread-safe: one thread at a time.
struct RepeatCache<Value> {
    /// The longest key kept, in bytes (names and end uses are far shorter).
    static var longestKey: Int { 256 }

    private var entries: ByteCache<Value>
    private var lookups = 0
    private(set) var hits = 0
    private(set) var caching = true

    /// - Parameter capacity: the most keys kept.
    init(capacity: Int) { entries = ByteCache(capacity: capacity) }

    /// How many keys it holds.
    var count: Int { entries.count }

    /// The value kept for `key`, else the one `make` makes (kept while caching).
    mutating func value(for key: UnsafeBufferPointer<UInt8>, make: () -> Value) -> Value {
        guard caching, key.count <= Self.longestKey else { return make() }
        lookups += 1
        if let known = entries.value(for: key) {
            hits += 1
            return known
        }
        let value = make()
        if entries.count >= entries.capacity {
            guard hits * 4 >= lookups else {
                caching = false
                entries = ByteCache(capacity: 0)
                return value
            }
            entries.removeAll()
            (lookups, hits) = (0, 0)
        }
        entries.insert(key, value)
        return value
    }
}

/// Values by text, found as a `Dictionary<String, Value>` finds them, ASCII texts by their bytes
/// (`ByteTable`): no SipHash and no `String` comparison for them.
///
/// An ASCII text equals, in Swift's canonical equivalence, only the same bytes among ASCII texts,
/// but a text that is not ASCII can equal it too (U+212A KELVIN SIGN equals "K"); so when some key
/// is not ASCII, an ASCII text the table lacks is looked up in the dictionary as well.
struct TextIndex<Value>: @unchecked Sendable {
    // INVARIANT: immutable; `table` holds exactly the ASCII keys of `dictionary`.
    let dictionary: [String: Value]
    /// The ASCII keys by their bytes; nil when they are too many to address (`ByteTable.init`).
    let table: ByteTable<Value>?

    init(_ dictionary: [String: Value]) {
        self.dictionary = dictionary
        table = ByteTable(dictionary, asciiOnly: true)
    }

    /// The value of the key equal to `text`.
    func value(for text: String) -> Value? {
        if let table, let answer = table.value(ifASCII: text) { return answer }
        return dictionary[text]
    }

    /// Marks the table immortal (`Immortal`): only for an index kept until the process exits.
    func markImmortal() {
        if let table { Immortal.mark(table) }
    }
}
