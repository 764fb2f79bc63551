import Foundation
import TestSupport
import Testing

@testable import ClearanceKit

/// `Clearance.check` reads CSV files into batches, keeping plain records in the batch's own
/// storage (`CSVOrderReader.fill`, `PendingBatch.appendPlain`); every record must decode as when
/// the file is read one record at a time, field by field.
@Suite("Batched CSV reads")
struct BatchedCSVTests {
    /// A record as comparable text: its place, problems (with their fields and columns), cells and
    /// every field of its order line.
    static func describe(_ record: OrderRecord) -> String {
        describe(record, cells: true)
    }

    /// `describe`, without the cells as written and their positions when `cells` is false.
    static func describe(_ record: OrderRecord, cells: Bool) -> String {
        let problems = record.problems.map { "\($0.field ?? "-")@\($0.column.map(String.init) ?? "-"): \($0.message)" }
        var text = "\(record.file):\(record.line) \(record.id ?? "-") [\(problems.joined(separator: "; "))]"
        if cells { text += " " + StreamingReadTests.describe(record) }
        guard let order = record.order else { return text + " no order" }
        let values: [Any?] = [
            order.id, order.supplier, order.customer, order.endUser, order.destination, order.endUse, order.date, order.quantity,
            order.value, order.hsCode, order.product,
        ]
        text += " " + values.map { $0.map { "\($0)" } ?? "nil" }.joined(separator: "|")
        text += " " + (order.composition?.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") ?? "nil")
        text += " " + order.attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        return text
    }

    /// The record at `index` of `batch` and its line's fields, as `PendingBatch.decode` writes them.
    static func decode(
        _ batch: PendingBatch, _ index: Int, texts: UnsafeMutablePointer<RepeatCache<String>>? = nil
    ) -> (OrderRecord, OrderLine.Values?) {
        withUnsafeTemporaryAllocation(of: OrderRecord.self, capacity: 1) { record in
            withUnsafeTemporaryAllocation(of: OrderLine.Values?.self, capacity: 1) { line in
                batch.decode(index, into: record.baseAddress.unsafelyUnwrapped, line: line.baseAddress.unsafelyUnwrapped, texts: texts)
                return (record.baseAddress.unsafelyUnwrapped.move(), line.baseAddress.unsafelyUnwrapped.move())
            }
        }
    }

    /// The records of `files` (each read in `chunkSize`-byte chunks), filled into batches of
    /// `capacity` records as `Clearance.check` fills them (a batch may hold records of two files)
    /// and decoded, with strings of repeating fields kept in a cache of `texts` entries (small, so
    /// that it starts afresh or stops within a file).
    static func batched(
        _ files: [[UInt8]], chunkSize: Int, capacity: Int, limits: InputLimits, cells: Bool, texts: Int = 2,
        describe: (OrderRecord) -> String = { describe($0) }
    ) throws -> [String] {
        let directory = URL(fileURLWithPath: TemporaryFiles.directory("batched"))
        var sources: [PendingSource] = []
        for (number, bytes) in files.enumerated() {
            let url = directory.appendingPathComponent("orders-\(number).csv")
            try Data(bytes).write(to: url)
            defer { try? FileManager.default.removeItem(at: url) }
            let source = ByteSource(descriptor: open(url.path, O_RDONLY), closes: true, chunkSize: chunkSize)
            sources.append(PendingSource(csv: try CSVOrderReader(source: source, file: "o\(number)", limits: limits, cells: cells)))
        }
        var cache = RepeatCache<String>(capacity: texts)
        var records: [String] = []
        var batch = PendingBatch(capacity: capacity)
        func decodeAll() {
            records += (0..<batch.count).map { index in
                // A readable line's fields come apart from a record without problems or an order
                // line of its own; made the record's order line, they are the record read one by one.
                var (record, line) = Self.decode(batch, index, texts: &cache)
                if let line {
                    #expect(record.order == nil && record.problems.isEmpty)
                    record.order = OrderLine(line)
                }
                return describe(record)
            }
            batch = PendingBatch(capacity: capacity)
        }
        for source in sources {
            while source.fill(batch) { decodeAll() }
        }
        decodeAll()
        return records
    }

    /// The records of `files`, read from memory one at a time and field by field.
    static func oneByOne(
        _ files: [[UInt8]], limits: InputLimits, cells: Bool, describe: (OrderRecord) -> String = { describe($0) }
    ) throws -> [String] {
        try files.enumerated().flatMap { number, bytes in
            var reader = try CSVOrderReader(bytes: bytes, file: "o\(number)", limits: limits, cells: cells)
            reader.readsPlainRecordsWhole = false
            return IteratorSequence(reader).map(describe)
        }
    }

    /// One of `options`, at random.
    static func pick(_ options: [String], _ generator: inout some RandomNumberGenerator) -> String {
        options[Int.random(in: 0..<options.count, using: &generator)]
    }

    /// A random CSV file: `StreamingReadTests.randomCSV` with blank lines of spaces, lone carriage
    /// returns, quoted fields of every kind, wide and long records, and a header of W1's columns in a random order.
    static func randomCSV(_ generator: inout some RandomNumberGenerator) -> [UInt8] {
        guard Bool.random(using: &generator) else { return StreamingReadTests.randomCSV(&generator) }
        // Without a column read as text (the composition) half the time, so that a batch reads its
        // plain records in one loop (`CSVOrderReader.decodePlain`).
        let columns =
            (["id", "supplier", "customer", "destination", "end_use", "date", "product", "quantity", "value"]
            + (Bool.random(using: &generator) ? ["composition.Dy"] : []))
            .shuffled(using: &generator)
        var text = columns.joined(separator: ",") + "\n"
        for number in 0..<Int.random(in: 0...30, using: &generator) {
            let values = columns.map { column -> String in
                switch column {
                case "id": "SO-\(number)"
                case "supplier": pick(["Summit Magnetics 22 Ltd.", " summit  magnetics 22 ", "", "Zoë GmbH"], &generator)
                case "customer":
                    pick(["pty-00789", "\"Nordic, Motors\"", "\"a\"\"b\"", "\"x\"y", "\"\"", "\"  \"", "\"Zoë\"", "\"x\"\r"], &generator)
                case "destination": pick(["ES", "de", "Germany", " FR "], &generator)
                case "date": pick(["2026-06-23", "2026-02-30", " 2026-01-05", ""], &generator)
                case "quantity": pick(["170 kg", "2137 pcs", "5 KG", "12.5t", ""], &generator)
                case "value": pick(["166294 USD", "1e3 USD", "12 usd", ""], &generator)
                case "composition.Dy": pick(["2.5%", "", "x"], &generator)
                default: pick(["wind-energy", "military", "  ", ""], &generator)
                }
            }
            var line = values.joined(separator: ",")
            switch Int.random(in: 0..<12, using: &generator) {
            case 0: line += "," + String(repeating: "w", count: Int.random(in: 100...700, using: &generator))
            case 1: line += String(repeating: ",", count: Int.random(in: 1...40, using: &generator))
            case 2: line = String(line.prefix(Int.random(in: 0...20, using: &generator)))
            case 3: line = pick(["  \t ", "\"\"", " \"\"", "\"", "\"a\nb\""], &generator)
            case 4: line += "\r"
            case 5: line = line.replacingOccurrences(of: ",", with: "\r,", options: [], range: line.range(of: ","))
            default: break
            }
            text += line + (Bool.random(using: &generator) ? "\r\n" : "\n")
        }
        if Bool.random(using: &generator) { text = String(text.dropLast()) }
        var bytes = Array(text.utf8)
        if Int.random(in: 0..<4, using: &generator) == 0, bytes.count > 120 {
            bytes.insert(0, at: Int.random(in: 100...bytes.count, using: &generator))
        }
        return bytes
    }

    @Test("any chunk size, batch size, line-length limit and cells: the records read one by one (300 random pairs of files)")
    func batchedRecords() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let files = [Self.randomCSV(&generator), Self.randomCSV(&generator)]
            var limits = InputLimits()
            if Bool.random(using: &generator) { limits.maximumRecordBytes = Int.random(in: 90...300, using: &generator) }
            let cells = Bool.random(using: &generator)
            let chunk = Int.random(in: 1...256, using: &generator)
            let capacity = Int.random(in: 1...9, using: &generator)
            let batched = try Self.batched(files, chunkSize: chunk, capacity: capacity, limits: limits, cells: cells)
            let reference = try Self.oneByOne(files, limits: limits, cells: cells)
            let difference =
                zip(batched, reference).first { $0.0 != $0.1 }.map { "\n\($0.0)\n\($0.1)" } ?? "counts \(batched.count) \(reference.count)"
            #expect(
                batched == reference,
                "chunk \(chunk), batch \(capacity), limit \(limits.maximumRecordBytes), cells \(cells): \(difference)\n\(files.map { String(decoding: $0, as: UTF8.self).debugDescription })"
            )
        }
    }

    @Test("fields read from their bytes (no cells kept) give the lines and problems of fields read as text (300 random pairs of files)")
    func bytesAsText() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let files = [Self.randomCSV(&generator), Self.randomCSV(&generator)]
            let chunk = Int.random(in: 1...256, using: &generator)
            let fromBytes = try Self.batched(
                files, chunkSize: chunk, capacity: 7, limits: InputLimits(), cells: false, describe: { Self.describe($0, cells: false) })
            // Records that keep their cells read every field as text (`CSVOrderReader.decode`).
            let asText = try Self.oneByOne(files, limits: InputLimits(), cells: true, describe: { Self.describe($0, cells: false) })
            let difference =
                zip(fromBytes, asText).first { $0.0 != $0.1 }.map { "\n\($0.0)\n\($0.1)" } ?? "counts \(fromBytes.count) \(asText.count)"
            #expect(fromBytes == asText, "\(difference)")
        }
    }

    @Test("a comma, line feed, quote, NUL or non-ASCII byte at each place of a line's first 40 bytes: the records read one by one")
    func bytesAtEveryPlace() throws {
        // The plain scan reads sixteen bytes at a time and the rest field by field: each kind of
        // byte it stops at, before, on and after each boundary, in lines long and short.
        let header = "id,supplier,customer,end_use\n"
        let specials: [[UInt8]] = [[0x2C], [0x0A], [0x22], [0x00], Array("é".utf8), [0x0D, 0x0A], [0x22, 0x22]]
        for length in [8, 15, 16, 17, 31, 32, 33, 40] {
            for place in 0..<length {
                for special in specials {
                    var line = Array("SO-1,".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: length)
                    line.replaceSubrange((5 + place)..<(5 + place + 1), with: special)
                    let file = Array(header.utf8) + line + Array(",a,b\nSO-2,y,z,w\n".utf8)
                    for cells in [false, true] {
                        let batched = try Self.batched([file], chunkSize: 1 << 16, capacity: 4, limits: InputLimits(), cells: cells)
                        #expect(
                            batched == (try Self.oneByOne([file], limits: InputLimits(), cells: cells)),
                            "\(special) at \(place) of \(length), cells \(cells)")
                    }
                }
            }
        }
    }

    @Test("a quoted field of each length from each place, closed before a comma, a line end or anything else: the records read one by one")
    func quotedFieldsAtEveryPlace() throws {
        // The plain scan reads a quoted field from its opening quote to its closing one sixteen
        // bytes at a time; a doubled quote, a line feed or a byte after the closing quote sends
        // the record back field by field.
        let header = "id,supplier,customer,end_use\n"
        let insides = ["", "a,b", "a\"\"b", "a\nb", "é", "a\u{0}b"]
        let endings = [",w\n", "\n", "\r\n", "x,w\n", ",\"w\"\n"]
        for padding in 0..<20 {
            for length in [0, 1, 14, 15, 16, 17, 31, 33] {
                for inside in insides {
                    for ending in endings {
                        let quoted = "\"" + inside + String(repeating: "q", count: length) + "\""
                        let line = "SO-1," + String(repeating: "p", count: padding) + "," + quoted + ending
                        let file = Array((header + line + "SO-2,y,z,w\n").utf8)
                        let batched = try Self.batched([file], chunkSize: 1 << 16, capacity: 4, limits: InputLimits(), cells: false)
                        #expect(
                            batched == (try Self.oneByOne([file], limits: InputLimits(), cells: false)), "\(line.debugDescription)")
                    }
                }
            }
        }
    }

    @Test("a batch keeps plain records of two files with their own headers, and grows past its first room")
    func plainRecordsOfTwoFiles() throws {
        let first = Array("id,customer,quantity\nSO-1,bosch,5 kg\nSO-2,nidec,7 t\n".utf8)
        let wide = (0..<40).map { "c\($0)" }.joined(separator: ",")
        let long = String(repeating: "x", count: 3_000)
        let values = ([long] + Array(repeating: "v", count: 39)).joined(separator: ",")
        let second = Array("quantity,id,\(wide)\n9 kg,SO-3,\(values)\n12 pcs,SO-4\n".utf8)
        let batched = try Self.batched([first, second], chunkSize: 1 << 16, capacity: 16, limits: InputLimits(), cells: false)
        #expect(batched == (try Self.oneByOne([first, second], limits: InputLimits(), cells: false)))
        #expect(batched.count == 4)
        #expect(batched[0].hasPrefix("o0:2 SO-1 []"))
        #expect(batched[2].hasPrefix("o1:2 SO-3 []"))
        #expect(batched[3].hasPrefix("o1:3 SO-4 [-@-: the record has 2 fields but the header has 42]"))
        #expect(batched[1].contains("nidec"))
    }

    /// The lines' fields of a CSV file's records, read into one batch and decoded with `texts`
    /// (nil for a record that is not plain, such as a last line without its line feed).
    static func lines(_ text: String, texts: inout RepeatCache<String>) throws -> [OrderLine.Values?] {
        let url = URL(fileURLWithPath: TemporaryFiles.directory("batched")).appendingPathComponent("texts.csv")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let source = ByteSource(descriptor: open(url.path, O_RDONLY), closes: true, chunkSize: 1 << 16)
        let batch = PendingBatch(capacity: 1_000)
        _ = PendingSource(csv: try CSVOrderReader(source: source, file: "o", limits: InputLimits(), cells: false)).fill(batch)
        return (0..<batch.count).map { Self.decode(batch, $0, texts: &texts).1 }
    }

    @Test("a long supplier name or end use that repeats is one string for all its lines while the texts repeat; others are each line's own")
    func repeatingTextsShared() throws {
        let supplier = "Summit Magnetics 22 Ltd."
        let customers = (0..<40).map { "Customer Number \($0) GmbH" }
        let text =
            "id,supplier,customer,end_use\n"
            + customers.enumerated().map { "SO-\($0.offset), \(supplier) ,\($0.element),consumer-electronics" }
            .joined(separator: "\n") + "\n"
        var cache = RepeatCache<String>(capacity: 8)
        let lines = try Self.lines(text, texts: &cache).map { try #require($0) }
        #expect(lines.count == 40)
        // The same object (a string's two words hold its storage's address), and the text as written.
        func words(_ text: String?) -> [UInt64] { text.map { withUnsafeBytes(of: $0) { Array($0.bindMemory(to: UInt64.self)) } } ?? [] }
        #expect(lines.allSatisfy { $0.supplier == supplier && $0.endUse == "consumer-electronics" })
        #expect(Set(lines.map { words($0.supplier) }).count == 1)
        #expect(Set(lines.map { words($0.endUse) }).count == 1)
        #expect(lines.map(\.customer) == customers)
        // Customers are not kept: the cache holds the two repeating texts alone, and hit on every line after the first.
        #expect(cache.count == 2 && cache.hits == 2 * 39 && cache.caching)

        // Texts that do not repeat fill the cache, which then stops: every line still gets its own text.
        var distinct = RepeatCache<String>(capacity: 8)
        let suppliers = (0..<40).map { "Supplier Number \($0) Ltd." }
        let other = "id,supplier\n" + suppliers.enumerated().map { "SO-\($0.offset),\($0.element)" }.joined(separator: "\n") + "\n"
        #expect(try Self.lines(other, texts: &distinct).map { $0?.supplier } == suppliers)
        #expect(!distinct.caching && distinct.count == 0)
    }
}
