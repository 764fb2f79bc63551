import CIntrinsics
import Testing

/// The SSE2 byte masks (`CIntrinsics`) the CSV reader and the JSON writer scan with: each bit must
/// say exactly what its byte is, at every place of the sixteen.
@Suite("Byte masks")
struct ByteMasksTests {
    /// Sixteen bytes of `filler` with `byte` at `place`, and its masks.
    static func masks(_ byte: UInt8, at place: Int, filler: UInt8, _ mask: (UnsafePointer<UInt8>) -> UInt64) -> UInt64 {
        var bytes = [UInt8](repeating: filler, count: 16)
        bytes[place] = byte
        return bytes.withUnsafeBufferPointer { mask($0.baseAddress.unsafelyUnwrapped) }
    }

    @Test("CSV masks: commas, line feeds, quotes or non-ASCII bytes, and NULs, for every byte value at every place")
    func csvMasks() {
        for filler in [UInt8(ascii: "a"), UInt8(ascii: ",")] {
            let background = Self.masks(filler, at: 0, filler: filler) { clearance_csv_masks16($0) }
            #expect(background == (filler == UInt8(ascii: ",") ? 0xFFFF : 0))
            for byte in 0...255 {
                let byte = UInt8(byte)
                for place in 0..<16 {
                    let bit = UInt64(1) << place
                    var expected = background & ~bit
                    if byte == UInt8(ascii: ",") { expected |= bit }
                    if byte == 0x0A { expected |= bit << 16 }
                    if byte == UInt8(ascii: "\"") || byte >= 0x80 { expected |= bit << 32 }
                    if byte == 0 { expected |= bit << 48 }
                    let masks = Self.masks(byte, at: place, filler: filler) { clearance_csv_masks16($0) }
                    #expect(masks == expected, "byte \(byte) at \(place) among \(filler)")
                }
            }
        }
    }

    @Test("JSON escapes: control characters, quotes and backslashes, for every byte value at every place")
    func jsonEscapes() {
        for byte in 0...255 {
            let byte = UInt8(byte)
            let escapes = byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
            for place in 0..<16 {
                let mask = Self.masks(byte, at: place, filler: UInt8(ascii: "a")) { UInt64(clearance_json_escapes16($0)) }
                #expect(mask == (escapes ? UInt64(1) << place : 0), "byte \(byte) at \(place)")
            }
        }
    }
}
