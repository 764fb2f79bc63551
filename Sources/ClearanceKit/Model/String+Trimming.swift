extension String {
    /// The text without leading and trailing spaces and tabs (Unicode space separators and tab, as
    /// Foundation's `CharacterSet.whitespaces`).
    ///
    /// Written out because Foundation's `trimmingCharacters(in:)` bridges through `NSString`:
    /// measured at 15 % of a `check` run over 20,000 CSV lines before this replaced it.
    public var trimmingSpaces: String {
        // Over the contiguous bytes: `utf8.first` and `utf8.last` cost about 150 instructions a field.
        let trimmed =
            utf8.withContiguousStorageIfAvailable { bytes in
                guard let first = bytes.first, let last = bytes.last else { return false }
                return first > 0x20 && first < 0x80 && last > 0x20 && last < 0x80
            } ?? false
        return trimmed ? self : String(Substring(self).trimmingSpaces)
    }

    /// `body` of the text's UTF-8 bytes, read in place when they are stored contiguously; for
    /// other text, `withUTF8` of a copy (which it needs mutable: always copying was a retain and
    /// release of the string for every call).
    @inline(__always)
    func withUTF8InPlace<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        var contiguous = self
        return contiguous.withUTF8(body)
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Where the bytes are without leading and trailing ASCII spaces and tabs.
    var rangeTrimmingSpaces: Range<Int> {
        var (start, end) = (0, count)
        while start < end, self[start] == 0x20 || self[start] == 0x09 { start += 1 }
        while end > start, self[end - 1] == 0x20 || self[end - 1] == 0x09 { end -= 1 }
        return start..<end
    }

    /// The first index from `start` of a byte equal to `first` or `second` (`count` when there is
    /// none), and all bytes before it OR'ed together (a value from 0x80 up means a non-ASCII byte).
    ///
    /// Eight bytes at a time while none matches: byte by byte, finding where a CSV field ends
    /// was about 20 instructions a byte (callgrind, W1), on the thread that reads the file.
    ///
    /// The word that holds the byte gives its place too (the lowest byte of the match mask): the
    /// bytes before it, looked at one by one, were about 350 instructions a W1 line.
    @inline(__always)
    func firstIndex(of first: UInt8, or second: UInt8, from start: Int) -> (index: Int, bits: UInt8) {
        guard let base = baseAddress else { return (start, 0) }
        var index = start
        var words: UInt64 = 0
        while index + 8 <= count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            let matches = ByteWord.zeroBytes(word ^ ByteWord.repeated(first)) | ByteWord.zeroBytes(word ^ ByteWord.repeated(second))
            if matches != 0 {
                // The lowest marked byte is a match (marks above it may be false).
                let place = matches.trailingZeroBitCount >> 3
                words |= word & ((1 << UInt64(place << 3)) &- 1)
                index += place
                words |= words >> 32
                words |= words >> 16
                return (index, UInt8(truncatingIfNeeded: words | words >> 8))
            }
            words |= word
            index += 8
        }
        words |= words >> 32
        words |= words >> 16
        var bits = UInt8(truncatingIfNeeded: words | words >> 8)
        while index < count, base[index] != first, base[index] != second {
            bits |= base[index]
            index += 1
        }
        return (index, bits)
    }
}

/// Tests on eight bytes at once, loaded as a little-endian word (the CSV field search and the
/// JSON escaper's scan).
enum ByteWord {
    private static var ones: UInt64 { 0x0101_0101_0101_0101 }

    /// Whether one of the eight bytes of `word` is below `limit` (at most 0x80; exact: the borrow
    /// of the subtraction reaches a byte's top bit only past a byte that is below).
    @inline(__always)
    static func hasByte(below limit: UInt8, in word: UInt64) -> Bool {
        (word &- ones &* UInt64(limit)) & ~word & 0x8080_8080_8080_8080 != 0
    }

    /// Whether every byte is below 0x80, eight at a time.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        allWords(bytes) { $0 & 0x8080_8080_8080_8080 == 0 }
    }

    /// Whether every byte is ASCII and none is NUL, eight at a time (byte by byte, the check of
    /// a CSV record's fields was about 600 instructions a W1 line, callgrind).
    static func isASCIIWithoutNUL(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        allWords(bytes) { $0 & 0x8080_8080_8080_8080 == 0 && !hasByte(below: 1, in: $0) }
    }

    /// Whether `test` holds for every eight bytes of `bytes`, as a word.
    ///
    /// A buffer shorter than a word is tested padded (`paddedWord`: the padding passes the tests
    /// above); from eight bytes on, the last word overlaps bytes already tested.
    @inline(__always)
    private static func allWords(_ bytes: UnsafeBufferPointer<UInt8>, _ test: (UInt64) -> Bool) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        guard bytes.count >= 8 else { return test(paddedWord(UnsafeRawBufferPointer(bytes))) }
        var index = 0
        while index + 8 <= bytes.count {
            if !test(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) { return false }
            index += 8
        }
        return index == bytes.count || test(UnsafeRawPointer(base + bytes.count - 8).loadUnaligned(as: UInt64.self))
    }

    /// Whether one of the bytes is an ASCII capital or not ASCII, eight at a time (byte by byte,
    /// `caseFolded` was about 300 instructions a W1 line, callgrind).
    static func hasCapitalOrNonASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        func hasCapitalOrNonASCII(at index: Int) -> Bool {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            if word & 0x8080_8080_8080_8080 != 0 { return true }
            // For bytes below 0x80 no sum carries into the next byte: a byte from 0x41 gets its top
            // bit from the first sum, one from 0x5B from the second as well.
            return (word &+ ones &* 0x3F) & ~(word &+ ones &* 0x25) & 0x8080_8080_8080_8080 != 0
        }
        var index = 0
        while index + 8 <= bytes.count {
            if hasCapitalOrNonASCII(at: index) { return true }
            index += 8
        }
        // The last bytes of a text of eight or more as the last word, overlapping bytes read.
        if index < bytes.count, bytes.count >= 8 { return hasCapitalOrNonASCII(at: bytes.count - 8) }
        while index < bytes.count {
            if bytes[index] >= 0x80 || (bytes[index] >= 0x41 && bytes[index] <= 0x5A) { return true }
            index += 1
        }
        return false
    }

    /// Up to eight bytes as a word, the rest of it letters (`a`: ASCII, not NUL, and nothing JSON
    /// escapes).
    static func paddedWord(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var word = UInt64(0x6161_6161_6161_6161)
        withUnsafeMutableBytes(of: &word) { $0.copyMemory(from: bytes) }
        return word
    }

    /// `byte` in each of the eight bytes of a word.
    @inline(__always)
    static func repeated(_ byte: UInt8) -> UInt64 { ones &* UInt64(byte) }

    /// The top bit of each zero byte of `word` set; exact up to the lowest zero byte (a borrow
    /// past it can mark the bytes above it too).
    @inline(__always)
    static func zeroBytes(_ word: UInt64) -> UInt64 { (word &- ones) & ~word & 0x8080_8080_8080_8080 }

    /// The top bit of each byte of `word` that is `byte` set, for a word of ASCII bytes and an
    /// ASCII `byte`: exact (no sum carries out of a byte below 0x80 plus 0x7F).
    @inline(__always)
    static func equalASCII(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        ~((word ^ repeated(byte)) &+ 0x7F7F_7F7F_7F7F_7F7F) & 0x8080_8080_8080_8080
    }

    /// Whether one of the eight bytes of `word` is `byte`.
    @inline(__always)
    static func has(_ byte: UInt8, in word: UInt64) -> Bool { zeroBytes(word ^ repeated(byte)) != 0 }
}

extension Substring {
    /// As `String.trimmingSpaces`.
    public var trimmingSpaces: Substring {
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator
        }
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !isSpace($0) }), let end = scalars.lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return Substring(scalars[start...end])
    }
}

extension String {
    /// The text lower-cased for case-insensitive comparison: itself when it is ASCII without
    /// capitals (no new string), else `lowercased()`.
    public var caseFolded: String {
        // Over the contiguous bytes: iterating `utf8` cost about 400 instructions a call (callgrind).
        let needsFolding = utf8.withContiguousStorageIfAvailable(ByteWord.hasCapitalOrNonASCII) ?? true
        return needsFolding ? lowercased() : self
    }

    /// Whether the text contains a NUL character, read over its contiguous bytes when it has them.
    public var containsNUL: Bool {
        utf8.withContiguousStorageIfAvailable { $0.contains(0) } ?? utf8.contains(0)
    }

    /// `String(validating: bytes, as: UTF8.self)`: nil when the bytes are not UTF-8.
    ///
    /// ASCII bytes, valid as they are, take a fast path: the generic validation cost about 1,000
    /// instructions a CSV field (callgrind, W1).
    public init?(validatingUTF8Bytes bytes: ArraySlice<UInt8>) {
        guard let text = bytes.withUnsafeBufferPointer({ String(validatingUTF8Bytes: $0) }) else { return nil }
        self = text
    }

    /// `String(validating: bytes, as: UTF8.self)` over bytes in memory.
    public init?(validatingUTF8Bytes bytes: UnsafeBufferPointer<UInt8>) {
        var bits: UInt8 = 0
        for byte in bytes { bits |= byte }
        guard bits < 0x80 else {
            guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
            self = text
            return
        }
        self = String(decoding: bytes, as: UTF8.self)
    }
}
