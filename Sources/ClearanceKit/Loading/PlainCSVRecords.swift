/// What `CSVOrderReader.decode` reads of a record as found: its line, and its fields' places and
/// data in order.
protocol RawFields {
    /// The physical line the record starts on.
    var line: Int { get }
    /// The file offset of the byte that the fields' starts count from.
    var offset: Int { get }
    /// Why the record could not be read whole; nil for most.
    var problem: String? { get }
    var fieldCount: Int { get }
    /// Runs `body` over each field's position, field and data (quotes undoubled), in order.
    func forEachField(_ body: (_ position: Int, _ field: CSVOrderReader.RawField, _ data: UnsafeBufferPointer<UInt8>) -> Void)
}

extension CSVOrderReader {
    /// A plain record held by a batch: where its bytes and fields are in the batch's `PlainRecords`.
    ///
    /// Plain numbers and an unowned header, moved without reference counting.
    struct PlainRecord {
        var line: Int
        /// The file offset of the record's first byte.
        var offset: Int
        var bytesStart: Int
        var bytesCount: Int
        var fieldsStart: Int
        var fieldCount: Int
        /// How far the record starts from the start of its line (a column counts from the line's
        /// start; a record starts elsewhere only after a lone carriage return).
        var columnBase: Int
        /// The file's header, kept alive by the batch that holds the record.
        var header: Unmanaged<Header>
    }

    /// A field of a plain record: where its data starts in the record's bytes, and how many bytes
    /// it has (a record is at most `maximumRecordBytes` long, and never over 4 GB here).
    struct PlainField {
        var start: UInt32
        var count: UInt32
    }

    /// The bytes and fields of a batch's plain records, each copied once out of the reader's buffer.
    ///
    /// Written by the reading thread only, before the batch is handed over; read by the preparing
    /// threads after (`PendingBatch`).
    struct PlainRecords {
        // INVARIANT: `bytes[0..<byteCount]` and `fields[0..<fieldCount]` are initialized; the
        // buffers are freed by `deallocate` only, called once by the batch's `deinit`.
        private var bytes: UnsafeMutableBufferPointer<UInt8>
        private var byteCount = 0
        private var fields: UnsafeMutableBufferPointer<PlainField>
        private var fieldCount = 0

        /// Room for `records` records of a typical width (W1 lines are about 100 bytes of 10 fields).
        init(records: Int) {
            bytes = .allocate(capacity: max(records, 1) * 128)
            fields = .allocate(capacity: max(records, 1) * 16)
        }

        func deallocate() {
            bytes.deallocate()
            fields.deallocate()
        }

        /// Keeps the record at `start` of `buffer` if it is plain, not blank and at most `maximumBytes` long.
        ///
        /// Returns the index after its line feed and the record kept (nil for a blank line, which
        /// is skipped); nil for a record to read otherwise (`nextPending`), which reads the same
        /// fields from a plain one and reports one that is too long.
        mutating func scan(
            _ buffer: UnsafeBufferPointer<UInt8>, from start: Int, lineStart: Int, line: Int, offset: Int, header: Unmanaged<Header>,
            maximumBytes: Int
        ) -> (end: Int, record: PlainRecord?)? {
            let first = fieldCount
            // Field starts and counts fit 32 bits below this.
            let limit = min(maximumBytes, Int(UInt32.max))
            var index = start
            var blank = true
            while true {
                if index < buffer.count, buffer[index] == UInt8(ascii: "\"") {
                    fieldCount = first
                    return nil
                }
                let fieldStart = index
                let (end, bits) = buffer.firstIndex(of: UInt8(ascii: ","), or: 0x0A, from: index)
                // Not ASCII, no line feed before the end of what is read, or too long: not plain.
                guard bits < 0x80, end < buffer.count, end - start < limit else {
                    fieldCount = first
                    return nil
                }
                var stop = end
                if buffer[end] == 0x0A, stop > fieldStart, buffer[stop - 1] == 0x0D { stop -= 1 }
                if blank {
                    var cursor = fieldStart
                    while cursor < stop, buffer[cursor] == 0x20 || buffer[cursor] == 0x09 { cursor += 1 }
                    blank = cursor == stop
                }
                if fieldCount == fields.count { fields = Self.grown(fields, keeping: fieldCount) }
                fields[fieldCount] = PlainField(
                    start: UInt32(truncatingIfNeeded: fieldStart - start), count: UInt32(truncatingIfNeeded: stop - fieldStart))
                fieldCount += 1
                index = end + 1
                if buffer[end] == 0x0A { break }
            }
            if blank {
                fieldCount = first
                return (index, nil)
            }
            let count = index - start
            while byteCount + count > bytes.count { bytes = Self.grown(bytes, keeping: byteCount) }
            UnsafeMutableRawPointer(bytes.baseAddress.unsafelyUnwrapped + byteCount).copyMemory(
                from: buffer.baseAddress.unsafelyUnwrapped + start, byteCount: count)
            let record = PlainRecord(
                line: line, offset: offset, bytesStart: byteCount, bytesCount: count, fieldsStart: first, fieldCount: fieldCount - first,
                columnBase: start - lineStart, header: header)
            byteCount += count
            return (index, record)
        }

        /// `buffer` moved into one twice its size; its first `count` elements kept.
        private static func grown<Element>(_ buffer: UnsafeMutableBufferPointer<Element>, keeping count: Int) -> UnsafeMutableBufferPointer<
            Element
        > {
            let larger = UnsafeMutableBufferPointer<Element>.allocate(capacity: buffer.count * 2)
            _ = larger.moveInitialize(fromContentsOf: buffer[0..<count])
            buffer.deallocate()
            return larger
        }

        /// `record` as `CSVOrderReader.decode` reads it.
        func view(_ record: PlainRecord) -> PlainRecordView {
            PlainRecordView(
                line: record.line, offset: record.offset,
                bytes: UnsafeBufferPointer(start: bytes.baseAddress.unsafelyUnwrapped + record.bytesStart, count: record.bytesCount),
                fields: UnsafeBufferPointer(start: fields.baseAddress.unsafelyUnwrapped + record.fieldsStart, count: record.fieldCount),
                columnBase: record.columnBase)
        }
    }

    /// A plain record read in place in its batch's storage; valid while the batch is.
    struct PlainRecordView: RawFields {
        let line: Int
        let offset: Int
        let bytes: UnsafeBufferPointer<UInt8>
        let fields: UnsafeBufferPointer<PlainField>
        let columnBase: Int

        var problem: String? { nil }
        var fieldCount: Int { fields.count }

        func forEachField(_ body: (_ position: Int, _ field: RawField, _ data: UnsafeBufferPointer<UInt8>) -> Void) {
            for position in fields.indices {
                let (start, count) = (Int(fields[position].start), Int(fields[position].count))
                body(
                    position, RawField(start: start, count: count, line: line, column: columnBase + start + 1, quoted: false),
                    UnsafeBufferPointer(start: bytes.baseAddress.unsafelyUnwrapped + start, count: count))
            }
        }
    }
}
