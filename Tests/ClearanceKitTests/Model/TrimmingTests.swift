import ClearanceWorkload
import Testing

@testable import ClearanceKit

@Suite("String.trimmingSpaces")
struct TrimmingTests {
    @Test(
        "trims spaces, tabs and other space separators at both ends, nothing inside",
        arguments: [
            ("plain", "plain"), ("  padded  ", "padded"), ("\tTab\t", "Tab"), ("\u{A0}5 kg\u{A0}", "5 kg"), ("\u{3000}全角\u{3000}", "全角"),
            ("   ", ""), ("", ""), ("a b", "a b"), ("line\n", "line\n"), (" x", "x"), ("é ", "é"),
        ])
    func trims(input: String, output: String) {
        #expect(input.trimmingSpaces == output)
        #expect(String(Substring(input).trimmingSpaces) == output)
    }
}

@Suite("String helpers for the hot paths")
struct StringHelperTests {
    @Test("validatingUTF8Bytes agrees with String(validating:) on ASCII, UTF-8 and broken bytes")
    func validatingUTF8Bytes() {
        var random = SplitMix64(seed: 7)
        let samples: [[UInt8]] = [
            [], Array("Summit Ltd.".utf8), Array("稀土 Dy=2.5%".utf8), [0x41, 0x80], [0xE2, 0x82], [0xC0, 0xAF], [0x7F],
        ]
        var cases = samples
        for _ in 0..<500 {
            let count = Int(random.next() % 12)
            // Mostly ASCII, sometimes a high byte, so that valid and invalid multi-byte runs both occur.
            cases.append((0..<count).map { _ in random.next() % 4 == 0 ? UInt8(0x80 + random.next() % 0x80) : UInt8(random.next() % 0x80) })
        }
        for bytes in cases {
            let slice = ([0x20] + bytes + [0x20])[1..<(bytes.count + 1)]
            #expect(String(validatingUTF8Bytes: slice) == String(validating: slice, as: UTF8.self), "\(bytes)")
        }
    }

    @Test(
        "caseFolded is lowercased(), and keeps the same text when there is nothing to fold",
        arguments: ["military", "Military", "MILITARY-Grade", "", "semi-conductors 14nm", "Äquivalent", "ǅ", "İstanbul"])
    func caseFolded(text: String) {
        #expect(text.caseFolded == text.lowercased())
    }

    @Test("caseFolded is lowercased() for every ASCII byte at every place of texts up to 17 bytes (small strings and others)")
    func caseFoldedEveryPlace() {
        for value in 0...127 {
            for length in 1...17 {
                for place in 0..<length {
                    var bytes = [UInt8](repeating: UInt8(ascii: "m"), count: length)
                    bytes[place] = UInt8(value)
                    // Made at run time, as order fields are: texts of up to 15 bytes are held in the string.
                    let text = String(decoding: bytes, as: UTF8.self)
                    #expect(Array(text.caseFolded.utf8) == Array(text.lowercased().utf8), "byte \(value), length \(length)")
                }
            }
        }
    }

    @Test("hasCapitalOrNonASCII finds what a byte-by-byte test finds: every byte value, at every place of texts up to 17 bytes")
    func capitalsAndNonASCII() {
        for value in 0...255 {
            let byte = UInt8(value)
            let expected = byte >= 0x80 || (0x41...0x5A).contains(byte)
            for length in 1...17 {
                for place in 0..<length {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    bytes[place] = byte
                    #expect(bytes.withUnsafeBufferPointer(ByteWord.hasCapitalOrNonASCII) == expected, "byte \(value), length \(length)")
                }
            }
        }
        #expect(![UInt8]().withUnsafeBufferPointer(ByteWord.hasCapitalOrNonASCII))
    }

    @Test("isASCIIWithoutNUL finds what a byte-by-byte test finds: every byte value, at every place of every length to 17")
    func asciiWithoutNUL() {
        for value in 0...255 {
            let byte = UInt8(value)
            let expected = byte != 0 && byte < 0x80
            for length in 1...17 {
                for place in 0..<length {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    bytes[place] = byte
                    let found = bytes.withUnsafeBufferPointer(ByteWord.isASCIIWithoutNUL)
                    #expect(found == expected, "byte \(value), length \(length), place \(place)")
                }
            }
        }
        #expect([UInt8]().withUnsafeBufferPointer(ByteWord.isASCIIWithoutNUL))
    }

    @Test("firstIndex(of:or:from:) finds what a byte-by-byte search finds, and ORs the bytes before it (5,000 buffers)")
    func firstIndexOfEither() {
        var generator = SystemRandomNumberGenerator()
        // Commas, newlines and their neighbours (0x2B, 0x2D, 0x09, 0x0B), high bytes and NUL, at
        // every place of an eight-byte word.
        let alphabet: [UInt8] = [0x2C, 0x0A, 0x2B, 0x2D, 0x09, 0x0B, 0x00, 0x80, 0xFF, 0x41, 0x61, 0x20]
        for _ in 0..<5_000 {
            let bytes = (0..<Int.random(in: 0...40, using: &generator)).map { _ in
                Int.random(in: 0..<4, using: &generator) == 0 ? alphabet.randomElement(using: &generator) ?? 0 : UInt8(ascii: "x")
            }
            let start = Int.random(in: 0...bytes.count, using: &generator)
            let expectedIndex = bytes[start...].firstIndex { $0 == 0x2C || $0 == 0x0A } ?? bytes.count
            let expectedBits = bytes[start..<expectedIndex].reduce(0, |)
            let (index, bits) = bytes.withUnsafeBufferPointer { $0.firstIndex(of: 0x2C, or: 0x0A, from: start) }
            #expect(index == expectedIndex, "\(bytes) from \(start)")
            #expect(bits == expectedBits, "\(bytes) from \(start)")
        }
    }

    @Test(
        "containsNUL finds a NUL anywhere, in native and bridged text",
        arguments: ["", "a", "\u{0}", "ab\u{0}", "\u{0}cd", "稀土\u{0}x", "no nul here"])
    func containsNUL(text: String) {
        #expect(text.containsNUL == text.utf8.contains(0))
        #expect(String(Substring(text)).containsNUL == text.utf8.contains(0))
    }

    @Test("String(concatenating:) is the parts joined: empty, small and long parts, non-ASCII, listed or in an array (2,000 random lists)")
    func concatenating() {
        let samples = [
            "", "a", " '", "customer", "zenith components 12923 s.a.", "稀土永磁", "é", "Ä\u{0301}", String(repeating: "x", count: 40),
        ]
        #expect(String(concatenating: "") == "")
        #expect(
            String(concatenating: "supplier '", "Summit Magnetics 22 Ltd.", "' is not in the party register")
                == "supplier 'Summit Magnetics 22 Ltd.' is not in the party register")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let parts = (0..<Int.random(in: 1...7, using: &generator)).map { _ in samples.randomElement(using: &generator) ?? "" }
            // Up to seven parts, passed as the call sites pass them (the variadic list).
            let made: String
            switch parts.count {
            case 1: made = String(concatenating: parts[0])
            case 2: made = String(concatenating: parts[0], parts[1])
            case 3: made = String(concatenating: parts[0], parts[1], parts[2])
            case 4: made = String(concatenating: parts[0], parts[1], parts[2], parts[3])
            case 5: made = String(concatenating: parts[0], parts[1], parts[2], parts[3], parts[4])
            case 6: made = String(concatenating: parts[0], parts[1], parts[2], parts[3], parts[4], parts[5])
            default: made = String(concatenating: parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6])
            }
            #expect(made == parts.joined(), "\(parts)")
            #expect(String(concatenating: parts) == parts.joined(), "\(parts)")
            #expect(Array(made.utf8) == Array(parts.joined().utf8), "\(parts)")
        }
    }
}

@Suite("Condition")
struct ConditionShapeTests {
    static func leaf(_ name: String) -> Condition {
        .leaf(Leaf(field: .endUse, op: .eq, operands: [.text(name)], text: name, source: SourceLocation(file: "f", line: 1, column: 1)))
    }

    @Test("firstLeaf is the first of leaves, through all, any and not")
    func firstLeaf() {
        let shapes: [Condition] = [
            Self.leaf("a"), .all([Self.leaf("a"), Self.leaf("b")]), .any([.all([]), .not(Self.leaf("c")), Self.leaf("d")]),
            .all([.any([]), .not(.all([]))]), .not(.any([.all([Self.leaf("e")]), Self.leaf("f")])),
        ]
        for shape in shapes {
            #expect(shape.firstLeaf?.text == shape.leaves.first?.text)
        }
        #expect(shapes[4].firstLeaf?.text == "e")
        #expect(shapes[3].firstLeaf == nil)
    }
}
