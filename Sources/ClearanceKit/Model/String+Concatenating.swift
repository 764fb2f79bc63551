extension String {
    /// `parts` one after another, made in one allocation.
    ///
    /// For the messages made on every line: an interpolation (or `+=`) grows its string as it
    /// goes, a new buffer and a copy for about every other part, and an appended part cost about
    /// 480 instructions (callgrind, W1). Inlined, so that the array of parts can be kept on the
    /// stack; the parts are read in place, by index (a loop over them retained and released each).
    @inline(__always)
    init(concatenating parts: String...) { self.init(concatenating: parts) }

    /// `parts` one after another, made in one allocation: `init(concatenating:)` of a list whose
    /// length only the run knows.
    @inline(__always)
    init(concatenating parts: [String]) {
        var count = 0
        for index in parts.indices { count += parts[index].utf8.count }
        self.init(unsafeUninitializedCapacity: count) { buffer in
            var offset = 0
            for index in parts.indices {
                offset =
                    parts[index].utf8.withContiguousStorageIfAvailable { bytes in
                        offset
                            + UnsafeMutableBufferPointer(rebasing: buffer[offset..<offset + bytes.count]).initialize(fromContentsOf: bytes)
                    } ?? Self.copyUTF8(of: parts[index], into: buffer, at: offset)
            }
            return offset
        }
    }

    /// Copies the UTF-8 of `part` into `buffer` from `offset` byte by byte (text not stored as
    /// contiguous UTF-8); the offset after it.
    private static func copyUTF8(of part: String, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) -> Int {
        var end = offset
        for byte in part.utf8 {
            buffer[end] = byte
            end += 1
        }
        return end
    }
}
