import Foundation
import TestSupport
import Testing

@testable import ClearanceKit

/// Order files are read a chunk at a time; records that cross chunk boundaries must come out
/// exactly as when the whole file is in memory.
@Suite("Streaming reads")
struct StreamingReadTests {
    /// Every record of `bytes` read in `chunkSize`-byte chunks from a file, as comparable text.
    static func streamed(_ bytes: [UInt8], format: OrderFormat, chunkSize: Int) throws -> [String] {
        let url = URL(fileURLWithPath: TemporaryFiles.directory("stream")).appendingPathComponent("orders.\(format.rawValue)")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let descriptor = open(url.path, O_RDONLY)
        let source = ByteSource(descriptor: descriptor, closes: true, chunkSize: chunkSize)
        var pending: [PendingRecord] = []
        switch format {
        case .csv:
            var reader = try CSVOrderReader(source: source, file: "o", limits: InputLimits())
            while let next = reader.nextPending() { pending.append(next) }
        default:
            var reader = JSONLinesOrderReader(bytes: [], source: source, file: "o", limits: InputLimits())
            while let next = reader.nextPending() { pending.append(next) }
        }
        return pending.map { $0.decode() }.map(describe)
    }

    static func inMemory(_ bytes: [UInt8], format: OrderFormat) throws -> [String] {
        Array(IteratorSequence(try OrderSource.records(bytes: bytes, file: "o", format: format))).map(describe)
    }

    static func describe(_ record: OrderRecord) -> String {
        let cells = record.origin.cells.map { "\($0.name)=\($0.value)" }.joined(separator: "|")
        let positions = record.origin.positions.sorted { $0.key < $1.key }.map { "\($0.key)@\($0.value.line):\($0.value.column)" }
        return "\(record.line) \(record.id ?? "-") [\(record.problems.map(\.message).joined(separator: "; "))] \(cells) \(positions)"
    }

    static func randomCSV(_ generator: inout some RandomNumberGenerator) -> [UInt8] {
        var text = "id,customer,quantity,destination\r\n"
        for number in 0..<Int.random(in: 1...40, using: &generator) {
            let customer: String =
                switch Int.random(in: 0..<8, using: &generator) {
                case 0: "\"Acme, \"\"Magnets\"\"\nGmbH\""
                case 1: ""
                case 2: "\"unclosed"
                case 3: "bosch"
                case 4: "\"x\"y"
                case 5: "Zoë GmbH"
                case 6: "in\"side\r"
                default: "Robert Bosch GmbH"
                }
            text +=
                "SO-\(number),\(customer),\(Int.random(in: 1...900, using: &generator)) kg,DE\(Bool.random(using: &generator) ? "\r\n" : "\n")"
            if Int.random(in: 0..<8, using: &generator) == 0 { text += "\n" }
        }
        // Sometimes without the last line feed ("\r\n" is one `Character`).
        if Bool.random(using: &generator) { text = String(text.dropLast()) }
        var bytes = Array(text.utf8)
        if Int.random(in: 0..<4, using: &generator) == 0 { bytes.insert(0, at: Int.random(in: 40...bytes.count, using: &generator)) }
        if Int.random(in: 0..<4, using: &generator) == 0 { bytes.insert(0xFF, at: Int.random(in: 40...bytes.count, using: &generator)) }
        return bytes
    }

    @Test("CSV: any chunk size gives the records, positions and byte offsets of the whole file (300 random files)")
    func csvChunks() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let bytes = Self.randomCSV(&generator)
            let chunk = Int.random(in: 1...64, using: &generator)
            let streamed = try Self.streamed(bytes, format: .csv, chunkSize: chunk)
            let whole = try Self.inMemory(bytes, format: .csv)
            let difference =
                zip(streamed, whole).first { $0.0 != $0.1 }.map { "\n\($0.0)\n\($0.1)" } ?? "counts \(streamed.count) \(whole.count)"
            #expect(streamed == whole, "chunk \(chunk): \(difference)")
        }
    }

    @Test("CSV: plain records read in one pass give the records read field by field (300 random files)")
    func plainRecordsWhole() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let bytes = Self.randomCSV(&generator)
            func records(whole: Bool) throws -> [String] {
                var reader = try CSVOrderReader(bytes: bytes, file: "o")
                reader.readsPlainRecordsWhole = whole
                return IteratorSequence(reader).map(Self.describe)
            }
            #expect(try records(whole: true) == records(whole: false), "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
        }
    }

    @Test("CSV: the reader as an iterator decodes the same records as the pending ones")
    func csvIterator() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let bytes = Self.randomCSV(&generator)
            let reader = try CSVOrderReader(bytes: bytes, file: "o")
            #expect(Array(IteratorSequence(reader)).map(Self.describe) == (try Self.inMemory(bytes, format: .csv)))
        }
    }

    @Test("JSON Lines: any chunk size gives the records of the whole file, last line with or without a newline")
    func jsonLinesChunks() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var text = ""
            for number in 0..<Int.random(in: 0...30, using: &generator) {
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: text += "{\"id\": \"SO-\(number)\", \"customer\": \"bosch\", \"quantity\": \"5 kg\"}\n"
                case 1: text += "  \n"
                case 2: text += "{\"id\": \"SO-\(number)\", broken\n"
                default: text += "[1, 2]\r\n"
                }
            }
            if Bool.random(using: &generator) { text += "{\"id\": \"last\"}" }
            let bytes = Array(text.utf8)
            let chunk = Int.random(in: 1...48, using: &generator)
            #expect(try Self.streamed(bytes, format: .jsonl, chunkSize: chunk) == Self.inMemory(bytes, format: .jsonl), "chunk \(chunk)")
        }
    }

    @Test("a read that fails is never an empty file: CSV stops with the system's reason, JSON Lines gets an input-error record")
    func readFailure() throws {
        // Reading a directory's descriptor fails (EISDIR), as a disk error would.
        let csv = ByteSource(descriptor: open(NSTemporaryDirectory(), O_RDONLY), closes: true)
        #expect(throws: OrderReadError.self) { try CSVOrderReader(source: csv, file: "o.csv") }
        do {
            _ = try CSVOrderReader(source: ByteSource(descriptor: open(NSTemporaryDirectory(), O_RDONLY), closes: true), file: "o.csv")
        } catch {
            #expect(error.message.hasPrefix("cannot read order file 'o.csv': "))
        }
        let jsonl = ByteSource(descriptor: open(NSTemporaryDirectory(), O_RDONLY), closes: true)
        var reader = JSONLinesOrderReader(bytes: [], source: jsonl, file: "o.jsonl", limits: InputLimits())
        let record = try #require(reader.nextPending()?.decode())
        #expect(record.problems.first?.message.hasPrefix("the file could not be read to its end: ") == true)
        #expect(reader.nextPending() == nil)
    }
}
