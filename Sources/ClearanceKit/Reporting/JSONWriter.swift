import CIntrinsics

/// Writes JSON straight into bytes, in exactly the layout Foundation's `JSONEncoder` gives with
/// `.sortedKeys` and `.withoutEscapingSlashes` (and `.prettyPrinted` when `pretty`); callers
/// write keys in sorted order.
///
/// Hand-written because the reports of a million lines spent a third of their time in
/// `JSONEncoder` (W1 benchmark, perf); `JSONWriterTests` compares both byte for byte.
///
/// Non-copyable, over a buffer of its own: appending to an array checked its uniqueness and
/// capacity for every byte, and a report line cost 30 instructions a byte (callgrind, W1).
struct JSONWriter: ~Copyable {
    private var buffer: ByteBuffer
    let pretty: Bool
    /// How many containers are open (pretty output indents by it).
    private(set) var depth: Int
    /// `SmallASCIIString.isSupported`, read once.
    private let smallStrings = SmallASCIIString.isSupported
    /// One bit per open container, innermost lowest: whether it has an element yet.
    private var hasElements: UInt64 = 0

    /// - Parameter capacity: the bytes it holds before it grows.
    init(pretty: Bool, depth: Int = 0, capacity: Int = 512) {
        self.pretty = pretty
        self.depth = depth
        buffer = ByteBuffer(capacity: capacity)
    }

    /// A writer over `storage`, which it writes into until it needs more room (then it moves its
    /// bytes to a buffer of its own: `writesInto`).
    private init(pretty: Bool, depth: Int, over storage: UnsafeMutableBufferPointer<UInt8>) {
        self.pretty = pretty
        self.depth = depth
        buffer = ByteBuffer(over: storage)
    }

    /// Whether the bytes are still in the storage the writer was made over.
    private var writesInto: Bool { !buffer.ownsStorage }

    /// Runs `body` with a new writer and appends what it wrote to `bytes`.
    ///
    /// Into an empty `bytes` (a report's slice of lines), the writer writes straight into the
    /// storage of the array that becomes `bytes`, with room for `capacity` bytes or `bytes`'s own
    /// capacity if larger: written into a buffer of its own and then copied, a JSON Lines report
    /// copied each of its bytes once more (about 330 instructions a W1 line, callgrind). A
    /// writer that outgrows that room moves to a buffer of its own, which is copied as before.
    static func write(
        appendingTo bytes: inout [UInt8], capacity: Int, pretty: Bool, depth: Int = 0, _ body: (inout JSONWriter) -> Void
    ) {
        guard bytes.isEmpty else {
            var writer = JSONWriter(pretty: pretty, depth: depth, capacity: capacity)
            body(&writer)
            writer.append(to: &bytes)
            return
        }
        var spilled: [UInt8]?
        let written = [UInt8](unsafeUninitializedCapacity: max(capacity, bytes.capacity, 16)) { storage, initialized in
            var writer = JSONWriter(pretty: pretty, depth: depth, over: storage)
            body(&writer)
            if writer.writesInto {
                initialized = writer.buffer.count
            } else {
                spilled = writer.bytes
                initialized = 0
            }
        }
        bytes = spilled ?? written
    }

    /// The bytes written so far.
    var bytes: [UInt8] { buffer.array }

    /// Appends the bytes written so far to `bytes`.
    func append(to bytes: inout [UInt8]) { buffer.append(to: &bytes) }

    /// Writes bytes as they are (separators between report lines).
    mutating func raw(_ byte: UInt8) { buffer.append(byte) }

    /// Indents what follows `levels` deeper (or shallower), for values written inside containers
    /// whose brackets were written as fixed bytes (`raw`); undone by `nest(-levels)`.
    @inline(__always)
    mutating func nest(_ levels: Int) {
        guard levels != 0 else { return }
        depth += levels
        hasElements <<= UInt64(max(levels, 0))
        hasElements >>= UInt64(max(-levels, 0))
    }

    /// Writes fixed bytes as they are (the punctuation and keys between a compact line's values).
    ///
    /// Inlined: the text is a constant where it is written, and an empty one writes nothing.
    @inline(__always)
    mutating func raw(_ text: StaticString) {
        guard text.utf8CodeUnitCount > 0 else { return }
        buffer.appendInlined(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends a whole value another writer wrote at the same depth and style.
    mutating func append(written bytes: UnsafeBufferPointer<UInt8>) { buffer.append(bytes) }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Starts a member of the open object; the value follows.
    mutating func key(_ name: StaticString) {
        separate()
        name.withUTF8Buffer { buffer.appendKey($0, pretty: pretty) }
    }

    /// A member with a text (or null) value.
    mutating func member(_ name: StaticString, _ text: String?) {
        key(name)
        string(text)
    }

    /// A member with a source location (`file:line:column`, as its description) or null,
    /// written without building the description.
    mutating func member(_ name: StaticString, _ location: SourceLocation?) {
        key(name)
        self.location(location)
    }

    /// A source location as a value (`"file:line:column"`) or null.
    mutating func location(_ location: SourceLocation?) {
        guard let location else { return null() }
        buffer.append(UInt8(ascii: "\""))
        escaped(location.file)
        buffer.append(UInt8(ascii: ":"))
        integer(location.line)
        buffer.append(UInt8(ascii: ":"))
        integer(location.column)
        buffer.append(UInt8(ascii: "\""))
    }

    /// A member with an integer value.
    mutating func member(_ name: StaticString, _ value: Int) {
        key(name)
        integer(value)
    }

    /// Starts an element of the open array; the value follows.
    mutating func element() { separate() }

    mutating func string(_ text: String?) {
        guard let text else { return null() }
        // An id, a code or a category of up to 15 ASCII bytes (most a report writes) from the
        // string's two words: checked and stored a word at a time (`SmallASCIIString`).
        if smallStrings, let (low, high, count) = SmallASCIIString.words(text), Self.needsNoEscaping(low, high, count: count) {
            return buffer.appendQuoted(low: low, high: high, count: count)
        }
        buffer.append(UInt8(ascii: "\""))
        escaped(text)
        buffer.append(UInt8(ascii: "\""))
    }

    /// The text's characters as a JSON string holds them, without the quotes.
    private mutating func escaped(_ text: String) {
        text.withUTF8InPlace { escaped(utf8: $0) }
    }

    private mutating func escaped(utf8: UnsafeBufferPointer<UInt8>) {
        var start = 0
        var index = 0
        while index < utf8.count {
            // Sixteen bytes at a time while none needs escaping (`clearance_json_escapes16`), then
            // eight: byte by byte, escaping was 3 % of the instructions per W1 line. The last
            // bytes (fewer than eight: all of an id or a licence's) are read as one word padded
            // with letters, not byte by byte.
            if let base = utf8.baseAddress {
                if index + 16 <= utf8.count {
                    let escapes = clearance_json_escapes16(base + index)
                    if escapes == 0 {
                        index += 16
                        continue
                    }
                    // The first byte to escape.
                    index += escapes.trailingZeroBitCount
                } else if index + 8 <= utf8.count {
                    if !Self.needsEscaping(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) {
                        index += 8
                        continue
                    }
                } else if !Self.needsEscaping(ByteWord.paddedWord(UnsafeRawBufferPointer(start: base + index, count: utf8.count - index))) {
                    index = utf8.count
                    continue
                }
            }
            let byte = utf8[index]
            index += 1
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            let index = index - 1
            buffer.append(UnsafeBufferPointer(rebasing: utf8[start..<index]))
            start = index + 1
            buffer.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): buffer.append(byte)
            case 0x08: buffer.append(UInt8(ascii: "b"))
            case 0x09: buffer.append(UInt8(ascii: "t"))
            case 0x0A: buffer.append(UInt8(ascii: "n"))
            case 0x0C: buffer.append(UInt8(ascii: "f"))
            case 0x0D: buffer.append(UInt8(ascii: "r"))
            default:
                let hex = Array("0123456789abcdef".utf8)
                for byte in [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]] { buffer.append(byte) }
            }
        }
        buffer.append(UnsafeBufferPointer(rebasing: utf8[start...]))
    }

    /// Whether none of the first `count` bytes of a small string's two words needs escaping: the
    /// sixteen tested at once (`clearance_json_escapes16`, SSE2 masks), the bytes past `count` left
    /// out. (Each word tested for each kind of byte with masks of its own was about 55
    /// instructions a string, four or five a W1 line; callgrind.)
    @inline(__always)
    static func needsNoEscaping(_ low: UInt64, _ high: UInt64, count: Int) -> Bool {
        var words = (low, high)
        let escapes = withUnsafeBytes(of: &words) { bytes in
            clearance_json_escapes16(bytes.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self))
        }
        return escapes & (1 &<< UInt32(count) &- 1) == 0
    }

    /// Whether any of the eight bytes of `word` is a control character, a quote or a backslash
    /// (bytes from 0x80 up, parts of longer UTF-8 sequences, never are).
    static func needsEscaping(_ word: UInt64) -> Bool {
        ByteWord.hasByte(below: 0x20, in: word) || ByteWord.has(UInt8(ascii: "\""), in: word) || ByteWord.has(UInt8(ascii: "\\"), in: word)
    }

    mutating func integer(_ value: Int) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        buffer.appendDecimal(value.magnitude)
    }

    mutating func null() {
        buffer.append(0x6E)
        buffer.append(0x75)
        buffer.append(0x6C)
        buffer.append(0x6C)
    }

    private mutating func open(_ bracket: UInt8) {
        buffer.append(bracket)
        // Report documents nest a few levels; 63 is far beyond any of them.
        precondition(hasElements >> 63 == 0, "JSONWriter nests at most 63 containers")
        hasElements <<= 1
        depth += 1
    }

    private mutating func close(_ bracket: UInt8) {
        let hadElements = hasElements & 1 != 0
        hasElements >>= 1
        depth -= 1
        if pretty {
            buffer.append(0x0A)
            if !hadElements { buffer.append(0x0A) }
            indent()
        }
        buffer.append(bracket)
    }

    private mutating func separate() {
        if hasElements & 1 != 0 { buffer.append(UInt8(ascii: ",")) }
        hasElements |= 1
        if pretty {
            buffer.append(0x0A)
            indent()
        }
    }

    private mutating func indent() {
        for _ in 0..<depth {
            buffer.append(0x20)
            buffer.append(0x20)
        }
    }
}

/// A growable byte buffer with no reference counting or uniqueness checks: an append is a
/// capacity check and a store.
struct ByteBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int
    /// Whether `base` is the buffer's own allocation (false: storage it was given, left alone).
    private(set) var ownsStorage = true

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    /// A buffer writing into `storage` until it needs more room, when it moves to an allocation
    /// of its own; `storage` must outlive it.
    init(over storage: UnsafeMutableBufferPointer<UInt8>) {
        if let start = storage.baseAddress, storage.count > 0 {
            (base, capacity, ownsStorage) = (start, storage.count, false)
        } else {
            capacity = 16
            base = .allocate(capacity: capacity)
        }
    }

    deinit { if ownsStorage { base.deallocate() } }

    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count += 1
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) { appendInlined(bytes) }

    /// `append(_:)` inlined, for fixed bytes (`JSONWriter.raw`): their count is a constant there,
    /// so the copy is a load and a store or two. (Called, an append was about 34 instructions, and
    /// a W1 report line made fourteen; callgrind.)
    @inline(__always)
    mutating func appendInlined(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if count + bytes.count > capacity { grow(to: count + bytes.count) }
        Self.copy(source, to: base + count, count: bytes.count)
        count += bytes.count
    }

    /// Copies `count` bytes; up to 16 by two overlapping loads and stores, without calling
    /// `memcpy`: most a report copies are keys, ids and codes, and the call was about 28
    /// instructions a copy, fifty copies a W1 line (callgrind).
    @inline(__always)
    private static func copy(_ source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>, count: Int) {
        let (from, to) = (UnsafeRawPointer(source), UnsafeMutableRawPointer(target))
        switch count {
        case 8...16:
            let (head, tail) = (from.loadUnaligned(as: UInt64.self), from.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
            to.storeBytes(of: head, as: UInt64.self)
            to.storeBytes(of: tail, toByteOffset: count - 8, as: UInt64.self)
        case 4..<8:
            let (head, tail) = (from.loadUnaligned(as: UInt32.self), from.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
            to.storeBytes(of: head, as: UInt32.self)
            to.storeBytes(of: tail, toByteOffset: count - 4, as: UInt32.self)
        case 0..<4:
            for index in 0..<count { target[index] = source[index] }
        default:
            target.initialize(from: source, count: count)
        }
    }

    /// `"name":` (`"name" : ` when `pretty`), with one capacity check: byte by byte, a key was
    /// about 100 instructions, six a report line.
    mutating func appendKey(_ name: UnsafeBufferPointer<UInt8>, pretty: Bool) {
        let needed = name.count + 5
        if count + needed > capacity { grow(to: count + needed) }
        base[count] = UInt8(ascii: "\"")
        if let source = name.baseAddress { Self.copy(source, to: base + count + 1, count: name.count) }
        count += name.count + 1
        base[count] = UInt8(ascii: "\"")
        if pretty {
            (base[count + 1], base[count + 2], base[count + 3]) = (0x20, UInt8(ascii: ":"), 0x20)
            count += 4
        } else {
            base[count + 1] = UInt8(ascii: ":")
            count += 2
        }
    }

    /// `count` bytes (at most 15) between quotes: the first eight from `low`, the others from
    /// `high`, both stored whole (the bytes after the closing quote are left to later appends).
    @inline(__always)
    mutating func appendQuoted(low: UInt64, high: UInt64, count bytes: Int) {
        if count + 18 > capacity { grow(to: count + 18) }
        let target = UnsafeMutableRawPointer(base + count)
        target.storeBytes(of: UInt8(ascii: "\""), as: UInt8.self)
        target.storeBytes(of: low, toByteOffset: 1, as: UInt64.self)
        target.storeBytes(of: high, toByteOffset: 9, as: UInt64.self)
        target.storeBytes(of: UInt8(ascii: "\""), toByteOffset: bytes + 1, as: UInt8.self)
        count += bytes + 2
    }

    /// The decimal digits of `value`, written from the last, two at a time from a table: no call
    /// for each digit (a line number and each reason's source position are written this way).
    mutating func appendDecimal(_ value: UInt) {
        // The digits counted against powers of ten, not by dividing: 10^19 is the last below 2^64.
        var digits = 1
        var power: UInt = 10
        while value >= power {
            digits += 1
            guard digits < 20 else { break }
            power &*= 10
        }
        if count + digits > capacity { grow(to: count + digits) }
        let pairs = Self.digitPairs.utf8Start
        var (rest, index) = (value, count + digits)
        while rest >= 100 {
            let pair = Int(rest % 100) &* 2
            rest /= 100
            index -= 2
            (base[index], base[index + 1]) = (pairs[pair], pairs[pair + 1])
        }
        if rest >= 10 {
            let pair = Int(rest) &* 2
            (base[index - 2], base[index - 1]) = (pairs[pair], pairs[pair + 1])
        } else {
            base[index - 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest)
        }
        count += digits
    }

    /// "00" to "99", one after another.
    private static var digitPairs: StaticString {
        """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """
    }

    private mutating func grow(to needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.moveInitialize(from: base, count: count)
        if ownsStorage { base.deallocate() }
        base = newBase
        capacity = newCapacity
        ownsStorage = true
    }

    /// The bytes as an array.
    var array: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Appends the bytes to `bytes`.
    func append(to bytes: inout [UInt8]) { bytes.append(contentsOf: UnsafeBufferPointer(start: base, count: count)) }
}
