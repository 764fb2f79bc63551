/// Strings of up to 15 ASCII bytes made from and read as the two words a `String` holds them in.
///
/// Such a string is held inline: its bytes in order in the two words, the last byte of the second
/// being `0xE0` plus the count. Making one with `String(decoding:as:)` validated and copied the
/// bytes through the standard library's general path (about 150 instructions, four a W1 line), and
/// writing one into a JSON report went through its contiguous bytes and a byte-wise escape check
/// (about 120 more, five a line); built from or read as two words here, each is a few instructions.
///
/// This reads and writes the layout of the Swift runtime on 64-bit x86 (stable since Swift 5), as
/// `Immortal.storage(of:)` does; `isSupported` checks it once, at run time, against the standard
/// library's own strings, and every caller falls back to the general path when it does not hold
/// (or on other platforms).
enum SmallASCIIString {
    /// The most bytes a `String` holds inline (on 64-bit platforms); a longer one is an object.
    static let capacity = 15

    /// The top byte of a small ASCII string's second word, less its count.
    private static let discriminator: UInt64 = 0xE0 << 56

    /// Whether strings are laid out as this reads and writes them (checked once).
    static let isSupported: Bool = {
        #if os(Linux) && arch(x86_64)
            // Made by the standard library at run time, not literals (which the compiler lays out).
            for length in 0...capacity + 1 {
                let bytes = (0..<length).map { UInt8(ascii: "a") + UInt8($0) }
                let standard = String(decoding: bytes, as: UTF8.self)
                let layout = unsafeBitCast(standard, to: (UInt64, UInt64).self)
                let made = bytes.withUnsafeBufferPointer(make)
                if length <= capacity {
                    guard let made, made == standard, layout == unsafeBitCast(made, to: (UInt64, UInt64).self),
                        let read = words(standard), read.count == length, read.low == layout.0,
                        read.high == layout.1 & 0x00FF_FFFF_FFFF_FFFF
                    else { return false }
                } else if made != nil || words(standard) != nil {
                    return false
                }
            }
            return true
        #else
            return false
        #endif
    }()

    /// The string of `bytes` when they are at most 15 ASCII bytes; nil otherwise.
    ///
    /// Only where `isSupported` (read once by the caller: each read of it is a call).
    @inline(__always)
    static func make(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let count = bytes.count
        guard count <= capacity, let base = bytes.baseAddress else { return count == 0 ? "" : nil }
        var (low, high): (UInt64, UInt64) = (0, 0)
        if count >= 8 {
            low = UnsafeRawPointer(base).loadUnaligned(as: UInt64.self)
            // The last eight bytes, shifted down past those `low` holds.
            high = UnsafeRawPointer(base + count - 8).loadUnaligned(as: UInt64.self) >> (8 * UInt64(16 - count))
        } else {
            withUnsafeMutableBytes(of: &low) { $0.copyMemory(from: UnsafeRawBufferPointer(bytes)) }
        }
        guard (low | high) & 0x8080_8080_8080_8080 == 0 else { return nil }
        return unsafeBitCast((low, high | discriminator | UInt64(count) << 56), to: String.self)
    }

    /// The words of `string` and its count when it is a small ASCII string (the bytes after the
    /// count are zero); nil otherwise.
    ///
    /// Only where `isSupported` (read once by the caller).
    @inline(__always)
    static func words(_ string: String) -> (low: UInt64, high: UInt64, count: Int)? {
        let (low, high) = unsafeBitCast(string, to: (UInt64, UInt64).self)
        guard high >> 60 == 0xE else { return nil }
        return (low, high & 0x00FF_FFFF_FFFF_FFFF, Int(high >> 56 & 0xF))
    }
}
