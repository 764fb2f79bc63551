import Foundation
import Testing

@testable import ClearanceKit

@Suite("Small ASCII strings")
struct SmallASCIIStringTests {
    /// Random ASCII bytes, control characters, quotes and backslashes included.
    static func randomASCII(count: Int, _ generator: inout some RandomNumberGenerator) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...0x7F, using: &generator) }
    }

    #if os(Linux) && arch(x86_64)
        @Test("the layout check holds where the layout is known (else every caller takes the general path)")
        func supportedHere() {
            #expect(SmallASCIIString.isSupported)
        }
    #endif

    @Test(
        "a string made from up to 15 ASCII bytes is the standard library's string of them, bit for bit; none from more or from other bytes")
    func makeMatchesStandard() throws {
        try #require(SmallASCIIString.isSupported)
        var generator = SystemRandomNumberGenerator()
        for count in 0...20 {
            for _ in 0..<50 {
                let bytes = Self.randomASCII(count: count, &generator)
                let standard = String(decoding: bytes, as: UTF8.self)
                let made = bytes.withUnsafeBufferPointer(SmallASCIIString.make)
                if count <= 15 {
                    let text = try #require(made, "\(bytes)")
                    #expect(text == standard)
                    #expect(Array(text.utf8) == bytes)
                    #expect(unsafeBitCast(text, to: (UInt64, UInt64).self) == unsafeBitCast(standard, to: (UInt64, UInt64).self))
                } else {
                    #expect(made == nil)
                }
            }
        }
        // A byte from 0x80 at any place: not ASCII, not made here.
        for count in 1...15 {
            for place in 0..<count {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: count)
                bytes[place] = 0xC3
                #expect(bytes.withUnsafeBufferPointer(SmallASCIIString.make) == nil, "\(count) \(place)")
            }
        }
    }

    @Test("a small ASCII string's words hold its bytes in order, then zeros; other strings have none")
    func wordsHoldTheBytes() throws {
        try #require(SmallASCIIString.isSupported)
        var generator = SystemRandomNumberGenerator()
        for count in 0...15 {
            let bytes = Self.randomASCII(count: count, &generator)
            let text = String(decoding: bytes, as: UTF8.self)
            let (low, high, length) = try #require(SmallASCIIString.words(text))
            #expect(length == count)
            let stored = withUnsafeBytes(of: low.littleEndian) { Array($0) } + withUnsafeBytes(of: high.littleEndian) { Array($0) }
            #expect(stored == bytes + [UInt8](repeating: 0, count: 16 - count), "\(bytes)")
        }
        for other in [
            "é", "金力", String(repeating: "a", count: 16), String(decoding: Array("a longer text of many bytes".utf8), as: UTF8.self),
        ] {
            #expect(SmallASCIIString.words(other) == nil, "\(other)")
        }
    }

    @Test("JSON strings of up to 16 bytes, a character to escape at every place, are written as JSONEncoder writes them")
    func jsonOfSmallStrings() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let specials: [UInt8] = [0x00, 0x01, 0x08, 0x09, 0x0A, 0x0C, 0x0D, 0x1F, 0x22, 0x5C, 0x2F, 0x7F]
        for count in 0...16 {
            var texts = [String(repeating: "x", count: count)]
            for place in 0..<count {
                for special in specials {
                    var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: count)
                    bytes[place] = special
                    texts.append(String(decoding: bytes, as: UTF8.self))
                }
            }
            for text in texts {
                var writer = JSONWriter(pretty: false)
                writer.string(text)
                let expected = String(decoding: try encoder.encode(text), as: UTF8.self)
                #expect(String(decoding: writer.bytes, as: UTF8.self) == expected, "\(Array(text.utf8))")
            }
        }
    }
}
