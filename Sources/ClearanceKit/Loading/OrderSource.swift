import Foundation

/// The formats order files come in (contract §6).
public enum OrderFormat: String, CaseIterable, Sendable {
    case csv, json, jsonl, yaml

    /// The format an extension implies: `.csv`, `.json`, `.jsonl`/`.ndjson`, `.yaml`/`.yml`.
    public init?(path: String) {
        switch (path as NSString).pathExtension.lowercased() {
        case "csv": self = .csv
        case "json": self = .json
        case "jsonl", "ndjson": self = .jsonl
        case "yaml", "yml": self = .yaml
        default: return nil
        }
    }
}

/// Opens order files of any format as a stream of records.
public enum OrderSource {
    /// Reads `path` (`-` for standard input) in `format`, or the format its extension implies.
    /// - Throws: `OrderReadError` when the file cannot be read at all.
    public static func records(path: String, format: OrderFormat?, limits: InputLimits = InputLimits()) throws(OrderReadError)
        -> AnyIterator<OrderRecord>
    {
        decoded(try pendingRecords(path: path, format: format, limits: limits))
    }

    /// Reads order records from bytes already in memory; `cells` as for `pendingRecords`.
    public static func records(
        bytes: [UInt8], file: String, format: OrderFormat, limits: InputLimits = InputLimits(), cells: Bool = true
    ) throws(OrderReadError) -> AnyIterator<OrderRecord> {
        decoded(try pendingSource(bytes: bytes, source: nil, file: file, format: format, limits: limits, cells: cells).records)
    }

    private static func decoded(_ pending: AnyIterator<PendingRecord>) -> AnyIterator<OrderRecord> {
        AnyIterator { pending.next()?.decode() }
    }

    /// The records of `path` as found, to be decoded by `PendingRecord.decode()` on any thread.
    ///
    /// CSV and JSON Lines are read a chunk at a time, in memory that does not grow with the file;
    /// a JSON or YAML document is read whole (it is only known to be well formed at its end), then
    /// its records are decoded one by one as they are asked for (a JSON array's from its bytes, once
    /// the whole array is checked; a YAML list's from its nodes).
    /// - Parameter cells: whether records keep their cells as written (`RecordOrigin.cells`);
    ///   reports that neither echo nor point into the order file do without them.
    /// - Throws: `OrderReadError` when the file cannot be opened or its header read.
    public static func pendingRecords(
        path: String, format: OrderFormat?, limits: InputLimits = InputLimits(), cells: Bool = true
    ) throws(OrderReadError) -> AnyIterator<PendingRecord> {
        try pendingSource(path: path, format: format, limits: limits, cells: cells).records
    }

    /// The records of `path` as `pendingRecords` finds them, for filling batches (`PendingSource.fill`).
    /// - Throws: `OrderReadError` when the file cannot be opened or its header read.
    static func pendingSource(
        path: String, format: OrderFormat?, limits: InputLimits = InputLimits(), cells: Bool = true
    ) throws(OrderReadError) -> PendingSource {
        let start = SourceLocation(file: path, line: 1, column: 1)
        guard let format = format ?? (path == "-" ? .csv : OrderFormat(path: path)) else {
            throw OrderReadError(
                "cannot tell the format of '\(path)' from its name", expected: "a .csv, .json, .jsonl or .yaml file",
                help: "pass --input-format csv|json|jsonl|yaml", at: start)
        }
        let source: ByteSource
        if path == "-" {
            source = ByteSource(descriptor: STDIN_FILENO, closes: false)
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw OrderReadError("no order file at '\(path)'", help: "check the path", at: start)
            }
            if isDirectory.boolValue { throw OrderReadError("'\(path)' is a directory, not an order file", at: start) }
            let descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else { throw OrderReadError("cannot read order file '\(path)'", at: start) }
            source = ByteSource(descriptor: descriptor, closes: true)
        }
        switch format {
        case .csv, .jsonl:
            return try pendingSource(bytes: [], source: source, file: path, format: format, limits: limits, cells: cells)
        case .json, .yaml:
            var bytes: [UInt8] = []
            // Room for the whole file at once: grown chunk by chunk, a large file was copied at
            // every doubling (a tenth of the time spent reading a 44 MB JSON order file).
            if let size = source.regularFileSize { bytes.reserveCapacity(size) }
            while !source.isExhausted { source.read(appendingTo: &bytes) }
            if source.failure != nil { throw OrderReadError("cannot read order file '\(path)'", at: start) }
            return try pendingSource(bytes: bytes, source: nil, file: path, format: format, limits: limits, cells: cells)
        }
    }

    private static func pendingSource(
        bytes: [UInt8], source: ByteSource?, file: String, format: OrderFormat, limits: InputLimits, cells: Bool
    ) throws(OrderReadError) -> PendingSource {
        switch format {
        case .csv:
            let reader =
                if let source { try CSVOrderReader(source: source, file: file, limits: limits, cells: cells) } else {
                    try CSVOrderReader(bytes: bytes, file: file, limits: limits, cells: cells)
                }
            return PendingSource(csv: reader)
        case .jsonl:
            var reader = JSONLinesOrderReader(bytes: bytes, source: source, file: file, limits: limits, cells: cells)
            return PendingSource(AnyIterator { reader.nextPending() })
        case .json:
            // The document is checked whole first (a malformed one stops the file, exit 2); its
            // records are then decoded from their bytes on any thread, not all built up front (a
            // million W1 lines as one JSON array took 1.8 GB that way).
            let elements = try jsonElements(bytes: bytes, file: file, limits: limits)
            let context = PendingRecord.DocumentContext(file: file, limits: limits, cells: cells)
            return PendingSource(
                AnyIterator(
                    elements.enumerated().lazy.map {
                        PendingRecord(jsonElement: $0.element, index: $0.offset + 1, bytes: bytes, context: context)
                    }.makeIterator()))
        case .yaml:
            // Like JSON: the document is read whole, its records decoded from their nodes on any thread.
            let items = try yamlItems(bytes: bytes, file: file, limits: limits)
            let context = PendingRecord.DocumentContext(file: file, limits: limits, cells: cells)
            return PendingSource(
                AnyIterator(
                    items.enumerated().lazy.map { PendingRecord(yamlItem: $0.element, index: $0.offset + 1, context: context) }
                        .makeIterator()))
        }
    }

    static func record(
        from value: JSONValue, file: String, line: Int, physicalLine: Int? = nil, limits: InputLimits = InputLimits(), cells: Bool = true
    ) -> OrderRecord {
        guard case .object(let members) = value else {
            return OrderRecord(
                file: file, line: line, id: nil, order: nil,
                problems: [InputProblem(field: nil, message: "the record is \(value.shapeName), not an object of fields")],
                origin: RecordOrigin(line: physicalLine ?? line, cells: [RecordOrigin.Cell(name: "record", value: jsonText(value))]))
        }
        func raw(_ value: JSONValue) -> OrderFieldParser.RawValue? {
            switch value {
            case .string(let text): .text(text)
            case .number(let number): .number(number)
            case .null: nil
            case .bool: .invalid("true/false")
            case .array: .invalid("an array")
            case .object(let inner): .mapping(inner.compactMap { member in raw(member.value).map { (member.key, $0) } })
            }
        }
        let startLine: Int = physicalLine ?? (members.isEmpty ? line : members[0].line)
        var origin = RecordOrigin(line: startLine)
        for member in members where cells {
            origin.cells.append(
                RecordOrigin.Cell(
                    name: member.key, value: jsonText(member.value),
                    position: RecordOrigin.Position(line: member.line, column: member.column)))
        }
        let fields = members.compactMap { member in raw(member.value).map { (member.key, $0, Int?.none) } }
        let (order, problems) = OrderFieldParser.parse(fields, limits: limits)
        return OrderRecord(file: file, line: line, id: order.id, order: order, problems: problems, origin: origin)
    }

    /// A JSON value as one text cell: strings as they are, objects as `key=value; …`.
    static func jsonText(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .number(let number): return number
        case .null: return ""
        case .bool(let flag): return flag ? "true" : "false"
        case .array(let items): return items.map { jsonText($0) }.joined(separator: "; ")
        case .object(let members):
            return members.map { member -> String in member.key + "=" + jsonText(member.value) }.joined(separator: "; ")
        }
    }

    /// A YAML node as one text cell, like `jsonText` for JSON.
    static func yamlText(_ node: YAMLNode) -> String {
        switch node.content {
        case .scalar(let text): return node.isNull ? "" : text
        case .sequence(let items): return items.map { yamlText($0) }.joined(separator: "; ")
        case .mapping(let pairs):
            return pairs.map { pair -> String in (pair.key.scalar ?? "") + "=" + yamlText(pair.value) }.joined(separator: "; ")
        }
    }

    /// The elements of a JSON order file's array, the whole document checked.
    /// - Throws: `OrderReadError` when the document is not well formed or not an array.
    private static func jsonElements(bytes: [UInt8], file: String, limits: InputLimits) throws(OrderReadError) -> [JSONParser.Element] {
        func invalid(_ error: JSONParser.Failure) -> OrderReadError {
            OrderReadError(
                "invalid JSON: \(error.message)", expected: "a JSON array of order objects",
                at: SourceLocation(file: file, line: error.line, column: error.column))
        }
        var parser = JSONParser(bytes: bytes, maximumDepth: limits.maximumDepth)
        do {
            if let elements = try parser.arrayElements() { return elements }
        } catch {
            throw invalid(error)
        }
        // Not an array: read it whole to say what it is (or where it is not well formed).
        var whole = JSONParser(bytes: bytes, maximumDepth: limits.maximumDepth)
        let document: JSONValue
        do {
            document = try whole.parseDocument()
        } catch {
            throw invalid(error)
        }
        throw OrderReadError(
            "the JSON document is \(document.shapeName), not an array", expected: "a JSON array of order objects: [{\"id\": …}, …]",
            at: SourceLocation(file: file, line: 1, column: 1))
    }

    /// The items of a YAML order file's list.
    /// - Throws: `OrderReadError` when the file is not well formed, has several documents, or is not a list.
    private static func yamlItems(bytes: [UInt8], file: String, limits: InputLimits) throws(OrderReadError) -> [YAMLNode] {
        let documents: [YAMLNode]
        do {
            documents = try YAMLReader(limits: limits).documents(in: bytes, file: file)
        } catch {
            throw OrderReadError(error.message, expected: error.expected, at: error.location)
        }
        guard documents.count <= 1 else {
            throw OrderReadError(
                "the YAML order file has \(documents.count) documents", expected: "one document holding a list of orders",
                at: documents[1].location)
        }
        guard let root = documents.first else { return [] }
        guard case .sequence(let items) = root.content else {
            throw OrderReadError(
                "the YAML document is \(root.shapeName), not a list", expected: "a list of order mappings: '- {id: …}'", at: root.location)
        }
        return Array(items)
    }

    /// One YAML order mapping as a record (also used for the orders of pack tests).
    static func record(from node: YAMLNode, file: String, line: Int, limits: InputLimits = InputLimits(), cells: Bool = true) -> OrderRecord
    {
        func raw(_ node: YAMLNode) -> OrderFieldParser.RawValue? {
            switch node.content {
            case .scalar(let text): node.isNull ? nil : .text(text)
            case .sequence: .invalid("a list")
            case .mapping(let pairs): .mapping(pairs.compactMap { pair in raw(pair.value).map { (pair.key.scalar ?? "", $0) } })
            }
        }
        guard case .mapping(let pairs) = node.content else {
            return OrderRecord(
                file: file, line: line, id: nil, order: nil,
                problems: [InputProblem(field: nil, message: "the record is \(node.shapeName), not a mapping of fields")],
                origin: RecordOrigin(line: node.location.line, cells: [RecordOrigin.Cell(name: "record", value: yamlText(node))]))
        }
        var origin = RecordOrigin(line: node.location.line)
        for pair in pairs where cells {
            let name = pair.key.scalar ?? ""
            origin.cells.append(
                RecordOrigin.Cell(
                    name: name, value: yamlText(pair.value),
                    position: RecordOrigin.Position(line: pair.key.location.line, column: pair.key.location.column)))
        }
        let fields = pairs.compactMap { pair in raw(pair.value).map { (pair.key.scalar ?? "", $0, Int?.some(pair.key.location.column)) } }
        let (order, problems) = OrderFieldParser.parse(fields, limits: limits)
        return OrderRecord(file: file, line: line, id: order.id, order: order, problems: problems, origin: origin)
    }
}

/// An order file's records as found, read into batches (`fill`) or one at a time (`records`).
final class PendingSource {
    // One of the two; the CSV reader is held as itself, so that a batch is filled through one call
    // (and its plain records kept in the batch, `CSVOrderReader.fill`), not a call a record.
    private var csv: CSVOrderReader?
    private let others: AnyIterator<PendingRecord>?

    init(csv reader: CSVOrderReader) { (csv, others) = (reader, nil) }

    init(_ records: AnyIterator<PendingRecord>) { (csv, others) = (nil, records) }

    /// Adds records to `batch` until it is full (true) or the file has no more (false).
    func fill(_ batch: PendingBatch) -> Bool {
        if csv != nil { return csv?.fill(batch) ?? false }
        guard let others else { return false }
        while !batch.isFull {
            guard let record = others.next() else { return false }
            batch.append(record)
        }
        return true
    }

    /// The records one at a time, each to be decoded by `PendingRecord.decode()`.
    var records: AnyIterator<PendingRecord> {
        if let others { return others }
        return AnyIterator { [self] in csv?.nextPending() }
    }
}

/// A record as found in an order file, decoded by `decode()` later, on any thread, so that the
/// sequential read only finds where records are.
public struct PendingRecord: Sendable {
    private enum Content: Sendable {
        case ready(OrderRecord)
        case csv(CSVOrderReader.RawRecord, CSVOrderReader.Header)
        case jsonLine(ArraySlice<UInt8>, line: Int, file: String, limits: InputLimits, cells: Bool)
        /// The `index`-th (1-based) element of a JSON order file's array (`bytes`), checked already.
        case jsonElement(JSONParser.Element, index: Int, bytes: [UInt8], context: DocumentContext)
        /// The `index`-th (1-based) item of a YAML order file's list.
        case yamlItem(YAMLNode, index: Int, context: DocumentContext)
        /// Left behind by `decode`, which moves the content out.
        case decoded
    }

    /// What the records of one JSON or YAML order file share: where they come from and how to read them.
    final class DocumentContext: Sendable {
        let file: String
        let limits: InputLimits
        let cells: Bool

        init(file: String, limits: InputLimits, cells: Bool) {
            (self.file, self.limits, self.cells) = (file, limits, cells)
        }
    }

    private var content: Content

    /// A record decoded already (JSON, YAML, in-memory records).
    public init(_ record: OrderRecord) { content = .ready(record) }

    init(csv raw: CSVOrderReader.RawRecord, header: CSVOrderReader.Header) { content = .csv(raw, header) }

    init(jsonLine bytes: ArraySlice<UInt8>, line: Int, file: String, limits: InputLimits, cells: Bool) {
        content = .jsonLine(bytes, line: line, file: file, limits: limits, cells: cells)
    }

    init(jsonElement element: JSONParser.Element, index: Int, bytes: [UInt8], context: DocumentContext) {
        content = .jsonElement(element, index: index, bytes: bytes, context: context)
    }

    init(yamlItem node: YAMLNode, index: Int, context: DocumentContext) {
        content = .yamlItem(node, index: index, context: context)
    }

    /// The order record (blank CSV records are skipped before they become pending records).
    ///
    /// Consuming: the record's parts are moved into the decoding, not copied.
    public consuming func decode() -> OrderRecord {
        // Swapped out: switching over `content` copied the record (a retain of each of its parts,
        // among them the chunk of the file that every record of it shares).
        var content = Content.decoded
        swap(&content, &self.content)
        switch consume content {
        case .ready(let record): return record
        case .csv(let raw, let header): return CSVOrderReader.decode(raw, header)
        case .jsonLine(let bytes, let line, let file, let limits, let cells):
            var parser = JSONParser(bytes: Array(bytes), line: line, maximumDepth: limits.maximumDepth)
            do {
                return OrderSource.record(
                    from: try parser.parseDocument(), file: file, line: line, physicalLine: line, limits: limits, cells: cells)
            } catch {
                return OrderRecord(
                    file: file, line: line, id: nil, order: nil,
                    problems: [
                        InputProblem(field: nil, column: error.column, message: "invalid JSON at column \(error.column): \(error.message)")
                    ])
            }
        case .jsonElement(let element, let index, let bytes, let context):
            // At the depth it has in the document, so that the depth limit reads the same.
            var parser = JSONParser(
                bytes: bytes, range: element.range, line: element.line, column: element.column,
                maximumDepth: context.limits.maximumDepth)
            do {
                return OrderSource.record(
                    from: try parser.parseValue(depth: 1), file: context.file, line: index, limits: context.limits, cells: context.cells)
            } catch {
                // The document was checked whole before its elements were handed out, so this is
                // not expected; if it happens the record is still reported, never dropped.
                return OrderRecord(
                    file: context.file, line: index, id: nil, order: nil,
                    problems: [
                        InputProblem(field: nil, message: "invalid JSON at line \(error.line), column \(error.column): \(error.message)")
                    ])
            }
        case .yamlItem(let node, let index, let context):
            return OrderSource.record(from: node, file: context.file, line: index, limits: context.limits, cells: context.cells)
        case .decoded:
            preconditionFailure("a pending record was decoded twice")
        }
    }
}

/// Reads JSON Lines: one order object per physical line; blank lines are skipped and a line that
/// is not valid JSON becomes an `input-error` record, never a dropped one.
struct JSONLinesOrderReader {
    private var bytes: [UInt8]
    private let source: ByteSource?
    let file: String
    private var index = 0
    private var line = 0
    private var reportedFailure = false

    let limits: InputLimits
    let cells: Bool

    init(bytes: [UInt8], source: ByteSource?, file: String, limits: InputLimits, cells: Bool = true) {
        self.bytes = bytes
        self.source = source
        self.file = file
        self.limits = limits
        self.cells = cells
        if let source { source.read(appendingTo: &self.bytes) }
        if self.bytes.count >= 3, self.bytes[0] == 0xEF, self.bytes[1] == 0xBB, self.bytes[2] == 0xBF { index = 3 }
    }

    /// The next line's record, to be decoded by `PendingRecord.decode()`.
    mutating func nextPending() -> PendingRecord? {
        while true {
            if index >= bytes.count, let source, !source.isExhausted {
                bytes.removeAll(keepingCapacity: true)
                index = 0
                source.read(appendingTo: &bytes)
                continue
            }
            guard index < bytes.count else {
                if let failure = source?.failure, !reportedFailure {
                    reportedFailure = true
                    return PendingRecord(
                        OrderRecord(
                            file: file, line: line + 1, id: nil, order: nil,
                            problems: [InputProblem(field: nil, message: "the file could not be read to its end: \(failure)")]))
                }
                return nil
            }
            var end = bytes[index...].firstIndex(of: 0x0A) ?? bytes.count
            while end == bytes.count, let source, !source.isExhausted {
                // The line runs past the bytes read so far: drop what was consumed and read on.
                let searched = bytes.count - index
                bytes.removeSubrange(0..<index)
                index = 0
                source.read(appendingTo: &bytes)
                end = bytes[searched...].firstIndex(of: 0x0A) ?? bytes.count
            }
            line += 1
            let start = index
            index = end + 1
            if bytes[start..<end].allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            if end - start > limits.maximumRecordBytes {
                return PendingRecord(
                    OrderRecord(
                        file: file, line: line, id: nil, order: nil,
                        problems: [
                            InputProblem(
                                field: nil,
                                message:
                                    "the line is \(end - start) bytes, more than the limit of \(limits.maximumRecordBytes) (--max-line-length)"
                            )
                        ]))
            }
            return PendingRecord(jsonLine: bytes[start..<end], line: line, file: file, limits: limits, cells: cells)
        }
    }
}

extension OrderSource {
    /// Builds a record from named text fields, as `clearance explain --customer …` gives them.
    public static func record(fields: [(name: String, text: String)], file: String, line: Int) -> OrderRecord {
        let (order, problems) = OrderFieldParser.parse(fields.map { ($0.name, .text($0.text), nil) })
        return OrderRecord(file: file, line: line, id: order.id, order: order, problems: problems)
    }
}
