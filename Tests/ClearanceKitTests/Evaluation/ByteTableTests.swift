import Testing

@testable import ClearanceKit

@Suite("ByteTable")
struct ByteTableTests {
    /// Random byte strings from a few pieces, so that keys share prefixes, lengths and words.
    static func randomKey(using generator: inout SystemRandomNumberGenerator) -> String {
        let pieces = ["a", "acme", " ", "gmbh", "0", "12345678", "pty-", "zoë", "\u{212A}", "x", ""]
        return (0..<Int.random(in: 0...4, using: &generator)).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
    }

    @Test("finds every key it holds and no other, byte for byte (2,000 random keys, 4,000 look-ups)")
    func lookups() throws {
        var generator = SystemRandomNumberGenerator()
        var expected: [[UInt8]: Int] = [:]
        var pairs: [(key: String, value: Int)] = []
        for value in 0..<2_000 {
            let key = Self.randomKey(using: &generator)
            guard expected[Array(key.utf8)] == nil else { continue }
            expected[Array(key.utf8)] = value
            pairs.append((key, value))
        }
        let table = try #require(ByteTable(pairs, asciiOnly: false))
        #expect(table.count == pairs.count)
        for (key, value) in pairs {
            #expect(Array(key.utf8).withUnsafeBufferPointer { table.value(for: $0) } == value, "\(key.debugDescription)")
        }
        for _ in 0..<4_000 {
            let probe = Array(Self.randomKey(using: &generator).utf8) + (Bool.random(using: &generator) ? [0x21] : [])
            #expect(probe.withUnsafeBufferPointer { table.value(for: $0) } == expected[probe], "\(probe)")
        }
    }

    @Test(
        "a text looked up as a String (a small one by its two words) finds what its bytes find: keys of every length to 20, their prefixes and one-byte changes"
    )
    func textLookups() throws {
        var generator = SystemRandomNumberGenerator()
        var pairs: [(key: String, value: Int)] = []
        var expected: [[UInt8]: Int] = [:]
        for length in 0...20 {
            for _ in 0..<20 {
                let key = (0..<length).map { _ in UInt8.random(in: 0x20...0x7E, using: &generator) }
                guard expected[key] == nil else { continue }
                expected[key] = pairs.count
                pairs.append((String(decoding: key, as: UTF8.self), pairs.count))
            }
        }
        let table = try #require(ByteTable(pairs, asciiOnly: true))
        var probes: [[UInt8]] = []
        for key in expected.keys {
            probes.append(key)
            if !key.isEmpty { probes.append(Array(key.dropLast())) }
            probes.append(key + [0x61])
            for place in key.indices {
                var changed = key
                changed[place] ^= 0x01
                probes.append(changed)
            }
        }
        for probe in probes {
            let text = String(decoding: probe, as: UTF8.self)
            #expect(table.value(ifASCII: text) == .some(expected[probe]), "\(probe)")
            #expect(probe.withUnsafeBufferPointer { table.value(for: $0) } == expected[probe], "\(probe)")
        }
    }

    @Test("look-ups in steps find what value(for:) finds, from the right candidate slot, another key's, or none (2,000 random keys)")
    func steppedLookups() throws {
        var generator = SystemRandomNumberGenerator()
        var pairs: [(key: String, value: Int)] = []
        var seen: Set<[UInt8]> = []
        for value in 0..<2_000 {
            let key = Self.randomKey(using: &generator)
            if seen.insert(Array(key.utf8)).inserted { pairs.append((key, value)) }
        }
        let table = try #require(ByteTable(pairs, asciiOnly: false))
        var slots: [Int32] = []
        for (key, value) in pairs {
            let bytes = Array(key.utf8)
            try bytes.withUnsafeBufferPointer { bytes in
                #expect(table.mayHold(count: bytes.count))
                let hash = ByteSlot.hash(bytes)
                table.prefetchSlot(hash: hash)
                let slot = try #require(table.prefetchCandidate(hash: hash, count: bytes.count), "\(key.debugDescription)")
                table.prefetchReferent(ofSlot: slot, lines: 2)
                #expect(table.value(candidate: slot, key: bytes) == value, "\(key.debugDescription)")
                slots.append(slot)
            }
        }
        // Another key's slot as the candidate (as when two keys' tags match): still the key's value.
        for (index, (key, value)) in pairs.enumerated() {
            let other = slots[(index + 1) % slots.count]
            #expect(Array(key.utf8).withUnsafeBufferPointer { table.value(candidate: other, key: $0) } == value, "\(key.debugDescription)")
        }
        // Keys it does not hold: no candidate, or one that does not find them.
        for _ in 0..<2_000 {
            let probe = Array(Self.randomKey(using: &generator).utf8) + [0x21]
            guard !seen.contains(probe) else { continue }
            probe.withUnsafeBufferPointer { bytes in
                guard table.mayHold(count: bytes.count) else { return }
                if let slot = table.prefetchCandidate(hash: ByteSlot.hash(bytes), count: bytes.count) {
                    #expect(table.value(candidate: slot, key: bytes) == nil, "\(probe)")
                }
            }
        }
    }

    @Test("keys of 63 bytes and more share one length bit and are still told apart")
    func longKeys() throws {
        let keys = [62, 63, 70, 100].map { String(repeating: "k", count: $0) }
        let table = try #require(ByteTable(keys.enumerated().map { (key: $0.element, value: $0.offset) }, asciiOnly: false))
        for length in 1...120 {
            let probe = Array(String(repeating: "k", count: length).utf8)
            let expected = keys.firstIndex { $0.utf8.count == length }
            #expect(probe.withUnsafeBufferPointer { table.value(for: $0) } == expected, "length \(length)")
        }
    }

    @Test("leaves the keys that are not ASCII out when asked, and counts what it holds")
    func asciiOnly() throws {
        let pairs: [(key: String, value: Int)] = [("acme", 1), ("zoë", 2), ("", 3), ("\u{212A}", 4)]
        let table = try #require(ByteTable(pairs, asciiOnly: true))
        #expect(table.count == 2)
        func value(_ key: String) -> Int? { Array(key.utf8).withUnsafeBufferPointer { table.value(for: $0) } }
        #expect(value("acme") == 1)
        #expect(value("") == 3)
        #expect(value("zoë") == nil)
        #expect(value("\u{212A}") == nil)
        #expect(value("K") == nil)
        // Keys were left out: a key the table lacks may equal one of them, so it cannot tell.
        #expect(!table.isComplete)
        func answer(_ table: ByteTable<Int>, _ key: String) -> Int?? {
            Array(key.utf8).withUnsafeBufferPointer { table.value(asciiKey: $0) }
        }
        #expect(answer(table, "acme") == .some(1))
        #expect(answer(table, "K") == nil)
        let complete = try #require(ByteTable([(key: "acme", value: 1)], asciiOnly: true))
        #expect(complete.isComplete)
        #expect(answer(complete, "K") == .some(nil))
        let empty = try #require(ByteTable([(key: String, value: Int)](), asciiOnly: false))
        #expect(Array("acme".utf8).withUnsafeBufferPointer { empty.value(for: $0) } == nil)
    }

    @Test("ASCII checks and hashes read every byte, whole words and the last partial one")
    func bytes() {
        for length in 0...24 {
            let ascii = [UInt8](repeating: 0x61, count: length)
            #expect(ascii.withUnsafeBufferPointer(ByteWord.isASCII))
            let hash = ascii.withUnsafeBufferPointer(ByteSlot.hash)
            for position in 0..<length {
                var bytes = ascii
                bytes[position] = 0xC3
                #expect(!bytes.withUnsafeBufferPointer(ByteWord.isASCII), "length \(length), position \(position)")
                #expect(bytes.withUnsafeBufferPointer(ByteSlot.hash) != hash, "length \(length), position \(position)")
            }
        }
    }

    @Test("ByteCache: takes keys up to its capacity, finds each by its bytes, and empties (1,000 random keys)")
    func cache() {
        var generator = SystemRandomNumberGenerator()
        var cache = ByteCache<Int>(capacity: 300)
        var expected: [[UInt8]: Int] = [:]
        for round in 0..<2 {
            for value in 0..<1_000 {
                let key = Array(Self.randomKey(using: &generator).utf8)
                let known = key.withUnsafeBufferPointer { cache.value(for: $0) }
                #expect(known == expected[key], "\(key)")
                if known == nil, expected.count < 300 {
                    key.withUnsafeBufferPointer { cache.insert($0, value) }
                    expected[key] = value
                }
                // A full cache takes nothing more.
                key.withUnsafeBufferPointer { cache.insert($0, -1) }
                #expect(cache.count == expected.count)
            }
            #expect(cache.count <= 300, "round \(round)")
            cache.removeAll()
            expected = [:]
            #expect(Array("acme".utf8).withUnsafeBufferPointer { cache.value(for: $0) } == nil)
        }
    }

    @Test("TextIndex finds what a String dictionary finds: ASCII texts by bytes, canonically equal spellings through the dictionary")
    func textIndex() {
        let mixed = TextIndex(["\u{212A}": 1, "acme": 2, "Zoë": 3])
        #expect(mixed.value(for: "K") == 1)  // U+212A KELVIN SIGN is canonically "K"
        #expect(mixed.value(for: "acme") == 2)
        #expect(mixed.value(for: "Zoe\u{308}") == 3)
        #expect(mixed.value(for: "ACME") == nil)
        #expect(mixed.value(for: "k") == nil)
        let ascii = TextIndex(["acme": 2, "K": 4])
        for text in ["acme", "K", "\u{212A}", "k", "", "acme "] {
            #expect(ascii.value(for: text) == ["acme": 2, "K": 4][text], "\(text.debugDescription)")
        }
    }

    @Test("RepeatCache: keeps what repeats, starts afresh when full if a quarter hit, stops if not, and never keeps a long key")
    func repeatCache() {
        var made = 0
        func look(_ cache: inout RepeatCache<Int>, _ key: String) -> Int {
            Array(key.utf8).withUnsafeBufferPointer { bytes in
                cache.value(for: bytes) {
                    made += 1
                    return key.utf8.count
                }
            }
        }
        // Four keys over and over: each made once, every later look-up a hit.
        var repeating = RepeatCache<Int>(capacity: 4)
        for round in 0..<10 { for key in ["a", "bb", "ccc", "dddd"] { #expect(look(&repeating, key) == key.utf8.count, "\(round)") } }
        #expect(made == 4 && repeating.hits == 36 && repeating.count == 4 && repeating.caching)
        // Full, with more than a quarter of the look-ups hitting: a new key empties it and is kept.
        #expect(look(&repeating, "eeeee") == 5 && repeating.count == 1 && repeating.hits == 0 && repeating.caching)
        // Keys that never repeat: full with no hits, it stops, and each look-up makes its value.
        made = 0
        var distinct = RepeatCache<Int>(capacity: 4)
        for number in 0..<10 { #expect(look(&distinct, "key \(number)") == "key \(number)".utf8.count) }
        #expect(made == 10 && !distinct.caching && distinct.count == 0)
        // A key longer than `longestKey` is made every time and never kept.
        made = 0
        var long = RepeatCache<Int>(capacity: 4)
        let longKey = String(repeating: "x", count: RepeatCache<Int>.longestKey + 1)
        let longest = String(repeating: "y", count: RepeatCache<Int>.longestKey)
        for _ in 0..<3 {
            _ = look(&long, longKey)
            _ = look(&long, longest)
        }
        #expect(made == 4 && long.count == 1 && long.hits == 2)
    }
}
