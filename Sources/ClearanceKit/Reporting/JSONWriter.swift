/// Writes JSON straight into bytes, in exactly the layout Foundation's `JSONEncoder` gives with
/// `.sortedKeys` and `.withoutEscapingSlashes` (and `.prettyPrinted` when `pretty`); callers
/// write keys in sorted order.
///
/// Hand-written because the reports of a million lines spent a third of their time in
/// `JSONEncoder` (W1 benchmark, perf); `JSONWriterTests` compares both byte for byte.
struct JSONWriter {
    var bytes: [UInt8] = []
    let pretty: Bool
    private var depth: Int
    /// Per open container: whether it has an element yet.
    private var hasElements: [Bool] = []

    init(pretty: Bool, depth: Int = 0) {
        self.pretty = pretty
        self.depth = depth
    }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Starts a member of the open object; the value follows.
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        // Byte by byte: an array literal here was an allocation per key.
        bytes.append(UInt8(ascii: "\""))
        if pretty { bytes.append(0x20) }
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(0x20) }
    }

    /// A member with a text (or null) value.
    mutating func member(_ name: StaticString, _ text: String?) {
        key(name)
        string(text)
    }

    /// A member with a source location (`file:line:column`, as its description) or null,
    /// written without building the description.
    mutating func member(_ name: StaticString, _ location: SourceLocation?) {
        key(name)
        guard let location else { return null() }
        bytes.append(UInt8(ascii: "\""))
        escaped(location.file)
        bytes.append(UInt8(ascii: ":"))
        integer(location.line)
        bytes.append(UInt8(ascii: ":"))
        integer(location.column)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A member with an integer value.
    mutating func member(_ name: StaticString, _ value: Int) {
        key(name)
        integer(value)
    }

    /// Starts an element of the open array; the value follows.
    mutating func element() { separate() }

    mutating func string(_ text: String?) {
        guard let text else { return null() }
        bytes.append(UInt8(ascii: "\""))
        escaped(text)
        bytes.append(UInt8(ascii: "\""))
    }

    /// The text's characters as a JSON string holds them, without the quotes.
    private mutating func escaped(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            var start = 0
            var index = 0
            while index < utf8.count {
                // Eight bytes at a time while none needs escaping: byte by byte, escaping was 3 %
                // of the instructions per W1 line.
                if index + 8 <= utf8.count, let base = utf8.baseAddress,
                    !Self.needsEscaping(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                {
                    index += 8
                    continue
                }
                let byte = utf8[index]
                index += 1
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                let index = index - 1
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                start = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
    }

    /// Whether any of the eight bytes of `word` is a control character, a quote or a backslash
    /// (bytes from 0x80 up, parts of longer UTF-8 sequences, never are).
    static func needsEscaping(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        func hasByteBelow(_ limit: UInt64, _ word: UInt64) -> Bool { (word &- ones &* limit) & ~word & highBits != 0 }
        return hasByteBelow(0x20, word) || hasByteBelow(1, word ^ (ones &* 0x22)) || hasByteBelow(1, word ^ (ones &* 0x5C))
    }

    mutating func integer(_ value: Int) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            return unsigned(UInt(-value))
        }
        unsigned(UInt(value))
    }

    mutating func null() {
        bytes.append(0x6E)
        bytes.append(0x75)
        bytes.append(0x6C)
        bytes.append(0x6C)
    }

    private mutating func unsigned(_ value: UInt) {
        if value >= 10 { unsigned(value / 10) }
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    private mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        hasElements.append(false)
        depth += 1
    }

    private mutating func close(_ bracket: UInt8) {
        let hadElements = hasElements.removeLast()
        depth -= 1
        if pretty {
            bytes.append(0x0A)
            if !hadElements { bytes.append(0x0A) }
            indent()
        }
        bytes.append(bracket)
    }

    private mutating func separate() {
        if hasElements[hasElements.count - 1] { bytes.append(UInt8(ascii: ",")) }
        hasElements[hasElements.count - 1] = true
        if pretty {
            bytes.append(0x0A)
            indent()
        }
    }

    private mutating func indent() {
        for _ in 0..<depth { bytes.append(contentsOf: [0x20, 0x20]) }
    }
}
