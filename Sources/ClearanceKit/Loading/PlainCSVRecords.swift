import CIntrinsics

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
    /// Whether every byte of the record is known to be ASCII and none NUL (false: not known; each
    /// field is checked).
    var isASCIIWithoutNUL: Bool { get }
    /// Runs `body` over each field's position, field and data (quotes undoubled), in order.
    func forEachField(_ body: (_ position: Int, _ field: CSVOrderReader.RawField, _ data: UnsafeBufferPointer<UInt8>) -> Void)
}

extension CSVOrderReader {
    /// A plain record (on one line that ends within the bytes read, all ASCII, quoted fields without
    /// doubled quotes) held by a batch: where its bytes and fields are in the batch's `PlainRecords`.
    ///
    /// Plain numbers and an unowned header, moved without reference counting.
    struct PlainRecord {
        var line: Int
        /// The file offset of the record's first byte.
        var offset: Int
        /// Where its bytes and its fields are in the batch's storage.
        var bytes: Range<Int>
        var fields: Range<Int>
        /// How far the record starts from the start of its line (a column counts from the line's
        /// start; a record starts elsewhere only after a lone carriage return).
        var columnBase: Int
        /// The file's header, kept alive by the batch that holds the record.
        var header: Unmanaged<Header>
        /// Whether the scan found every byte ASCII and none NUL (`RawFields.isASCIIWithoutNUL`).
        var isASCIIWithoutNUL: Bool
    }

    /// A field of a plain record: where its data starts in the record's bytes, and how many bytes
    /// it has (a record is at most `maximumRecordBytes` long, and never over 4 GB here).
    struct PlainField {
        var start: UInt32
        var count: UInt32
        /// Whether the data is between quotes (its column is the opening quote's).
        var quoted: Bool
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
            // Field starts and counts fit 32 bits below this.
            let limit = min(maximumBytes, Int(UInt32.max))
            // Sixteen bytes at a time while the line is all ASCII: its commas, its quoted fields
            // (from the quote that opens one to the quote that closes it), then its line feed.
            let first = fieldCount
            let base = buffer.baseAddress.unsafelyUnwrapped
            var fieldStart = start
            var word = start
            // The top bits of the NUL bytes seen (one check for the record, not one a field).
            var nuls: UInt64 = 0
            // The fields written through locals, stored back when the line ends or is given up:
            // through `self`, every word loaded and stored them (callgrind).
            var (slots, count) = (fields.baseAddress.unsafelyUnwrapped, fieldCount)
            var room = fields.count &- count
            // The last 16 bytes that may be read, and the last ones within the limit.
            let end = min(buffer.count &- 16, start &+ limit &- 1)
            scanning: while word <= end {
                // Commas, line feeds, quotes or non-ASCII bytes, and NULs (`clearance_csv_masks16`).
                let masks = clearance_csv_masks16(base + word)
                let feeds = masks &>> 16 & 0xFFFF
                // The bytes before the first line feed (all of them without one).
                let before: UInt64 = feeds == 0 ? 0xFFFF : (feeds & (0 &- feeds)) &- 1
                let quotes = masks &>> 32 & before
                // The bytes before the first quote or non-ASCII byte, too.
                let plain = quotes == 0 ? before : (quotes & (0 &- quotes)) &- 1
                nuls |= masks &>> 48 & plain
                // A field more than the commas for a quoted one.
                if room <= 17 {
                    fields = fields.grown(keeping: count)
                    (slots, room) = (fields.baseAddress.unsafelyUnwrapped, fields.count &- count)
                }
                var commas = masks & plain
                while commas != 0 {
                    let comma = word &+ commas.trailingZeroBitCount
                    slots[count] = PlainField(
                        start: UInt32(truncatingIfNeeded: fieldStart &- start), count: UInt32(truncatingIfNeeded: comma &- fieldStart),
                        quoted: false)
                    count &+= 1
                    room &-= 1
                    fieldStart = comma &+ 1
                    commas &= commas &- 1
                }
                if quotes != 0 {
                    // A quote that opens a field, its data ASCII up to a closing quote on the line,
                    // followed by a comma or the line's end; anything else is read field by field.
                    let open = word &+ quotes.trailingZeroBitCount
                    guard open == fieldStart, base[open] == UInt8(ascii: "\"") else { break }
                    var close = open &+ 1
                    while true {
                        guard close <= end else { break scanning }
                        let inside = clearance_csv_masks16(base + close)
                        // Quotes, non-ASCII bytes and line feeds.
                        let stops = (inside &>> 32 | inside &>> 16) & 0xFFFF
                        if stops == 0 {
                            nuls |= inside &>> 48 & 0xFFFF
                            close &+= 16
                            continue
                        }
                        nuls |= inside &>> 48 & ((stops & (0 &- stops)) &- 1)
                        close &+= stops.trailingZeroBitCount
                        break
                    }
                    guard base[close] == UInt8(ascii: "\""), close &+ 2 < buffer.count else { break }
                    var after = close &+ 1
                    if base[after] == 0x0D, base[after &+ 1] == 0x0A { after &+= 1 }
                    guard base[after] == UInt8(ascii: ",") || base[after] == 0x0A, after &- start < limit else { break }
                    slots[count] = PlainField(
                        start: UInt32(truncatingIfNeeded: open &+ 1 &- start), count: UInt32(truncatingIfNeeded: close &- open &- 1),
                        quoted: true)
                    count &+= 1
                    room &-= 1
                    if base[after] == 0x0A {
                        fieldCount = count
                        return keep(
                            buffer, from: start, end: after &+ 1, firstField: first, blank: false, lineStart: lineStart, line: line,
                            offset: offset, header: header, isASCIIWithoutNUL: nuls == 0)
                    }
                    fieldStart = after &+ 1
                    word = fieldStart
                    continue
                }
                if feeds != 0 {
                    fieldCount = count
                    let end = word &+ feeds.trailingZeroBitCount
                    guard end - start < limit else { break }
                    // The last field stops before a carriage return that ends the line.
                    let stop = end > fieldStart && base[end - 1] == 0x0D ? end - 1 : end
                    fields[fieldCount] = PlainField(
                        start: UInt32(truncatingIfNeeded: fieldStart - start), count: UInt32(truncatingIfNeeded: stop - fieldStart),
                        quoted: false)
                    fieldCount += 1
                    // Blank: nothing but spaces and tabs in every field (most lines fail at their
                    // first byte; a quote, never skipped, makes a line not blank).
                    var cursor = start
                    while cursor < stop, base[cursor] == 0x20 || base[cursor] == 0x09 || base[cursor] == UInt8(ascii: ",") { cursor += 1 }
                    return keep(
                        buffer, from: start, end: end + 1, firstField: first, blank: cursor == stop, lineStart: lineStart, line: line,
                        offset: offset, header: header, isASCIIWithoutNUL: nuls == 0)
                }
                word &+= 16
            }
            // Non-ASCII, quoted otherwise, too long or running past the bytes `buffer` holds: field by field.
            fieldCount = first
            return scanFieldByField(buffer, from: start, lineStart: lineStart, line: line, offset: offset, header: header, limit: limit)
        }

        /// `scan` of a record its sixteen-byte reading gives up on (a doubled quote, a quote
        /// within a field or after a closing one, a line feed between quotes, a byte that is not
        /// ASCII) or that runs near the end of `buffer`: field by field.
        private mutating func scanFieldByField(
            _ buffer: UnsafeBufferPointer<UInt8>, from start: Int, lineStart: Int, line: Int, offset: Int, header: Unmanaged<Header>,
            limit: Int
        ) -> (end: Int, record: PlainRecord?)? {
            let first = fieldCount
            var index = start
            var blank = true
            while true {
                if index < buffer.count, buffer[index] == UInt8(ascii: "\"") {
                    // Quoted on the record's line, without doubled quotes, and closed right before
                    // a comma or the line's end: its data is between the quotes.
                    let dataStart = index + 1
                    let (close, bits) = buffer.firstIndex(of: UInt8(ascii: "\""), or: 0x0A, from: dataStart)
                    var after = close + 1
                    guard bits < 0x80, after < buffer.count, buffer[close] == UInt8(ascii: "\"") else {
                        fieldCount = first
                        return nil
                    }
                    if buffer[after] == 0x0D, after + 1 < buffer.count, buffer[after + 1] == 0x0A { after += 1 }
                    guard buffer[after] == UInt8(ascii: ",") || buffer[after] == 0x0A, after - start < limit else {
                        fieldCount = first
                        return nil
                    }
                    if fieldCount == fields.count { fields = fields.grown(keeping: fieldCount) }
                    fields[fieldCount] = PlainField(
                        start: UInt32(truncatingIfNeeded: dataStart - start), count: UInt32(truncatingIfNeeded: close - dataStart),
                        quoted: true)
                    fieldCount += 1
                    blank = false
                    index = after + 1
                    if buffer[after] == 0x0A { break }
                    continue
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
                if blank { blank = UnsafeBufferPointer(rebasing: buffer[fieldStart..<stop]).rangeTrimmingSpaces.isEmpty }
                if fieldCount == fields.count { fields = fields.grown(keeping: fieldCount) }
                fields[fieldCount] = PlainField(
                    start: UInt32(truncatingIfNeeded: fieldStart - start), count: UInt32(truncatingIfNeeded: stop - fieldStart),
                    quoted: false)
                fieldCount += 1
                index = end + 1
                if buffer[end] == 0x0A { break }
            }
            return keep(
                buffer, from: start, end: index, firstField: first, blank: blank, lineStart: lineStart, line: line, offset: offset,
                header: header, isASCIIWithoutNUL: false)
        }

        /// Keeps the record `start..<end` of `buffer` whose fields from `firstField` on were just
        /// added, unless it is blank (then drops them); as `scan` returns.
        @inline(__always)
        private mutating func keep(
            _ buffer: UnsafeBufferPointer<UInt8>, from start: Int, end: Int, firstField first: Int, blank: Bool, lineStart: Int, line: Int,
            offset: Int, header: Unmanaged<Header>, isASCIIWithoutNUL: Bool
        ) -> (end: Int, record: PlainRecord?) {
            if blank {
                fieldCount = first
                return (end, nil)
            }
            let count = end - start
            while byteCount + count > bytes.count { bytes = bytes.grown(keeping: byteCount) }
            UnsafeMutableRawPointer(bytes.baseAddress.unsafelyUnwrapped + byteCount).copyMemory(
                from: buffer.baseAddress.unsafelyUnwrapped + start, byteCount: count)
            let record = PlainRecord(
                line: line, offset: offset, bytes: byteCount..<byteCount + count, fields: first..<fieldCount,
                columnBase: start - lineStart, header: header, isASCIIWithoutNUL: isASCIIWithoutNUL)
            byteCount += count
            return (end, record)
        }

        /// `record` as `CSVOrderReader.decode` reads it.
        func view(_ record: PlainRecord) -> PlainRecordView {
            PlainRecordView(
                line: record.line, offset: record.offset,
                bytes: UnsafeBufferPointer(start: bytes.baseAddress.unsafelyUnwrapped + record.bytes.lowerBound, count: record.bytes.count),
                fields: UnsafeBufferPointer(
                    start: fields.baseAddress.unsafelyUnwrapped + record.fields.lowerBound, count: record.fields.count),
                columnBase: record.columnBase, isASCIIWithoutNUL: record.isASCIIWithoutNUL)
        }
    }

    /// A plain record read in place in its batch's storage; valid while the batch is.
    struct PlainRecordView: RawFields {
        let line: Int
        let offset: Int
        let bytes: UnsafeBufferPointer<UInt8>
        let fields: UnsafeBufferPointer<PlainField>
        let columnBase: Int
        let isASCIIWithoutNUL: Bool

        var problem: String? { nil }
        var fieldCount: Int { fields.count }

        func forEachField(_ body: (_ position: Int, _ field: RawField, _ data: UnsafeBufferPointer<UInt8>) -> Void) {
            for position in fields.indices {
                let field = fields[position]
                let (start, count) = (Int(field.start), Int(field.count))
                body(
                    position,
                    RawField(
                        start: start, count: count, line: line, column: columnBase + start + (field.quoted ? 0 : 1), quoted: field.quoted),
                    UnsafeBufferPointer(start: bytes.baseAddress.unsafelyUnwrapped + start, count: count))
            }
        }
    }
}
