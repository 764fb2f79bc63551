import Foundation
import Testing

@testable import ClearanceKit

@Suite("Order readers")
struct OrderReaderTests {
    func csv(_ text: String) throws -> [OrderRecord] { try TestOrders.read(text, format: .csv, file: "o.csv") }

    func readError(_ text: String, format: OrderFormat) -> OrderReadError? {
        do {
            _ = try TestOrders.read(text, format: format)
            return nil
        } catch let error as OrderReadError {
            return error
        } catch {
            return nil
        }
    }

    @Test("CSV: header is line 1; BOM and CRLF accepted; quoted fields with commas")
    func csvBasics() throws {
        let records = try csv("\u{FEFF}id,supplier,customer,quantity\r\nSO-1,\"Maker, Inc.\",alpha,500 kg\r\nSO-2,maker,beta,2.5 t\r\n")
        #expect(records.map(\.line) == [2, 3])
        #expect(records[0].order?.supplier == "Maker, Inc.")
        #expect(records[1].order?.quantity == Quantity(amount: 2500, dimension: .mass))
        #expect(records.allSatisfy { $0.problems.isEmpty })
    }

    @Test("CSV: a quoted newline keeps later line numbers physical; empty rows are skipped")
    func csvLines() throws {
        let records = try csv("id,note\nSO-1,\"two\nlines\"\n\n,\n \t, \nSO-2,\"say \"\"hi\"\"\"\n\"\",\n")
        #expect(records.map(\.line) == [2, 7, 8])
        #expect(records.map(\.id) == ["SO-1", "SO-2", nil])
    }

    @Test("CSV: a wrong field count is an input error for that record only")
    func csvColumnCount() throws {
        let records = try csv("id,customer,quantity\nSO-1,alpha\nSO-2,beta,1 t\n")
        #expect(records.count == 2)
        #expect(records[0].problems.map(\.message) == ["the record has 2 fields but the header has 3"])
        #expect(records[0].id == "SO-1")
        #expect(records[0].order == nil)
        #expect(records[1].problems.isEmpty)
    }

    @Test("CSV: an unterminated quote is reported with the lines it swallowed")
    func csvUnterminated() throws {
        let records = try csv("id,note\nSO-1,ok\nSO-2,\"never closed\nSO-3,x\n")
        #expect(records.count == 2)
        #expect(records[1].line == 3)
        #expect(records[1].problems.first?.message.contains("is never closed; lines 3–5 could not be read") == true)
    }

    @Test("CSV: composition as one column or per element, attributes per column")
    func csvComposition() throws {
        let records = try csv("id,composition,composition.Tb,attributes.form\nSO-1,Dy=2.5%; Nd=30%,0.4%,magnet\n")
        let order = try #require(records[0].order)
        #expect(order.composition?["Dy"] == Percentage(percent: Decimal(string: "2.5")!))
        #expect(order.composition?["Tb"] == Percentage(percent: Decimal(string: "0.4")!))
        #expect(order.attributes["form"] == "magnet")
    }

    @Test(
        "CSV: unreadable values become input errors with their message",
        arguments: [
            ("quantity", "5 KG", "quantity '5 KG': unknown unit 'KG'; expected a number and one of the units g, kg, t, pcs, e.g. '500 kg'"),
            (
                "quantity", "-5 kg",
                "quantity '-5 kg': negative numbers are not allowed; expected a number and one of the units g, kg, t, pcs, e.g. '500 kg'"
            ),
            ("quantity", "NaN", "quantity 'NaN': no number; expected a number and one of the units g, kg, t, pcs, e.g. '500 kg'"),
            (
                "value", "100 usd",
                "value '100 usd': 'usd' is not an ISO-4217 currency code; expected a number and an ISO-4217 currency code, e.g. '125000 USD'"
            ),
            ("date", "2026-02-30", "date '2026-02-30' is not a calendar date 'YYYY-MM-DD'"),
            ("destination", "de", "destination 'de' is not an ISO-3166 alpha-2 country code; did you mean 'DE'?"),
            (
                "composition", "Dy=2,5%",
                "composition Dy '2,5%' is not a percentage; expected a number from 0 to 100 followed by '%', e.g. '2.5%'"
            ),
            ("composition", "Qq=1%", "composition element 'Qq' is not a chemical element symbol"),
            ("hs_code", "85O5", "hs_code '85O5' is not an HS code (digits only)"),
        ])
    func csvBadValues(column: String, value: String, message: String) throws {
        let records = try csv("id,\(column)\nSO-1,\"\(value)\"\n")
        #expect(records[0].problems.map(\.message) == [message])
        #expect(records[0].problems.first?.column == 6)
    }

    @Test(
        "CSV: columns count characters, not bytes, after non-ASCII text on the same line only",
        arguments: [
            // (file, column of the bad quantity in the record)
            ("id,customer,quantity\nSO-1,a,5 kgs\n", 8),
            ("id,customer,quantity\nSO-1,金力,5 kgs\n", 9),
            ("id,customer,quantity\nSO-1,\"Zoë\",5 kgs\n", 12),
            // A quoted field over two lines: the column counts from the start of its last line.
            ("id,customer,quantity\nSO-1,\"é\nb\",5 kgs\n", 4),
            ("id,customer,quantity\nSO-1,\"a\né\",5 kgs\n", 4),
            ("id,customer,quantity\nSO-é,a,5 kgs\nSO-2,a,5 kgs\n", 8),
        ])
    func csvColumns(file: String, column: Int) throws {
        let records = try csv(file)
        #expect(records[0].problems.first?.column == column)
        if records.count > 1 {
            // The next line starts ASCII again.
            #expect(records[1].problems.first?.column == 8)
        }
    }

    @Test("CSV: invalid UTF-8 and NUL bytes are input errors, not crashes")
    func csvBytes() throws {
        var bytes = Array("id,customer\nSO-1,".utf8) + [0xFF, 0xFE] + Array("\nSO-2,a".utf8) + [0] + Array("b\n".utf8)
        let records = Array(IteratorSequence(try OrderSource.records(bytes: bytes, file: "o.csv", format: .csv)))
        #expect(records[0].problems.first?.message == "customer is not valid UTF-8 at byte offset 17 of the file (line 2, column 6)")
        #expect(records[1].problems.first?.message.contains("NUL byte") == true)
        // Inside a quoted field with doubled quotes, the offset still counts the file's bytes.
        bytes = Array("id,customer\nSO-1,\"a\"\"b".utf8) + [0xFF] + Array("\"\n".utf8)
        let quoted = Array(IteratorSequence(try OrderSource.records(bytes: bytes, file: "o.csv", format: .csv)))
        #expect(quoted[0].problems.first?.message == "customer is not valid UTF-8 at byte offset 22 of the file (line 2, column 6)")
        #expect(bytes[22] == 0xFF)
    }

    /// Order files with good lines and every kind of CSV and JSON Lines problem.
    static let cellFiles: [(format: OrderFormat, bytes: [UInt8])] = [
        (.csv, Array("id,customer,quantity,composition.Dy,attributes.form,note\nSO-1,a,5 kg,2%,block,x\n".utf8)),
        (.csv, Array("id,customer\nSO-1,".utf8) + [0xFF] + Array("\nSO-2,a".utf8) + [0] + Array("b\n,\nSO-3,a,extra\nSO-4,\"open\n".utf8)),
        (.csv, Array("id,quantity,date,destination\n SO-5 ,5 KG,2026-13-01,de\n".utf8)),
        (.jsonl, Array("{\"id\":\"SO-6\",\"quantity\":\"5 kg\",\"composition\":{\"Dy\":2}}\n{\"id\":\n[1]\n".utf8)),
    ]

    @Test("CSV and JSON Lines read without cells give the same records, problems included", arguments: 0..<4)
    func withoutCells(file: Int) throws {
        let (format, bytes) = Self.cellFiles[file]
        let full = Array(IteratorSequence(try OrderSource.records(bytes: bytes, file: "o", format: format)))
        let bare = Array(IteratorSequence(try OrderSource.records(bytes: bytes, file: "o", format: format, cells: false)))
        #expect(full.count == bare.count)
        #expect(full.contains { !$0.origin.cells.isEmpty })
        for (with, without) in zip(full, bare) {
            #expect(without.origin.cells.isEmpty || without.order == nil)
            #expect(without.line == with.line && without.origin.line == with.origin.line)
            #expect(without.id == with.id)
            #expect(without.problems == with.problems)
            #expect(String(reflecting: without.order) == String(reflecting: with.order))
        }
    }

    @Test("CSV: dates and amounts read from the bytes (without cells) give what reading their text gives (2,000 random records)")
    func numbersFromBytes() throws {
        var generator = SystemRandomNumberGenerator()
        let dates = ["2026-03-01", " 2026-03-01\t", "2026-02-30", "2026-3-1", "", "  ", "\"2026-03-01\"", "２０２６-03-01", "x"]
        let quantities = ["5 kg", "2.5t", " 1200 g ", "5 KG", "500", "-5 kg", "1e3 kg", "", "3000 pcs", "0.000000001 t", "5 kg\u{301}"]
        let values = ["125000 USD", "1.5 EUR", "100 usd", "100", "99999999999999999999 USD", "", " 7 JPY", "5 €"]
        var text = "id,date,quantity,value\n"
        for index in 0..<2_000 {
            let cells = [
                dates.randomElement(using: &generator), quantities.randomElement(using: &generator),
                values.randomElement(using: &generator),
            ]
            text += "SO-\(index)," + cells.map { $0 ?? "" }.joined(separator: ",") + "\n"
        }
        let bytes = Array(text.utf8)
        let full = Array(IteratorSequence(try OrderSource.records(bytes: bytes, file: "o", format: .csv)))
        let bare = Array(IteratorSequence(try OrderSource.records(bytes: bytes, file: "o", format: .csv, cells: false)))
        #expect(full.count == 2_000 && bare.count == 2_000)
        #expect(full.contains { !$0.problems.isEmpty } && full.contains { $0.order?.quantity != nil })
        for (with, without) in zip(full, bare) {
            #expect(without.problems == with.problems, "line \(with.line)")
            #expect(String(reflecting: without.order) == String(reflecting: with.order), "line \(with.line)")
        }
    }

    @Test("CSV: plain texts (id, parties, end use, product) read from the bytes give what reading their text gives (2,000 random records)")
    func plainTextsFromBytes() throws {
        var generator = SystemRandomNumberGenerator()
        let texts = [
            "Summit Magnetics 22 Ltd.", " padded ", "\ttabbed\t", "", "   ", "\"quoted, with comma\"", "\"\"", "稀土 Ltd", " é ",
            "\u{A0}nbsp\u{A0}", "x", "pty-00789", "consumer-electronics", "\"a \"\"b\"\"\"",
        ]
        let columns = ["id", "supplier", "customer", "end_user", "end_use", "product"]
        var text = columns.joined(separator: ",") + "\n"
        for index in 0..<2_000 {
            // An id on every record, padded on every other one: a record of blank fields only is a
            // blank line, which is skipped.
            let id = index.isMultiple(of: 2) ? "SO-\(index)" : " SO-\(index)\t"
            text += ([id] + columns.dropFirst().map { _ in texts.randomElement(using: &generator) ?? "" }).joined(separator: ",") + "\n"
        }
        let bytes = Array(text.utf8)
        let full = Array(IteratorSequence(try OrderSource.records(bytes: bytes, file: "o", format: .csv)))
        let bare = Array(IteratorSequence(try OrderSource.records(bytes: bytes, file: "o", format: .csv, cells: false)))
        #expect(full.count == 2_000 && bare.count == 2_000)
        #expect(bare.contains { $0.order?.supplier == "Summit Magnetics 22 Ltd." } && bare.contains { $0.order?.customer == nil })
        for (with, without) in zip(full, bare) {
            #expect(without.id == with.id, "line \(with.line)")
            #expect(without.problems == with.problems, "line \(with.line)")
            #expect(String(reflecting: without.order) == String(reflecting: with.order), "line \(with.line)")
        }
    }

    @Test("CSV: header problems stop the file (exit 2)")
    func csvHeader() {
        #expect(
            readError("id,customer,id\nSO-1,a,b\n", format: .csv)?.message == "column 'id' appears twice in the header (columns 1 and 3)")
        #expect(readError("", format: .csv)?.message == "the CSV file is empty")
        #expect(readError("id,,x\n", format: .csv)?.message == "column 2 of the header has no name")
        #expect(readError("id,composition.DY\n", format: .csv)?.help == "did you mean 'composition.Dy'?")
    }

    @Test("JSON: array index is the line; null is absent; numbers are percent in compositions")
    func json() throws {
        let records = try TestOrders.read(
            #"[{"id": "A", "customer": null, "composition": {"Dy": 2.3, "Tb": "0.5%"}, "quantity": "1 t"}, "oops", {"id": 7, "quantity": 5}]"#,
            format: .json)
        #expect(records.map(\.line) == [1, 2, 3])
        #expect(records[0].order?.customer == nil)
        #expect(records[0].order?.composition?["Dy"] == Percentage(percent: Decimal(string: "2.3")!))
        #expect(records[1].problems.map(\.message) == ["the record is a string, not an object of fields"])
        #expect(records[2].id == "7")
        #expect(records[2].problems.map(\.message) == [#"quantity 5 has no unit; expected a string such as "500 kg""#])
    }

    @Test("JSON: syntax errors, duplicate keys and non-arrays stop the file with a position")
    func jsonErrors() {
        let syntax = readError("[\n  {\"id\": \"A\",}\n]", format: .json)
        #expect(syntax?.location.line == 2)
        #expect(syntax?.message.hasPrefix("invalid JSON") == true)
        #expect(readError(#"[{"id": "A", "id": "B"}]"#, format: .json)?.message == "invalid JSON: duplicate key 'id'")
        #expect(readError(#"{"id": "A"}"#, format: .json)?.message == "the JSON document is an object, not an array")
        // Records are handed out only once the whole document is known to be well formed: a bad
        // last element stops the file, with no record of the good ones before it.
        let late = readError("[{\"id\": \"A\"},\n {\"id\": \"B\", \"x\": tru}]", format: .json)
        #expect(late?.message == "invalid JSON: invalid literal; expected 'true'")
        #expect(late?.location.line == 2)
        #expect(late?.location.column == 19)
        #expect(readError("[{\"id\": \"A\"}] []", format: .json)?.message == "invalid JSON: unexpected text after the JSON value")
    }

    @Test("JSON Lines: physical line numbers; a broken line is an input error, not a dropped one")
    func jsonLines() throws {
        let records = try TestOrders.read("{\"id\": \"A\"}\n\n{\"id\": \"B\",\n{\"id\": \"C\"}\n", format: .jsonl)
        #expect(records.map(\.line) == [1, 3, 4])
        #expect(records[1].problems.first?.message.hasPrefix("invalid JSON at column") == true)
        #expect(records[2].id == "C")
    }

    @Test("YAML: a list of mappings, read as text")
    func yaml() throws {
        let records = try TestOrders.read("- {id: A, destination: NO, hs_code: 030211}\n- just text\n", format: .yaml)
        #expect(records[0].order?.destination == "NO")
        #expect(records[0].order?.hsCode == "030211")
        #expect(records[1].problems.map(\.message) == ["the record is text, not a mapping of fields"])
        let notList = readError("id: A\n", format: .yaml)
        #expect(notList?.message == "the YAML document is a mapping, not a list")
        #expect(readError("- {id: A}\n---\n- {id: B}\n", format: .yaml)?.message == "the YAML order file has 2 documents")
        // Records are decoded from their nodes one by one: the line is the item's index and each
        // cell keeps the position of its key.
        let spread = try TestOrders.read("- id: A\n  customer: x\n-   {id: B, quantity: 1 t}\n", format: .yaml)
        #expect(spread.map(\.line) == [1, 2])
        #expect(spread.map(\.id) == ["A", "B"])
        #expect(spread[0].origin.cells.map { [$0.position?.line, $0.position?.column] } == [[1, 3], [2, 3]])
        #expect(spread[1].origin.cells.map { [$0.position?.line, $0.position?.column] } == [[3, 6], [3, 13]])
    }

    @Test("formats come from the extension")
    func formats() {
        #expect(OrderFormat(path: "a.CSV") == .csv)
        #expect(OrderFormat(path: "a.ndjson") == .jsonl)
        #expect(OrderFormat(path: "a.yml") == .yaml)
        #expect(OrderFormat(path: "a.txt") == nil)
    }
}
