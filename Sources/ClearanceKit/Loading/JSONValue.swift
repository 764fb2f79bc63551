/// A JSON value as the order readers need it: numbers kept as their exact text, objects with
/// their keys in order, and positions on every value.
///
/// Foundation's `JSONSerialization` and `JSONDecoder` turn numbers into `Double` (so `2.3`
/// is no longer exactly 2.3%) and keep only the last of duplicate keys; a compliance check must
/// do neither, so order files are read by this small parser.
indirect enum JSONValue {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(key: String, value: JSONValue, line: Int, column: Int)])

    var shapeName: String {
        switch self {
        case .string: "a string"
        case .number: "a number"
        case .bool: "true/false"
        case .null: "null"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// A recursive-descent JSON parser over bytes with 1-based line and column tracking.
struct JSONParser {
    struct Failure: Error {
        var message: String
        var line: Int
        var column: Int
    }

    private let bytes: [UInt8]
    private var index: Int
    private let end: Int
    private(set) var line: Int
    private var lineStart: Int
    private let maximumDepth: Int

    /// - Parameter column: the 1-based column of the first byte (for bytes cut from a line).
    init(bytes: [UInt8], range: Range<Int>? = nil, line: Int = 1, column: Int = 1, maximumDepth: Int = 100) {
        self.bytes = bytes
        index = range?.lowerBound ?? 0
        end = range?.upperBound ?? bytes.count
        self.line = line
        lineStart = index - (column - 1)
        self.maximumDepth = maximumDepth
        if end - index >= 3, bytes[index] == 0xEF, bytes[index + 1] == 0xBB, bytes[index + 2] == 0xBF { index += 3; lineStart = index }
    }

    /// Where one element of a top-level array is: its bytes and the position of its first byte.
    struct Element: Sendable {
        var range: Range<Int>
        var line: Int
        var column: Int
    }

    /// The elements of a document that is an array, each parsed (so that the whole document is
    /// known to be well formed, with the errors and positions of `parseDocument`) but not kept:
    /// the elements are parsed again from their bytes, one at a time, on any thread.
    /// - Returns: nil when the document does not start with `[` (`parseDocument` tells what it is).
    mutating func arrayElements() throws(Failure) -> [Element]? {
        skipWhitespace()
        guard index < end, bytes[index] == UInt8(ascii: "[") else { return nil }
        var elements: [Element] = []
        try walkArray { parser throws(Failure) in
            let (start, line, column) = (parser.index, parser.line, parser.column)
            _ = try parser.parseValue(depth: 1)
            elements.append(Element(range: start..<parser.index, line: line, column: column))
        }
        skipWhitespace()
        if index < end { throw fail("unexpected text after the JSON value") }
        return elements
    }

    var column: Int { index - lineStart + 1 }

    private func fail(_ message: String) -> Failure { Failure(message: message, line: line, column: column) }

    /// Parses one value and checks that only whitespace follows.
    mutating func parseDocument() throws(Failure) -> JSONValue {
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        if index < end { throw fail("unexpected text after the JSON value") }
        return value
    }

    /// The position where the next value starts (after whitespace).
    mutating func position() -> (line: Int, column: Int) {
        skipWhitespace()
        return (line, column)
    }

    private mutating func skipWhitespace() {
        while index < end {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D: index += 1
            case 0x0A:
                index += 1
                line += 1
                lineStart = index
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(Failure) -> JSONValue {
        guard depth < maximumDepth else { throw fail("JSON nested deeper than \(maximumDepth) levels (limit --max-depth)") }
        guard index < end else { throw fail("unexpected end of JSON") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw fail("unexpected character '\(String(decoding: [bytes[index]], as: UTF8.self))'")
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard end - index >= count,
            bytes[index..<index + count].elementsEqual(UnsafeBufferPointer(start: word.utf8Start, count: count))
        else {
            throw fail("invalid literal; expected '\(word)'")
        }
        index += count
    }

    private mutating func parseNumber() throws(Failure) -> String {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        func digits() -> Int {
            let from = index
            while index < end, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
            return index - from
        }
        guard digits() > 0 else { throw fail("invalid number") }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw fail("invalid number") }
        }
        if index < end, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw fail("invalid number") }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func parseString() throws(Failure) -> String {
        index += 1
        // Most strings are ASCII without escapes: their bytes are the string. Validating and
        // copying byte by byte through a buffer was most of the time spent reading a JSON order.
        let start = index
        var bits: UInt8 = 0
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") && bits < 0x80 {
                index += 1
                return String(decoding: bytes[start..<index - 1], as: UTF8.self)
            }
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            bits |= byte
            index += 1
        }
        // Anything else is read again from the start, byte by byte.
        index = start
        var out: [UInt8] = []
        while index < end {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: out, as: UTF8.self) else { throw fail("string is not valid UTF-8") }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                guard index < end else { throw fail("unterminated string") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard end - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw fail("unpaired surrogate in string")
                        }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw fail("unpaired surrogate in string") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(unicode)).utf8))
                default: throw fail("invalid escape in string")
                }
            case 0x00..<0x20:
                throw fail(byte == 0x0A ? "unterminated string" : "control character in string")
            default:
                out.append(byte)
                index += 1
            }
        }
        throw fail("unterminated string")
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard end - index >= 4 else { throw fail("invalid \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case 48...57: digit = byte - 48
            case 65...70: digit = byte - 55
            case 97...102: digit = byte - 87
            default: throw fail("invalid \\u escape")
            }
            value = value * 16 + UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func parseArray(depth: Int) throws(Failure) -> JSONValue {
        var items: [JSONValue] = []
        try walkArray { parser throws(Failure) in items.append(try parser.parseValue(depth: depth + 1)) }
        return .array(items)
    }

    /// Reads an array from its `[` to its `]`, handing the parser to `element` where each
    /// element starts, to read it.
    private mutating func walkArray(_ element: (inout JSONParser) throws(Failure) -> Void) throws(Failure) {
        index += 1
        skipWhitespace()
        if index < end, bytes[index] == UInt8(ascii: "]") { index += 1; return }
        while true {
            skipWhitespace()
            try element(&self)
            skipWhitespace()
            guard index < end else { throw fail("unterminated array") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return }
            throw fail("expected ',' or ']' in array")
        }
    }

    private mutating func parseObject(depth: Int) throws(Failure) -> JSONValue {
        index += 1
        var members: [(key: String, value: JSONValue, line: Int, column: Int)] = []
        // Keys are compared with those before them while there are few (an order has about ten:
        // a set for each object cost more than the rest of reading it), in a set past that.
        var seen: Set<String> = []
        func isNew(_ key: String) -> Bool {
            if members.count < 16 { return !members.contains { $0.key == key } }
            if seen.isEmpty { seen = Set(members.map(\.key)) }
            return seen.insert(key).inserted
        }
        skipWhitespace()
        if index < end, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard index < end, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a key in double quotes") }
            let (keyLine, keyColumn) = (line, column)
            let key = try parseString()
            guard isNew(key) else {
                throw Failure(message: "duplicate key '\(key)'", line: keyLine, column: keyColumn)
            }
            skipWhitespace()
            guard index < end, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
            index += 1
            skipWhitespace()
            members.append((key, try parseValue(depth: depth + 1), keyLine, keyColumn))
            skipWhitespace()
            guard index < end else { throw fail("unterminated object") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            throw fail("expected ',' or '}' in object")
        }
    }
}
