/// Reads RFC 4180 CSV order files (header row, UTF-8, optional BOM, CRLF or LF), one record at
/// a time.
///
/// `line` is the physical line a record starts on; the header is line 1.
public struct CSVOrderReader: IteratorProtocol, Sendable {
    public let file: String
    /// The header's column names, in order.
    ///
    public private(set) var columns: [String] = []
    /// The bytes read and not yet consumed; `bytes[0]` is byte `consumed` of the file.
    private var bytes: [UInt8]
    private var consumed = 0
    /// Where more bytes come from; nil when `bytes` is the whole file.
    private let source: ByteSource?
    private var index = 0
    private var line = 1
    private var lineStart = 0
    /// Whether every byte read so far on the current line is ASCII: its columns are then byte
    /// offsets, without counting characters again (that count was 1 % of a W1 line).
    private var lineIsASCII = true
    private var reportedFailure = false

    private let limits: InputLimits
    /// What each column's name means to `OrderFieldParser`, worked out once for the file.
    private var targets: [OrderFieldParser.Target] = []
    /// Whether records keep their cells as written (`RecordOrigin.cells`).
    private let cells: Bool
    /// Whether plain records are read in one pass (`plainRecord`); off only in tests, which compare
    /// the two ways.
    var readsPlainRecordsWhole = true
    /// Room made for a record's fields before scanning it: the header's width once it is read
    /// (growing the array field by field was 3 % of the instructions per W1 line).
    private var expectedFields = 16

    /// Reads the header of a file already in memory.
    ///
    /// - Parameter cells: whether records keep their cells as written; reports that neither echo
    ///   nor point into the order file do without them (`Reporter.readsOrigins`).
    /// - Throws: `OrderReadError` when there is no header or it has empty or repeated names.
    public init(bytes: [UInt8], file: String, limits: InputLimits = InputLimits(), cells: Bool = true) throws(OrderReadError) {
        try self.init(bytes: bytes, source: nil, file: file, limits: limits, cells: cells)
    }

    /// Reads the header of a file read a chunk at a time from `source`.
    ///
    /// - Parameter cells: whether records keep their cells as written.
    /// - Throws: `OrderReadError` when there is no header or it has empty or repeated names.
    public init(source: ByteSource, file: String, limits: InputLimits = InputLimits(), cells: Bool = true) throws(OrderReadError) {
        var bytes: [UInt8] = []
        source.read(appendingTo: &bytes)
        if let failure = source.failure, bytes.isEmpty {
            throw OrderReadError("cannot read order file '\(file)': \(failure)", at: SourceLocation(file: file, line: 1, column: 1))
        }
        try self.init(bytes: bytes, source: source, file: file, limits: limits, cells: cells)
    }

    private init(bytes: [UInt8], source: ByteSource?, file: String, limits: InputLimits, cells: Bool) throws(OrderReadError) {
        self.bytes = bytes
        self.source = source
        self.file = file
        self.limits = limits
        self.cells = cells
        self.header = Header(file: file, columns: [], targets: [], limits: limits, cells: cells)
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3; lineStart = 3 }
        guard let header = nextRawRecord() else {
            throw OrderReadError(
                "the CSV file is empty", expected: "a header row naming the columns, e.g. 'id,supplier,customer,…'",
                at: SourceLocation(file: file, line: 1, column: 1))
        }
        if let problem = header.problem {
            throw OrderReadError("the CSV header cannot be read: \(problem)", at: SourceLocation(file: file, line: header.line, column: 1))
        }
        var seen: [String: Int] = [:]
        for (position, field) in header.fields.enumerated() {
            let location = SourceLocation(file: file, line: header.line, column: field.column)
            guard let name = header.withData(of: position, { String(validating: $0, as: UTF8.self) })?.trimmingSpaces else {
                throw OrderReadError("column \(position + 1) of the header is not valid UTF-8", at: location)
            }
            if name.isEmpty {
                throw OrderReadError("column \(position + 1) of the header has no name", expected: "a name for every column", at: location)
            }
            if let first = seen[name] {
                throw OrderReadError(
                    "column '\(name)' appears twice in the header (columns \(first + 1) and \(position + 1))", expected: "each column once",
                    at: location)
            }
            let target = OrderFieldParser.target(of: name)
            if case .element(let element) = target, !ISOCodes.elementSet.contains(element) {
                throw OrderReadError(
                    "column '\(name)' names no chemical element", expected: "'composition.' and an element symbol such as 'Dy'",
                    help: Suggestion.nearest(to: element, in: ISOCodes.elements).map { "did you mean 'composition.\($0)'?" }, at: location)
            }
            seen[name] = position
            columns.append(name)
            targets.append(target)
        }
        expectedFields = columns.count
        self.header = Header(file: file, columns: columns, targets: targets, limits: limits, cells: cells)
    }

    /// One field of a raw record: plain numbers, so that it is copied without reference counting
    /// (as a slice of the buffer, each field was retained and released at every copy: 2 % of the
    /// instructions per W1 line).
    struct RawField: Sendable {
        /// Where the field's data starts in the record's bytes, and how many bytes it has.
        var start: Int
        var count: Int
        /// For a field with doubled quotes: its data, undoubled, in the record's `undoubled`;
        /// -1 when its data is the record's bytes from `start`.
        var undoubled = -1
        /// The line and column the field starts on.
        var line: Int
        var column: Int
        var quoted: Bool
    }

    /// A record as field byte ranges, before decoding.
    struct RawRecord: RawFields, Sendable {
        var line: Int
        var fields: [RawField]
        var problem: String?
        /// The file offset of the first byte of `bytes`.
        var offset = 0
        /// The buffer the fields point into.
        var bytes: [UInt8] = []
        /// The data of fields with doubled quotes, undoubled.
        var undoubled: [[UInt8]] = []

        var fieldCount: Int { fields.count }
        var isASCIIWithoutNUL: Bool { false }

        /// Whether the record is a blank line (only spaces and tabs, nothing quoted), which is skipped.
        var isBlank: Bool {
            problem == nil
                && fields.indices.allSatisfy { position in
                    !fields[position].quoted && withData(of: position) { $0.allSatisfy { $0 == 0x20 || $0 == 0x09 } }
                }
        }

        /// Runs `body` over each field's position, field and data (quotes undoubled), in order.
        ///
        /// The record's bytes and fields are read in place once for all fields: field by field
        /// (`withData`), each was about 50 instructions more, ten a W1 line (callgrind).
        func forEachField(_ body: (_ position: Int, _ field: RawField, _ data: UnsafeBufferPointer<UInt8>) -> Void) {
            bytes.withUnsafeBufferPointer { buffer in
                fields.withUnsafeBufferPointer { fields in
                    for position in fields.indices {
                        let field = fields[position]
                        withData(of: field, in: buffer) { body(position, field, $0) }
                    }
                }
            }
        }

        /// Runs `body` over the data of field `position` (quotes undoubled).
        func withData<Result>(of position: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
            bytes.withUnsafeBufferPointer { withData(of: fields[position], in: $0, body) }
        }

        /// `body` of `field`'s data: undoubled, or its range of `buffer` (the record's bytes).
        @inline(__always)
        private func withData<Result>(
            of field: RawField, in buffer: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Result
        ) -> Result {
            if field.undoubled >= 0 { return undoubled[field.undoubled].withUnsafeBufferPointer(body) }
            return body(UnsafeBufferPointer(rebasing: buffer[field.start..<field.start + field.count]))
        }
    }

    /// What decoding a record needs to know of its file; one instance shared by all its records
    /// (as a struct, each pending record copied it, a retain for each of its parts).
    final class Header: Sendable {
        let file: String
        let columns: [String]
        let targets: [OrderFieldParser.Target]
        /// For each column, how its ASCII fields are read from their bytes (`OrderFieldParser.ByteReading`).
        let byteReadings: [OrderFieldParser.ByteReading]
        let limits: InputLimits
        let cells: Bool
        /// Whether a plain record of the file may be read by `decodePlain`: no cells are kept and
        /// every column is read from its bytes (none as text).
        let decodesPlain: Bool

        init(file: String, columns: [String], targets: [OrderFieldParser.Target], limits: InputLimits, cells: Bool) {
            self.file = file
            self.columns = columns
            self.targets = targets
            byteReadings = targets.map(OrderFieldParser.ByteReading.init)
            self.limits = limits
            self.cells = cells
            decodesPlain =
                !cells
                && byteReadings.allSatisfy { reading in
                    if case .text = reading { false } else { true }
                }
        }
    }

    /// The last column computed, so that the columns of a line's fields are counted in one pass.
    private var columnCache = (lineStart: -1, position: 0, column: 1)

    private mutating func column(of position: Int) -> Int {
        if lineIsASCII { return position - lineStart + 1 }
        var (count, cursor) = (1, lineStart)
        if columnCache.lineStart == lineStart, columnCache.position <= position {
            (count, cursor) = (columnCache.column, columnCache.position)
        }
        while cursor < position {
            if bytes[cursor] & 0xC0 != 0x80 { count += 1 }
            cursor += 1
        }
        columnCache = (lineStart, position, count)
        return count
    }

    /// The next record, with a problem when it is longer than `--max-line-length`.
    ///
    /// A record that runs into the end of the bytes read so far is scanned again once more
    /// are read, so records are read exactly as if the whole file were in memory.
    private mutating func nextRawRecord() -> RawRecord? {
        var start = index
        var record: RawRecord?
        while true {
            let (savedLine, savedLineStart, savedLineIsASCII) = (line, lineStart, lineIsASCII)
            record = scanRecord()
            guard index >= bytes.count, let source, !source.isExhausted else { break }
            (index, line, lineStart, lineIsASCII) = (start, savedLine, savedLineStart, savedLineIsASCII)
            let drop = min(start, lineStart)
            if drop > 0 {
                bytes.removeSubrange(0..<drop)
                consumed += drop
                index -= drop
                lineStart -= drop
                columnCache.lineStart = -1
                start -= drop
            }
            // At least double what is held, so that a record longer than a chunk (an unclosed
            // quote) is rescanned a logarithmic number of times, not once per chunk.
            let target = max(bytes.count * 2, bytes.count + 1)
            while bytes.count < target, !source.isExhausted { source.read(appendingTo: &bytes) }
        }
        // Moved out of the optional, not copied (a retain and release of each of its parts).
        guard var record = record.take() else { return nil }
        record.offset = consumed
        record.bytes = bytes
        if index - start > limits.maximumRecordBytes {
            record.problem = "the record is \(index - start) bytes, more than the limit of \(limits.maximumRecordBytes) (--max-line-length)"
            record.fields = []
        }
        return record
    }

    private mutating func scanRecord() -> RawRecord? {
        guard index < bytes.count else { return nil }
        if readsPlainRecordsWhole, lineIsASCII,
            let (fields, end) = Self.plainRecord(bytes, from: index, lineStart: lineStart, line: line, capacity: expectedFields)
        {
            (index, line, lineStart) = (end, line + 1, end)
            return RawRecord(line: line - 1, fields: fields)
        }
        var record = RawRecord(line: line, fields: [])
        record.fields.reserveCapacity(expectedFields)
        while true {
            let fieldColumn = column(of: index)
            if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                let startLine = line
                index += 1
                var content: [UInt8] = []
                let start = index
                var closed = false
                var simple = true
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: "\"") {
                        if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                            if simple { content = Array(bytes[start..<index]); simple = false }
                            content.append(byte)
                            index += 2
                            continue
                        }
                        closed = true
                        break
                    }
                    if byte == 0x0A {
                        line += 1
                        lineStart = index + 1
                        lineIsASCII = true
                    } else if byte >= 0x80 {
                        lineIsASCII = false
                    }
                    if !simple { content.append(byte) }
                    index += 1
                }
                guard closed else {
                    record.problem =
                        "the quoted field starting at line \(startLine), column \(fieldColumn) is never closed; lines \(startLine)–\(line) could not be read"
                    record.fields.append(
                        RawField(start: start, count: bytes.count - start, line: startLine, column: fieldColumn, quoted: true))
                    index = bytes.count
                    return record
                }
                var field = RawField(start: start, count: index - start, line: startLine, column: fieldColumn, quoted: true)
                if !simple {
                    field.undoubled = record.undoubled.count
                    record.undoubled.append(content)
                }
                index += 1
                record.fields.append(field)
                if index < bytes.count, bytes[index] != UInt8(ascii: ","), bytes[index] != 0x0A, bytes[index] != 0x0D {
                    record.problem = record.problem ?? "unexpected text after the closing quote at column \(column(of: index))"
                    while index < bytes.count, bytes[index] != UInt8(ascii: ","), bytes[index] != 0x0A {
                        if bytes[index] >= 0x80 { lineIsASCII = false }
                        index += 1
                    }
                }
            } else {
                let start = index
                let (end, bits) = bytes.withUnsafeBufferPointer { $0.firstIndex(of: UInt8(ascii: ","), or: 0x0A, from: start) }
                index = end
                if bits >= 0x80 { lineIsASCII = false }
                var stop = index
                if stop > start, bytes[stop - 1] == 0x0D, index >= bytes.count || bytes[index] == 0x0A { stop -= 1 }
                record.fields.append(RawField(start: start, count: stop - start, line: line, column: fieldColumn, quoted: false))
            }
            if index >= bytes.count { return record }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
            if index < bytes.count, bytes[index] == 0x0A {
                index += 1
                line += 1
                lineStart = index
                lineIsASCII = true
            }
            return record
        }
    }

    /// The fields of the record at `start` and the index after its line feed, when it is plain.
    ///
    /// Plain: on one line that ends within `bytes`, all ASCII, no field quoted. nil for any other
    /// record, which `scanRecord` reads field by field (reading the same fields from a plain one).
    ///
    /// Over the buffer's bytes in one pass: field by field through the array, with a bounds check
    /// of each byte looked at and the column worked out for each field, a W1 line was about 1,500
    /// instructions (callgrind).
    private static func plainRecord(
        _ bytes: [UInt8], from start: Int, lineStart: Int, line: Int, capacity: Int
    ) -> (fields: [RawField], end: Int)? {
        bytes.withUnsafeBufferPointer { buffer -> (fields: [RawField], end: Int)? in
            var fields: [RawField] = []
            fields.reserveCapacity(capacity)
            var index = start
            while true {
                if index < buffer.count, buffer[index] == UInt8(ascii: "\"") { return nil }
                let fieldStart = index
                let (end, bits) = buffer.firstIndex(of: UInt8(ascii: ","), or: 0x0A, from: index)
                // Not ASCII, or no line feed before the end of what is read: not plain.
                guard bits < 0x80, end < buffer.count else { return nil }
                var stop = end
                if buffer[end] == 0x0A, stop > fieldStart, buffer[stop - 1] == 0x0D { stop -= 1 }
                fields.append(
                    RawField(start: fieldStart, count: stop - fieldStart, line: line, column: fieldStart - lineStart + 1, quoted: false))
                index = end + 1
                if buffer[end] == 0x0A { return (fields, index) }
            }
        }
    }

    /// The file offset of byte `index` of a field's `data`: a doubled quote is one byte of the
    /// data but two of the file.
    static func fileOffset(of index: Int, in data: UnsafeBufferPointer<UInt8>, field: RawField, base: Int) -> Int {
        let quotes = data[0..<index].reduce(0) { $0 + ($1 == UInt8(ascii: "\"") ? 1 : 0) }
        return base + field.start + index + (field.quoted ? quotes : 0)
    }

    /// The offset of the first byte that breaks UTF-8 in `data`.
    static func firstInvalidUTF8(_ data: UnsafeBufferPointer<UInt8>) -> Int {
        var index = 0
        while index < data.count {
            let byte = data[index]
            let length = byte < 0x80 ? 1 : byte >> 5 == 0b110 ? 2 : byte >> 4 == 0b1110 ? 3 : byte >> 3 == 0b11110 ? 4 : 0
            guard length > 0, index + length <= data.count,
                String(validating: data[index..<index + length], as: UTF8.self) != nil
            else { return index }
            index += length
        }
        return 0
    }

    /// The next record, decoded here (blank lines skipped); `nextPending` leaves decoding to the caller.
    public mutating func next() -> OrderRecord? {
        nextPending()?.decode()
    }

    /// The next record as found in the file, to be decoded later (on any thread); nil at the end.
    ///
    /// Blank lines are skipped here, so that every pending record decodes to a record.
    mutating func nextPending() -> PendingRecord? {
        while let raw = nextRawRecord() {
            if !raw.isBlank { return PendingRecord(csv: raw, header: header) }
        }
        if let failure = source?.failure, let record = readFailure(failure) { return PendingRecord(record) }
        return nil
    }

    /// Built once the header is read.
    private(set) var header: Header

    /// Adds this file's next records to `batch` until the batch is full; false once the file has
    /// no more.
    ///
    /// A plain record (on one line that ends within the bytes read, all ASCII, any quoted field
    /// without doubled quotes and closed right before a comma or the line's end) is copied into
    /// the batch's own storage (`PendingBatch.appendPlain`); any other becomes a
    /// pending record as `nextPending` makes it. As a `RawRecord`, a plain record was an array of
    /// its fields allocated by the reading thread and freed by a preparing one, and it held the
    /// reader's buffer and the header: an allocation and four atomic counts a line, two of them
    /// on objects the reading thread counted up while the others counted down.
    mutating func fill(_ batch: PendingBatch) -> Bool {
        while !batch.isFull {
            if readsPlainRecordsWhole, lineIsASCII, index < bytes.count {
                let (start, lineStart, line, offset) = (index, self.lineStart, self.line, consumed + index)
                let maximumBytes = limits.maximumRecordBytes
                let header = self.header
                let end = bytes.withUnsafeBufferPointer { buffer in
                    batch.appendPlain(
                        buffer, from: start, lineStart: lineStart, line: line, offset: offset, header: header, maximumBytes: maximumBytes)
                }
                if let end {
                    (index, self.line, self.lineStart) = (end, line + 1, end)
                    continue
                }
            }
            guard let record = nextPending() else { return false }
            batch.append(record)
        }
        return true
    }

    /// A record saying that the file could not be read to its end (fail closed: never dropped silently).
    private mutating func readFailure(_ failure: String) -> OrderRecord? {
        guard !reportedFailure else { return nil }
        reportedFailure = true
        return OrderRecord(
            file: file, line: line, id: nil, order: nil,
            problems: [InputProblem(field: nil, message: "the file could not be read past byte \(consumed + bytes.count): \(failure)")])
    }

    /// A field's value for `OrderFieldParser`: `text` trimmed of ASCII spaces and tabs as bytes
    /// when its ends are ASCII; as text to trim when they are not (Unicode spaces).
    static func value(_ data: UnsafeBufferPointer<UInt8>, _ text: String) -> OrderFieldParser.RawValue {
        let trimmed = data.rangeTrimmingSpaces
        let (start, end) = (trimmed.lowerBound, trimmed.upperBound)
        if start < end, data[start] >= 0x80 || data[end - 1] >= 0x80 { return .text(text) }
        if start == 0 && end == data.count { return .trimmed(text) }
        return .trimmed(String(decoding: UnsafeBufferPointer(rebasing: data[start..<end]), as: UTF8.self))
    }

    /// Turns a raw record that is not blank (`RawRecord.isBlank`) into an order record.
    static func decode<Raw: RawFields>(_ raw: Raw, _ header: Header) -> OrderRecord {
        var (record, line) = decodeFields(raw, header)
        if let line = line.take() { record.order = OrderLine(line) }
        return record
    }

    /// `decodeFields` of a plain record whose every field is read from its bytes, in one loop over
    /// them (`Header.decodesPlain`), written into `output` and `line`; false, having written
    /// nothing, for any other record, which `decodeFields` reads.
    ///
    /// The same record and line as `decodeFields` (`BatchedCSVTests`): a record of the header's
    /// width and within the field limit, each field ASCII without NUL and read as `decodeFields`
    /// reads it from its bytes; a field that is not, or a destination that is not a country code,
    /// sends the record back to `decodeFields`, which reports it. The general loop, which also
    /// reads fields as text and keeps cells, held a line's state on the stack and cost about 100
    /// instructions a field (callgrind); returned as an optional pair, the record and line were
    /// copied twice more.
    ///
    /// - Parameter texts: strings of earlier lines' repeating fields (`OrderFieldParser.read`).
    static func decodePlain(
        _ record: PlainRecordView, _ header: Header, into output: UnsafeMutablePointer<OrderRecord>,
        line lineOutput: UnsafeMutablePointer<OrderLine.Values?>, texts: UnsafeMutablePointer<RepeatCache<String>>? = nil
    ) -> Bool {
        let fields = record.fields
        let readings = header.byteReadings
        guard header.decodesPlain, fields.count == readings.count, fields.count <= header.limits.maximumFields else { return false }
        // Known for a record scanned sixteen bytes at a time; for one with quoted fields, checked field by field.
        let asciiWithoutNUL = record.isASCIIWithoutNUL
        let base = record.bytes.baseAddress.unsafelyUnwrapped
        let (read, line, problems) = OrderFieldParser.read(limits: header.limits, texts: texts) { parser in
            for position in fields.indices {
                let field = fields[position]
                let data = UnsafeBufferPointer(start: base + Int(field.start), count: Int(field.count))
                guard asciiWithoutNUL || ByteWord.isASCIIWithoutNUL(data),
                    parser.add(readings[position], ascii: data, column: record.columnBase + Int(field.start) + (field.quoted ? 0 : 1))
                else { return false }
            }
            return true
        }
        guard read else { return false }
        let origin = RecordOrigin(line: record.line)
        if problems.isEmpty {
            output.initialize(to: OrderRecord(file: header.file, line: record.line, id: line.id, order: nil, problems: [], origin: origin))
            lineOutput.initialize(to: line)
        } else {
            output.initialize(
                to: OrderRecord(
                    file: header.file, line: record.line, id: line.id, order: OrderLine(line), problems: problems, origin: origin))
            lineOutput.initialize(to: nil)
        }
        return true
    }

    /// `decode`, with a readable line's fields apart from its record and not yet an order line.
    ///
    /// The record's `order` is then nil: a batch moves the fields into the line's facts
    /// (`LineFacts.init(line:…)`), which spares each line an allocation. A record with problems
    /// holds its order line, if any, as `decode` returns it.
    static func decodeFields<Raw: RawFields>(_ raw: Raw, _ header: Header) -> (OrderRecord, OrderLine.Values?) {
        let columns = header.columns
        let file = header.file
        let limits = header.limits
        var problems: [InputProblem] = []
        if let problem = raw.problem { problems.append(InputProblem(field: nil, column: nil, message: problem)) }
        // A record that cannot be read whole is not parsed: it keeps only its id.
        let parses = raw.problem == nil && raw.fieldCount <= limits.maximumFields
        var id: String?
        var origin = RecordOrigin(line: raw.line)
        if header.cells { origin.cells.reserveCapacity(raw.fieldCount) }
        // (Without `parses` the record keeps only its id: the line read here is dropped.)
        let (_, line, fieldProblems) = OrderFieldParser.read(limits: limits) { parser in
            raw.forEachField { position, field, data in
                let (line, column) = (field.line, field.column)
                // One pass tells whether the field is ASCII without a NUL (most are).
                let asciiWithoutNUL = raw.isASCIIWithoutNUL || ByteWord.isASCIIWithoutNUL(data)
                // Plain texts, dates and amounts are read from the bytes when nothing needs the
                // field's text as written.
                // (A destination that is not a country code is read below, as text, and reported.)
                if parses, !header.cells, asciiWithoutNUL, position < columns.count,
                    parser.add(header.byteReadings[position], ascii: data, column: column)
                {
                    return
                }
                let text =
                    asciiWithoutNUL || ByteWord.isASCII(data)
                    ? String(decoding: data, as: UTF8.self) : String(validating: data, as: UTF8.self)
                if header.cells {
                    origin.cells.append(
                        RecordOrigin.Cell(
                            name: position < columns.count ? columns[position] : "column \(position + 1)",
                            value: text ?? String(decoding: data, as: UTF8.self),
                            position: RecordOrigin.Position(line: line, column: column)))
                }
                guard position < columns.count else { return }
                if !asciiWithoutNUL, let found = data.firstIndex(of: 0) {
                    let nul = Self.fileOffset(of: found, in: data, field: field, base: raw.offset)
                    problems.append(
                        InputProblem(
                            field: columns[position], column: column,
                            message: "\(columns[position]) contains a NUL byte at byte offset \(nul) of the file (line \(line))"))
                    return
                }
                guard let text else {
                    let offset = Self.fileOffset(of: Self.firstInvalidUTF8(data), in: data, field: field, base: raw.offset)
                    problems.append(
                        InputProblem(
                            field: columns[position], column: column,
                            message:
                                "\(columns[position]) is not valid UTF-8 at byte offset \(offset) of the file (line \(line), column \(column))"
                        ))
                    return
                }
                if parses {
                    parser.add(columns[position], header.targets[position], Self.value(data, text), column: column)
                } else if id == nil, case .known(.id) = header.targets[position] {
                    id = text
                }
            }
        }
        guard parses else {
            if raw.fieldCount > limits.maximumFields {
                problems.append(
                    InputProblem(
                        field: nil,
                        message:
                            "the record has \(raw.fieldCount) fields, more than the limit of \(limits.maximumFields) (--max-fields)"))
            }
            return (OrderRecord(file: file, line: raw.line, id: id, order: nil, problems: problems, origin: origin), nil)
        }
        if !fieldProblems.isEmpty { problems += fieldProblems }
        if raw.fieldCount != columns.count {
            problems.insert(
                InputProblem(
                    field: nil, column: nil, message: "the record has \(raw.fieldCount) fields but the header has \(columns.count)"),
                at: 0)
            return (OrderRecord(file: file, line: raw.line, id: line.id, order: nil, problems: problems, origin: origin), nil)
        }
        guard problems.isEmpty else {
            return (OrderRecord(file: file, line: raw.line, id: line.id, order: OrderLine(line), problems: problems, origin: origin), nil)
        }
        return (OrderRecord(file: file, line: raw.line, id: line.id, order: nil, problems: problems, origin: origin), line)
    }
}
