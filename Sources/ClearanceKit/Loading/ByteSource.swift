import Foundation

/// Reads a file or standard input a chunk at a time, so that order files of any length are read
/// in memory that does not grow with the file (CSV and JSON Lines).
public final class ByteSource: @unchecked Sendable {
    // INVARIANT: used by one reader on one thread at a time (the sequential read phase).
    private let descriptor: Int32
    private let closesDescriptor: Bool
    /// True once the end of the input was reached (or a read failed).
    public private(set) var isExhausted = false
    /// Set when a read failed: what the system said.
    public private(set) var failure: String?

    /// How much one read asks for by default.
    public static let defaultChunkSize = 1 << 22

    /// Where each read lands before it is appended (allocated once, never zero-filled).
    private let chunk: UnsafeMutableRawBufferPointer

    /// Reads `descriptor` `chunkSize` bytes at a time; closes it when done if `closes`.
    public init(descriptor: Int32, closes: Bool, chunkSize: Int = ByteSource.defaultChunkSize) {
        self.descriptor = descriptor
        closesDescriptor = closes
        chunk = .allocate(byteCount: max(chunkSize, 1), alignment: 16)
    }

    deinit {
        chunk.deallocate()
        if closesDescriptor { close(descriptor) }
    }

    /// The size of the file when the descriptor reads a regular file (not a pipe or terminal), so
    /// that one read whole can be given its room at once.
    public var regularFileSize: Int? {
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    /// Appends up to one chunk to `bytes`; marks the source exhausted at the end of the input.
    public func read(appendingTo bytes: inout [UInt8]) {
        guard !isExhausted, let base = chunk.baseAddress else { return }
        var count = 0
        while true {
            count = Foundation.read(descriptor, base, chunk.count)
            if count < 0 && errno == EINTR { continue }
            break
        }
        if count < 0 {
            failure = String(cString: strerror(errno))
            count = 0
        }
        if count == 0 {
            isExhausted = true
            return
        }
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
    }
}
