import Testing

@testable import ClearanceKit

@Suite("JSON parser")
struct JSONParserTests {
    func parse(_ bytes: [UInt8]) throws(JSONParser.Failure) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        return try parser.parseDocument()
    }

    func failure(_ bytes: [UInt8]) -> JSONParser.Failure? {
        do {
            _ = try parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    func strings(_ value: JSONValue) -> [String]? {
        guard case .array(let items) = value else { return nil }
        return items.map { item in
            if case .string(let text) = item { text } else { "(not a string)" }
        }
    }

    @Test("strings: escapes, surrogate pairs and non-ASCII text read as written")
    func stringContents() throws {
        let text = #"["plain", "a\"b\\c\/d", "\b\f\n\r\t", "caf\u00e9", "\ud83d\ude00", "江西金力", "é then \n", ""]"#
        let value = try parse(Array(text.utf8))
        #expect(strings(value) == ["plain", "a\"b\\c/d", "\u{8}\u{C}\n\r\t", "café", "😀", "江西金力", "é then \n", ""])
    }

    @Test("strings: malformed ones fail where they go wrong")
    func stringFailures() {
        let cases: [(bytes: [UInt8], message: String, column: Int)] = [
            (Array(#"["abc"#.utf8), "unterminated string", 6),
            (Array("[\"a\nb\"]".utf8), "unterminated string", 4),
            ([0x5B, 0x22, 0x61, 0x01, 0x22, 0x5D], "control character in string", 4),
            (Array(#"["\x"]"#.utf8), "invalid escape in string", 5),
            (Array(#"["\ud800 "]"#.utf8), "unpaired surrogate in string", 9),
            (Array(#"["\u12"]"#.utf8), #"invalid \u escape"#, 7),
            ([0x5B, 0x22, 0x61, 0xFF, 0x22, 0x5D], "string is not valid UTF-8", 6),
        ]
        for (bytes, message, column) in cases {
            let failure = failure(bytes)
            #expect(failure?.message == message, "\(bytes)")
            #expect(failure?.line == 1, "\(bytes)")
            #expect(failure?.column == column, "\(bytes)")
        }
    }

    @Test("literals and duplicate keys, in small objects and past sixteen keys")
    func literalsAndKeys() throws {
        #expect(failure(Array("[nul]".utf8))?.message == "invalid literal; expected 'null'")
        guard case .array(let items) = try parse(Array("[true, false, null]".utf8)) else {
            Issue.record("not an array")
            return
        }
        #expect(items.count == 3)
        if case .bool(let flag) = items[0] { #expect(flag) } else { Issue.record("true is not a bool") }
        let keys = (1...17).map { "\"k\($0)\": \($0)" }
        let wide = "{" + keys.joined(separator: ", ") + "}"
        guard case .object(let members) = try parse(Array(wide.utf8)) else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == (1...17).map { "k\($0)" })
        for duplicate in [3, 17] {
            let text = "{" + keys.joined(separator: ", ") + ", \"k\(duplicate)\": 0}"
            #expect(failure(Array(text.utf8))?.message == "duplicate key 'k\(duplicate)'")
        }
        #expect(failure(Array(#"{"a": 1, "b": 2, "a": 3}"#.utf8))?.message == "duplicate key 'a'")
    }

    @Test("array elements: positioned, checked whole, and read again one by one with the same positions")
    func arrayElements() throws {
        let text = "[{\"id\": \"A\", \"customer\": \"x\"},\n  {\"id\": \"B\",\n   \"quantity\": \"1 t\"}, 7]"
        let bytes = Array(text.utf8)
        var parser = JSONParser(bytes: bytes)
        let elements = try #require(try parser.arrayElements())
        #expect(elements.map(\.line) == [1, 2, 3])
        #expect(elements.map(\.column) == [2, 3, 24])
        var whole = JSONParser(bytes: bytes)
        guard case .array(let items) = try whole.parseDocument(), case .object(let second) = items[1] else {
            Issue.record("not an array of objects")
            return
        }
        var one = JSONParser(bytes: bytes, range: elements[1].range, line: elements[1].line, column: elements[1].column)
        guard case .object(let alone) = try one.parseValue(depth: 1) else {
            Issue.record("the element is not an object")
            return
        }
        #expect(alone.map { [$0.line, $0.column] } == second.map { [$0.line, $0.column] })
        #expect(alone.map { [$0.line, $0.column] } == [[2, 4], [3, 4]])
        var object = JSONParser(bytes: Array(#"{"id": "A"}"#.utf8))
        #expect(try object.arrayElements()?.count == nil)
        var trailing = JSONParser(bytes: Array("[1] x".utf8))
        #expect(throws: JSONParser.Failure.self) { try trailing.arrayElements() }
    }
}
