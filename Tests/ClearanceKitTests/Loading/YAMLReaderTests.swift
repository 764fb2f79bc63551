import Testing

@testable import ClearanceKit

@Suite("YAMLReader")
struct YAMLReaderTests {
    func read(_ text: String, limits: InputLimits = InputLimits()) throws(YAMLReader.Problem) -> [YAMLNode] {
        try YAMLReader(limits: limits).documents(in: Array(text.utf8), file: "f.yaml")
    }

    func problem(_ text: String, limits: InputLimits = InputLimits()) -> YAMLReader.Problem? {
        do {
            _ = try read(text, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test(
        "every scalar stays text: no YAML 1.1 booleans, octals or timestamps",
        arguments: ["NO", "yes", "off", "030211", "0x1F", "2025-04-04", "1e3", "~x", "0.1%", "null-ish"])
    func scalarsAreText(value: String) throws {
        let documents = try read("key: \(value)\n")
        guard case .mapping(let pairs) = documents[0].content else {
            Issue.record("not a mapping")
            return
        }
        #expect(pairs[0].value.scalar == value)
    }

    @Test("keys and scalars carry 1-based line and column")
    func positions() throws {
        let documents = try read("a:\n  bee: [x, yy]\n")
        guard case .mapping(let pairs) = documents[0].content, case .mapping(let inner) = pairs[0].value.content,
            case .sequence(let items) = inner[0].value.content
        else {
            Issue.record("unexpected shape")
            return
        }
        #expect(inner[0].key.location == SourceLocation(file: "f.yaml", line: 2, column: 3))
        #expect(items[1].location == SourceLocation(file: "f.yaml", line: 2, column: 12))
    }

    @Test("a duplicate key is rejected at its second occurrence")
    func duplicateKey() {
        let found = problem("id: a\nname: x\nid: b\n")
        #expect(found?.kind == .duplicateKey)
        #expect(found?.message == "duplicate key 'id'")
        #expect(found?.location.line == 3)
        #expect(found?.location.column == 1)
    }

    @Test(
        "a duplicate key is found in mappings of any size, scanned or hashed",
        arguments: [
            (keys: 3, repeated: 0), (keys: 15, repeated: 14), (keys: 16, repeated: 3), (keys: 40, repeated: 0), (keys: 40, repeated: 39),
        ])
    func duplicateKeyInLargeMapping(keys: Int, repeated: Int) throws {
        let lines = (0..<keys).map { "k\($0): v" } + ["k\(repeated): again"]
        let found = problem(lines.joined(separator: "\n") + "\n")
        #expect(found?.kind == .duplicateKey)
        #expect(found?.message == "duplicate key 'k\(repeated)'")
        #expect(found?.location.line == keys + 1)
        // Without the repeated key the same mapping reads, every key once.
        let unique = try YAMLReader().documents(in: Array((lines.dropLast().joined(separator: "\n") + "\n").utf8), file: "f.yaml")
        guard case .mapping(let pairs)? = unique.first?.content else {
            Issue.record("expected a mapping")
            return
        }
        #expect(pairs.count == keys)
    }

    @Test("merge keys are refused")
    func mergeKeys() {
        let found = problem("base: &b {x: 1}\nother:\n  <<: *b\n")
        #expect(found?.kind == .unsupported)
        #expect(found?.message == "merge keys ('<<') are not supported")
        #expect(found?.location == SourceLocation(file: "f.yaml", line: 3, column: 3))
        // Other two-character keys, and '<<' quoted (text, not the merge key), read as keys.
        #expect(problem("<a: 1\na<: 2\nid: 3\n'<<': 4\n") == nil)
    }

    @Test(
        "YAML's nulls are the empty plain value, ~, null, Null and NULL; nothing else",
        arguments: [
            ("", true), ("~", true), ("null", true), ("Null", true), ("NULL", true), ("'null'", false), ("\"~\"", false), ("''", false),
            ("nul", false), ("nulls", false), ("NuLL", false), ("~~", false), ("x", false), ("none", false),
        ])
    func nulls(value: String, isNull: Bool) throws {
        let documents = try read("key: \(value)\n")
        guard case .mapping(let pairs) = documents[0].content else {
            Issue.record("not a mapping")
            return
        }
        #expect(pairs[0].value.isNull == isNull)
    }

    @Test("tags other than !!str are refused", arguments: ["!!python/object:os.system x", "!!int 3", "!custom x"])
    func tags(value: String) {
        #expect(problem("key: \(value)\n")?.kind == .unsupported)
    }

    @Test("aliases work within the budget and are shared")
    func aliases() throws {
        let documents = try read("a: &x [1, 2]\nb: *x\n")
        guard case .mapping(let pairs) = documents[0].content else { return }
        #expect(pairs[1].value.index == pairs[0].value.index)
        #expect(pairs[1].value.size == 3)
    }

    @Test("keys that are the same text in another Unicode form are duplicates, in small and large mappings", arguments: [1, 20])
    func canonicallyEquivalentKeys(before: Int) {
        let lines = (0..<before).map { "k\($0): v" } + ["caf\u{E9}: 1", "cafe\u{301}: 2"]
        let found = problem(lines.joined(separator: "\n") + "\n")
        #expect(found?.kind == .duplicateKey)
        #expect(found?.location.line == before + 2)
    }

    @Test("scalars keep their exact text: escapes, non-ASCII letters, empty and quoted values")
    func scalarText() throws {
        let documents = try read("a: \"tab\\there\\u00e9\"\nb: 江西金力\nc: ''\nd:\ne: 'it''s'\n")
        guard case .mapping(let pairs) = documents[0].content else {
            Issue.record("not a mapping")
            return
        }
        #expect(pairs.map { $0.key.scalar } == ["a", "b", "c", "d", "e"])
        #expect(pairs.map { $0.value.scalar } == ["tab\there\u{E9}", "江西金力", "", "", "it's"])
        #expect(pairs.map(\.value.isNull) == [false, false, false, true, false])
        #expect(pairs.map(\.value.isPlain) == [false, true, false, true, false])
    }

    @Test("a collection used as a key is refused where it starts; an alias key is placed where the alias is")
    func keyPositions() {
        let collection = problem("x: 1\n? [a, b]\n: v\n")
        #expect(collection?.message == "a mapping key must be text, not a list")
        #expect(collection?.location == SourceLocation(file: "f.yaml", line: 2, column: 3))
        let alias = problem("x: &k id\nm:\n  id: 1\n  *k : 2\n")
        #expect(alias?.message == "duplicate key 'id'")
        #expect(alias?.location == SourceLocation(file: "f.yaml", line: 4, column: 3))
    }

    @Test("nested collections keep their items in order, whatever closes between them")
    func nestedOrder() throws {
        let documents = try read("- [1, [2, 3], {k: [4]}, 5]\n- {a: {b: [6, 7]}, c: 8}\n")
        guard case .sequence(let top) = documents[0].content, case .sequence(let first) = top[0].content,
            case .mapping(let second) = top[1].content
        else {
            Issue.record("unexpected shape")
            return
        }
        #expect(first.count == 4)
        #expect(first[0].scalar == "1" && first[3].scalar == "5")
        if case .sequence(let inner) = first[1].content { #expect(inner.map(\.scalar) == ["2", "3"]) } else { Issue.record("no list") }
        #expect(second.map(\.key.scalar) == ["a", "c"])
        #expect(second[1].value.scalar == "8")
        #expect(documents[0].size == 20)
    }

    @Test("a billion-laughs file fails fast on the alias budget")
    func billionLaughs() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        let found = problem(text)
        #expect(found?.kind == .limit)
        #expect(found?.message.contains("aliases expand to more than") == true)
    }

    @Test("nesting deeper than the limit is refused")
    func depth() {
        var limits = InputLimits()
        limits.maximumDepth = 5
        #expect(problem(String(repeating: "[", count: 6) + String(repeating: "]", count: 6), limits: limits)?.kind == .limit)
        #expect(problem(String(repeating: "[", count: 5) + String(repeating: "]", count: 5), limits: limits) == nil)
    }

    @Test("a syntax error names its position")
    func syntax() {
        let found = problem("a: [1, 2\nb: 3\n")
        #expect(found?.kind == .syntax)
        #expect(found?.location.line == 2)
    }

    @Test("an undefined alias is an error")
    func undefinedAlias() {
        #expect(problem("a: *nope\n")?.message.contains("names no anchor") == true)
    }

    @Test("multi-document files give one node per non-empty document")
    func documents() throws {
        let documents = try read("a: 1\n---\nb: [2, 3]\n---\n")
        #expect(documents.count == 2)
        guard case .mapping(let first) = documents[0].content, case .mapping(let second) = documents[1].content,
            case .sequence(let items) = second[0].value.content
        else {
            Issue.record("unexpected shape")
            return
        }
        #expect(first[0].key.scalar == "a" && first[0].value.scalar == "1")
        #expect(second[0].key.location == SourceLocation(file: "f.yaml", line: 3, column: 1))
        #expect(items.map(\.scalar) == ["2", "3"])
    }

    @Test("an anchor belongs to its document: a later document cannot alias it")
    func anchorsPerDocument() {
        let found = problem("a: &x [1]\n---\nb: *x\n")
        #expect(found?.message == "alias '*x' names no anchor defined before it")
        #expect(found?.location.line == 3)
    }
}
