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
        case 1: return .number(Int.random(in: -1_000_000...1_000_000, using: &generator))
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

    @Test("a word needs escaping exactly when one of its bytes does (every byte value at every place)")
    func wordEscaping() {
        let plain = UInt64(0x6161_6161_6161_6161)
        for byte in 0...255 {
            for place in 0..<8 {
                let word = plain & ~(UInt64(0xFF) << (place * 8)) | UInt64(byte) << (place * 8)
                let expected = byte < 0x20 || byte == 0x22 || byte == 0x5C
                #expect(JSONWriter.needsEscaping(word) == expected, "byte \(byte) at \(place)")
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
}
