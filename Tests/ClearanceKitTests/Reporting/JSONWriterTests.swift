import Foundation
import Testing

@testable import ClearanceKit

@Suite("JSONWriter")
struct JSONWriterTests {
    /// Nested arrays of strings, the shapes the reports use, encoded by Foundation for comparison.
    enum Node: Encodable {
        case text(String?)
        case number(Int)
        case list([Node])

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .number(let number): try container.encode(number)
            case .list(let items): try container.encode(items)
            }
        }

        func write(into writer: inout JSONWriter) {
            switch self {
            case .text(let text): writer.string(text)
            case .number(let number): writer.integer(number)
            case .list(let items):
                writer.beginArray()
                for item in items {
                    writer.element()
                    item.write(into: &writer)
                }
                writer.endArray()
            }
        }
    }

    static func randomText(_ generator: inout some RandomNumberGenerator) -> String {
        let pieces: [String] = (0..<32).map { String(UnicodeScalar(UInt8($0))) } + ["\"", "\\", "/", "é", "金力", "😀", "\u{2028}", "a", " "]
        // Up to 40 pieces, mostly plain, so that escapes fall at every place of an eight-byte word.
        let plain = ["a", "bc", "defghij", "0123456789"]
        return (0..<Int.random(in: 0...40, using: &generator)).map { _ in
            (Bool.random(using: &generator) ? plain.randomElement(using: &generator) : pieces.randomElement(using: &generator)) ?? ""
        }.joined()
    }

    static func randomNode(_ generator: inout some RandomNumberGenerator, depth: Int) -> Node {
        switch Int.random(in: 0..<(depth > 2 ? 3 : 4), using: &generator) {
        case 0: return .text(nil)
        case 1:
            // The extremes too: digits are written from the last, and Int.min has no positive twin.
            let extremes = [Int.min, Int.max, -10, -9, 0, 9, 10, 99, 100]
            return .number(
                Bool.random(using: &generator)
                    ? Int.random(in: -1_000_000...1_000_000, using: &generator) : extremes.randomElement(using: &generator) ?? 0)
        case 2: return .text(randomText(&generator))
        default: return .list((0..<Int.random(in: 0...3, using: &generator)).map { _ in randomNode(&generator, depth: depth + 1) })
        }
    }

    @Test("writes the bytes JSONEncoder writes (sorted keys, unescaped slashes), compact and pretty", arguments: [false, true])
    func matchesFoundation(pretty: Bool) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let node = Node.list([Self.randomNode(&generator, depth: 0), Self.randomNode(&generator, depth: 0)])
            var writer = JSONWriter(pretty: pretty)
            node.write(into: &writer)
            let expected = String(decoding: try encoder.encode(node), as: UTF8.self)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == expected)
        }
    }

    /// A list of reasons at `depth` open containers, as the reports write them.
    static func reasonList(_ reasons: [Reason], pretty: Bool, depth: Int) -> String {
        var writer = JSONWriter(pretty: pretty)
        for _ in 0..<depth { writer.beginArray(); writer.element() }
        writer.beginArray()
        for reason in reasons {
            writer.element()
            ReportJSON.write(reason, into: &writer)
        }
        writer.endArray()
        for _ in 0..<depth { writer.endArray() }
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test("a reason kept with its report forms writes what it would without them, at any depth, compact and pretty")
    func memoizedReasons() {
        let location = SourceLocation(file: "rules/licences.yaml", line: 7, column: 5)
        let plain = [
            Reason(verdict: .allow, code: .covered, rule: "L1", message: "covered by \"L1\"\n", source: location),
            Reason(verdict: .review, code: .missingData, rule: nil, message: "no date", source: nil),
        ]
        let memoized = plain.map { $0.memoizingReports() }
        for pretty in [false, true] {
            for depth in [0, 1, 3] {
                let expected = Self.reasonList(plain, pretty: pretty, depth: depth)
                // Twice: the first writes and keeps each form, the second reuses it.
                #expect(Self.reasonList(memoized, pretty: pretty, depth: depth) == expected, "pretty \(pretty), depth \(depth)")
                #expect(Self.reasonList(memoized, pretty: pretty, depth: depth) == expected, "pretty \(pretty), depth \(depth)")
            }
        }
        // One compact form and one pretty form for each depth.
        #expect(memoized[0].reportMemo?.count == 4)
        #expect(plain[0].reportMemo == nil)
    }

    @Test("changing a field of a kept reason drops its kept forms, so a report shows the change")
    func memoDroppedOnChange() {
        var reason = Reason(verdict: .review, code: .licenceCondition, rule: "L1", message: "over 5 t", source: nil).memoizingReports()
        _ = Self.reasonList([reason], pretty: false, depth: 0)
        #expect(reason.reportMemo?.count == 1)
        reason.code = .cleared
        reason.message = "cleared by CLR-1: over 5 t"
        #expect(reason.reportMemo == nil)
        let written = Self.reasonList([reason], pretty: false, depth: 0)
        #expect(written.contains("\"code\":\"cleared\"") && written.contains("cleared by CLR-1"), "\(written)")
    }

    @Test("a word needs escaping exactly when one of its bytes does (every byte value at every place, whole or padded)")
    func wordEscaping() {
        let plain = UInt64(0x6161_6161_6161_6161)
        for byte in 0...255 {
            for place in 0..<8 {
                let word = plain & ~(UInt64(0xFF) << (place * 8)) | UInt64(byte) << (place * 8)
                let expected = byte < 0x20 || byte == 0x22 || byte == 0x5C
                #expect(JSONWriter.needsEscaping(word) == expected, "byte \(byte) at \(place)")
            }
        }
        // The last bytes of a string, fewer than eight, padded to a word.
        for byte in 0...255 {
            for length in 1..<8 {
                for place in 0..<length {
                    var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: length)
                    bytes[place] = UInt8(byte)
                    let expected = byte < 0x20 || byte == 0x22 || byte == 0x5C
                    let word = bytes.withUnsafeBytes(ByteWord.paddedWord)
                    #expect(JSONWriter.needsEscaping(word) == expected, "byte \(byte) at \(place) of \(length)")
                }
            }
        }
        #expect(!JSONWriter.needsEscaping([UInt8]().withUnsafeBytes(ByteWord.paddedWord)))
    }

    @Test("a small string needs no escaping exactly when none of its bytes does (every ASCII byte at every place, every length)")
    func smallStringEscaping() throws {
        var checked = 0
        for count in 1...15 {
            for place in 0..<count {
                for byte in UInt8(0)...0x7F {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: count)
                    bytes[place] = byte
                    let text = String(decoding: bytes, as: UTF8.self)
                    guard let (low, high, length) = SmallASCIIString.words(text) else { continue }
                    let escaped = byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
                    #expect(JSONWriter.needsNoEscaping(low, high, count: length) == !escaped, "\(bytes)")
                    checked += 1
                }
            }
        }
        // Every text above is held as a small string where the layout is supported.
        #expect(checked == (SmallASCIIString.isSupported ? 128 * (1...15).reduce(0, +) : 0))
        // The bytes past the count (zero, as a small string keeps them) are not read as text.
        let (low, high, count) = try #require(SmallASCIIString.words("abc"))
        #expect(JSONWriter.needsNoEscaping(low, high, count: count))
    }

    @Test("a string of up to 40 bytes with an escaped byte at each place is written as JSONEncoder writes it")
    func escapesAtEveryPlace() throws {
        // Sixteen bytes at a time, then eight, then the last ones padded: an escape before, on
        // and after each boundary.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for length in 1...40 {
            for place in 0..<length {
                for escaped in ["\"", "\\", "\n", "\u{01}", "\u{1F}"] {
                    var text = Array(repeating: "é", count: length / 8) + Array(repeating: "a", count: length - length / 8)
                    text[place] = escaped
                    let string = text.joined()
                    var writer = JSONWriter(pretty: false)
                    writer.string(string)
                    #expect(
                        String(decoding: writer.bytes, as: UTF8.self) == String(decoding: try encoder.encode(string), as: UTF8.self),
                        "\(string.debugDescription)")
                }
            }
        }
    }

    @Test("integers are written as their decimal text: 0 to 10,000, each power of ten and its neighbours, the extremes")
    func integers() {
        var values = Array(-10...10_000) + [Int.min, Int.min + 1, Int.max, Int.max - 1]
        var power = 10
        while true {
            values += [power - 1, power, power + 1, -power]
            let (next, overflow) = power.multipliedReportingOverflow(by: 10)
            if overflow { break }
            power = next
        }
        for value in values {
            var writer = JSONWriter(pretty: false, capacity: 1)
            writer.integer(value)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == String(value))
        }
    }

    @Test("a padded word holds the bytes in order, then letters (every length up to eight, random bytes)")
    func paddedWords() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...8 {
            for _ in 0..<200 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                var expected = [UInt8](repeating: UInt8(ascii: "a"), count: 8)
                expected.replaceSubrange(0..<length, with: bytes)
                let word = bytes.withUnsafeBytes(ByteWord.paddedWord)
                #expect(withUnsafeBytes(of: word.littleEndian) { Array($0) } == expected, "\(bytes)")
            }
        }
    }

    @Test("objects: members in the order written, empty objects as Foundation prints them")
    func objects() {
        var writer = JSONWriter(pretty: true)
        writer.beginObject()
        writer.key("a")
        writer.beginObject()
        writer.endObject()
        writer.key("b")
        writer.integer(0)
        writer.endObject()
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "{\n  \"a\" : {\n\n  },\n  \"b\" : 0\n}")
        var compact = JSONWriter(pretty: false)
        compact.beginObject()
        compact.key("a")
        compact.null()
        compact.key("b")
        compact.string("x/y")
        compact.endObject()
        #expect(String(decoding: compact.bytes, as: UTF8.self) == #"{"a":null,"b":"x/y"}"#)
    }

    @Test(
        "write(appendingTo:) gives what a writer of its own writes: into an empty array's storage, past that room, after bytes",
        arguments: [false, true])
    func writesIntoArrays(pretty: Bool) {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let nodes = (0..<Int.random(in: 0...6, using: &generator)).map { _ in Self.randomNode(&generator, depth: 0) }
            func write(_ writer: inout JSONWriter) {
                for node in nodes { node.write(into: &writer) }
            }
            var own = JSONWriter(pretty: pretty, depth: 1)
            write(&own)
            let expected = own.bytes
            // Room for all, for none (the first bytes move to the writer's own buffer), and some.
            for capacity in [expected.count + 64, 0, expected.count / 2] {
                var bytes: [UInt8] = []
                JSONWriter.write(appendingTo: &bytes, capacity: capacity, pretty: pretty, depth: 1, write)
                #expect(bytes == expected, "capacity \(capacity)")
                var after: [UInt8] = Array("head".utf8)
                JSONWriter.write(appendingTo: &after, capacity: capacity, pretty: pretty, depth: 1, write)
                #expect(after == Array("head".utf8) + expected, "capacity \(capacity), after bytes")
            }
            // An empty array's own room counts as room.
            var reserved: [UInt8] = []
            reserved.reserveCapacity(expected.count + 16)
            JSONWriter.write(appendingTo: &reserved, capacity: 0, pretty: pretty, depth: 1, write)
            #expect(reserved == expected)
        }
    }
}
