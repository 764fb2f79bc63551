import Foundation
import Testing

@testable import ClearanceKit

/// The hostile-input corpus: each input with the exact error it must give — never a crash, a hang,
/// unbounded memory or a silently dropped line.
@Suite("Hostile input")
struct HostileInputTests {
    static let header = "pack: {id: h, version: '1'}\n"

    /// Loads one rule file from memory and returns its single error.
    func packError(_ text: String, limits: InputLimits = InputLimits()) throws -> PackLoadError {
        do {
            _ = try PackLoader(limits: limits).load(sources: [("rules.yaml", Array(text.utf8))], root: "h")
        } catch {
            #expect(error.errors.count == 1, "\(error.errors.map(\.description))")
            return try #require(error.errors.first)
        }
        Issue.record("loaded")
        throw CancellationError()
    }

    static var billionLaughs: String {
        var text = header + "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        return text
    }

    @Test(
        "rule files: each hostile input gives its exact error",
        arguments: [
            (billionLaughs, PackLoadError.Code.yamlLimit, "aliases expand to more than 100000 nodes (limit --max-alias-nodes)"),
            (
                header + "x: " + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "\n", .yamlLimit,
                "nesting deeper than 200 levels (limit --max-depth)"
            ),
            (header + "lists:\n  - {id: l, id: m, verdict: deny}\n", .duplicateKey, "duplicate key 'id'"),
            (
                header + "lists:\n  - !!python/object/apply:os.system [ls]\n", .unsupportedYAML,
                "YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not supported"
            ),
            (header + "base: &b {verdict: deny}\nlists:\n  - <<: *b\n    id: l\n", .unsupportedYAML, "merge keys ('<<') are not supported"),
            (header + "lists: &l []\n---\nparties: *l\n", .yamlSyntax, "alias '*l' names no anchor defined before it"),
            (header + "lists:\n  - {id: l, verdict: yes}\n", .badValue, "'yes' is not a verdict allowed in list 'l'"),
            (
                header + "categories:\n  - {id: c, control: licence, when: {hs_code: {prefix: 0x1F}}}\n", .badValue,
                "'0x1F' in 'hs_code: prefix' in category 'c' is not an HS code"
            ),
            (header + "lists:\n  - {id: \"a\u{0}b\", verdict: deny}\n", .yamlSyntax, "control characters are not allowed"),
        ])
    func ruleFiles(text: String, code: PackLoadError.Code, message: String) throws {
        let error = try packError(text)
        #expect(error.code == code)
        #expect(error.message.hasPrefix(message), "\(error.message)")
        #expect(error.location.line >= 1 && error.location.column >= 1)
    }

    @Test("YAML 1.1 traps stay text: NO is Norway, 030211 an HS prefix")
    func yamlTraps() throws {
        let pack = try PackLoader().load(
            sources: [
                (
                    "r.yaml",
                    Array(
                        (Self.header
                            + "country_groups: {nordic: [NO]}\ncategories:\n  - {id: c, control: review, when: {hs_code: {prefix: 030211}}}\n")
                            .utf8)
                )
            ],
            root: "h")
        #expect(pack.countryGroups["nordic"]?.members == ["NO"])
        #expect(pack.categories[0].condition.leaves[0].operands == [.text("030211")])
    }

    @Test("invalid UTF-8 in a rule file is a positioned error")
    func invalidUTF8() throws {
        let bytes = Array((Self.header + "lists:\n  - {id: l").utf8) + [0xC3, 0x28] + Array(", verdict: deny}\n".utf8)
        do {
            _ = try PackLoader().load(sources: [("r.yaml", bytes)], root: "h")
            Issue.record("loaded")
        } catch {
            #expect(error.errors.first?.code == .yamlSyntax)
            #expect(error.errors.first?.location.line == 3)
            #expect(error.errors.first?.location.column == 12)
            #expect(error.errors.first?.message.hasSuffix("invalid trailing UTF-8 octet at byte offset 46") == true, "\(error.errors)")
        }
    }

    @Test("a rule file over the size limit names the limit and its flag")
    func ruleFileSize() throws {
        var limits = InputLimits()
        limits.maximumRuleFileBytes = 20
        let error = try packError(Self.header + "lists: []\n", limits: limits)
        #expect(error.message == "rule file is 38 bytes, more than the limit of 20 (--max-rule-file-size)")
    }

    func records(_ bytes: [UInt8], _ format: OrderFormat, limits: InputLimits = InputLimits()) throws -> [OrderRecord] {
        Array(IteratorSequence(try OrderSource.records(bytes: bytes, file: "o", format: format, limits: limits)))
    }

    @Test("a 10 MB single CSV line is one input error, and the next line is still read")
    func hugeLine() throws {
        let huge = Array("id,note\nA,".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 10 << 20) + Array("\nB,ok\n".utf8)
        let result = try records(huge, .csv)
        #expect(result.count == 2)
        #expect(result[0].problems.map(\.message) == ["the record is 10485763 bytes, more than the limit of 1048576 (--max-line-length)"])
        #expect(result[1].id == "B" && result[1].problems.isEmpty)
        let jsonl = Array("{\"id\": \"".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 2 << 20) + Array("\"}\n{\"id\": \"B\"}\n".utf8)
        let lines = try records(jsonl, .jsonl)
        #expect(lines[0].problems.first?.message == "the line is 2097162 bytes, more than the limit of 1048576 (--max-line-length)")
        #expect(lines[1].id == "B")
    }

    @Test("unterminated quotes and ragged rows are input errors with their lines")
    func csvShapes() throws {
        let ragged = try records(Array("id,a,b\nA,1\nB,1,2,3\nC,1,2\n".utf8), .csv)
        #expect(
            ragged.map { $0.problems.first?.message } == [
                "the record has 2 fields but the header has 3", "the record has 4 fields but the header has 3", nil,
            ])
        let open = try records(Array("id,a\nA,\"open\nB,2\n".utf8), .csv)
        #expect(open.count == 1)
        #expect(
            open[0].problems.first?.message == "the quoted field starting at line 2, column 3 is never closed; lines 2–4 could not be read")
    }

    @Test("too many fields, too many composition elements")
    func fieldLimits() throws {
        var limits = InputLimits()
        limits.maximumFields = 3
        limits.maximumCompositionElements = 2
        let wide = try records(Array("a,b,c,d\n1,2,3,4\n".utf8), .csv, limits: limits)
        #expect(wide[0].problems.map(\.message).contains("the record has 4 fields, more than the limit of 3 (--max-fields)"))
        let composition = try records(Array("id,composition\nA,Dy=1%; Tb=1%; Nd=1%\n".utf8), .csv, limits: limits)
        #expect(composition[0].problems.map(\.message) == ["the composition has 3 elements, more than the limit of 2 (--max-composition)"])
    }

    @Test("JSON with duplicate keys or deep nesting cannot be read, with a position")
    func jsonShapes() {
        func error(_ text: String) -> OrderReadError? {
            do {
                _ = try records(Array(text.utf8), .json)
                return nil
            } catch let error as OrderReadError {
                return error
            } catch {
                return nil
            }
        }
        #expect(error("[{\"id\": 1, \"id\": 2}]")?.message == "invalid JSON: duplicate key 'id'")
        let deep = error("[" + String(repeating: "[", count: 500) + String(repeating: "]", count: 500) + "]")
        #expect(deep?.message == "invalid JSON: JSON nested deeper than 200 levels (limit --max-depth)")
    }

    @Test(
        "numbers: each form is accepted with one meaning or rejected; never rounded",
        arguments: [
            ("1e309 kg", false), ("NaN kg", false), ("inf kg", false), ("-1 kg", false), ("1,000 kg", false), ("2,5 t", false),
            ("0.000000000000000000000000001 kg", true), ("999999999999999999999999999999 kg", true), ("5\tkg", true), ("5 kg ", true),
        ])
    func numbers(text: String, accepted: Bool) throws {
        let result = try records(Array("id,quantity\nA,\"\(text)\"\n".utf8), .csv)
        #expect(result[0].problems.isEmpty == accepted, "\(text): \(result[0].problems)")
    }

    @Test("exact decimals: 0.1 t + 0.2 t is exactly 300 kg")
    func exactDecimals() throws {
        var ledger = LimitLedger()
        ledger.draw(licence: "L", customer: nil, quantity: try Quantity.parse("0.1 t").get(), value: nil)
        ledger.draw(licence: "L", customer: nil, quantity: try Quantity.parse("0.2 t").get(), value: nil)
        #expect(ledger.used(LimitLedger.Key(licence: "L", customer: nil), like: .quantity(try Quantity.parse("0.3 t").get())) == 300)
    }
}
