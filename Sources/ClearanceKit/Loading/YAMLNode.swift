#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// A node of a YAML document as our reader builds it: positioned, and with every scalar kept as
/// text (contract §10.1).
///
/// A node is a position in its file's `YAMLTree`, which holds every node of the file in flat
/// arrays: one object a file instead of one a node, so reading a large pack allocates, counts
/// references to and frees a few arrays, not hundreds of thousands of objects (W1's 4 MB of YAML
/// have 440,000 nodes). Alias targets are shared, never copied.
public struct YAMLNode: Sendable {
    /// The shape of a node.
    public enum Content {
        case scalar(String)
        case sequence(Items)
        case mapping(Pairs)
    }

    let tree: YAMLTree
    let index: Int32

    private var record: YAMLTree.Record { tree.storage.records[Int(index)] }

    /// The node's content; a scalar's text is made on each call.
    public var content: Content {
        let record = record
        switch record.kind {
        case .scalar: return .scalar(tree.storage.text(of: record))
        case .sequence: return .sequence(Items(tree: tree, start: Int(record.start), count: Int(record.count)))
        case .mapping: return .mapping(Pairs(entries: Items(tree: tree, start: Int(record.start), count: 2 * Int(record.count))))
        }
    }

    /// Where the node starts.
    public var location: SourceLocation {
        let record = record
        return SourceLocation(file: tree.file, line: Int(record.line), column: Int(record.column))
    }

    /// True for a plain (unquoted) scalar; an empty plain scalar is YAML's null.
    public var isPlain: Bool { record.isPlain }

    /// The number of nodes in this subtree, counting shared alias targets each time.
    public var size: Int { record.size }

    /// The scalar's text, or nil for a sequence or mapping.
    public var scalar: String? {
        let record = record
        return record.kind == .scalar ? tree.storage.text(of: record) : nil
    }

    /// The case of `Key` whose raw value this scalar's text is, as `Key(rawValue:)` finds it.
    ///
    /// ASCII text is compared byte by byte with each raw value, without making a string of it
    /// (making one and switching over it was two thirds of reading an entry's keys); that is the
    /// same answer because the raw values of the pack's keys are ASCII.
    func caseNamed<Key: RawRepresentable & CaseIterable>(by _: Key.Type) -> Key? where Key.RawValue == String {
        let record = record
        guard record.kind == .scalar else { return nil }
        return tree.storage.withText(of: record) { text in
            // Non-ASCII text might equal an ASCII raw value canonically: Swift decides.
            guard text.allSatisfy({ $0 < 0x80 }) else { return Key(rawValue: String(decoding: text, as: UTF8.self)) }
            for candidate in Key.allCases {
                var raw = candidate.rawValue
                if raw.utf8.count == text.count && raw.withUTF8({ $0.hasSameBytes(as: text) }) { return candidate }
            }
            return nil
        }
    }

    /// True for an empty plain scalar (`key:` with nothing after it, or `~`/`null`).
    public var isNull: Bool { tree.storage.isNull(record) }

    /// A word for the node's shape, for messages: "a mapping", "a list", "text".
    public var shapeName: String { tree.storage.shapeName(record) }

    /// The items of a sequence, in order.
    public struct Items: RandomAccessCollection, Sendable {
        let tree: YAMLTree
        let start: Int
        public let count: Int

        public var startIndex: Int { 0 }
        public var endIndex: Int { count }

        public subscript(position: Int) -> YAMLNode {
            precondition(position >= 0 && position < count, "index out of range")
            return YAMLNode(tree: tree, index: tree.storage.children[start + position])
        }
    }

    /// The key-value pairs of a mapping, in order.
    public struct Pairs: RandomAccessCollection, Sendable {
        /// Keys and values, alternating.
        let entries: Items

        public var startIndex: Int { 0 }
        public var endIndex: Int { entries.count / 2 }

        public subscript(position: Int) -> (key: YAMLNode, value: YAMLNode) {
            (entries[2 * position], entries[2 * position + 1])
        }
    }
}

/// Every node of one YAML file, stored flat: a record per node, the children of every
/// collection (a mapping's as key, value, key, value), and the bytes of every scalar.
///
/// Immutable: `YAMLReader` fills a `Storage` and hands it over whole (constant properties of a
/// class are read without the exclusivity checks its variables need, which cost more than the
/// reading itself).
final class YAMLTree: Sendable {
    enum Kind: UInt8, Sendable { case scalar, sequence, mapping }

    struct Record: Sendable {
        var kind: Kind
        var isPlain: Bool
        var line: Int32
        var column: Int32
        /// Scalar: first byte in `bytes`; collection: first entry in `children`.
        var start: Int32
        /// Scalar: bytes; sequence: items; mapping: pairs.
        var count: Int32
        var size: Int
        /// Whether a scalar's text is known to be ASCII; worked out for mapping keys only.
        var isASCII = false
    }

    /// The arrays of a tree, while it is being built and after.
    struct Storage: Sendable {
        var records: [Record] = []
        var children: [Int32] = []
        var bytes: [UInt8] = []

        /// Reserves room for the nodes of a file of `sourceBytes` bytes.
        ///
        /// Grown instead, the arrays were copied at each doubling and both copies kept for a
        /// while (about 20 MB of peak memory for the W1 pack). A node for every 6 bytes (W1's
        /// files have one for every 7 to 11), and scalars as long as the file; pages never
        /// written are never touched.
        mutating func reserve(sourceBytes: Int) {
            records.reserveCapacity(sourceBytes / 6)
            children.reserveCapacity(sourceBytes / 6)
            bytes.reserveCapacity(sourceBytes)
        }

        func text(of record: Record) -> String {
            withText(of: record) { String(decoding: $0, as: UTF8.self) }
        }

        func withText<Result>(of record: Record, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
            bytes.withUnsafeBufferPointer { buffer in
                body(UnsafeBufferPointer(rebasing: buffer[Int(record.start)..<Int(record.start) + Int(record.count)]))
            }
        }

        /// Records whether a scalar's text is all ASCII, and returns the node's record with it.
        mutating func markASCII(_ node: Int32) -> Record {
            records[Int(node)].isASCII = withText(of: records[Int(node)]) { text in text.allSatisfy { $0 < 0x80 } }
            return records[Int(node)]
        }

        /// True for an empty plain scalar, `~` or `null` (YAML's null).
        func isNull(_ record: Record) -> Bool {
            guard record.kind == .scalar, record.isPlain, record.count <= 4 else { return false }
            // As one little-endian word: comparing with `"null".utf8` and the rest went through
            // generic iterators, a few hundred instructions for every value the decoder checks.
            switch record.count {
            case 0: return true
            case 1: return withText(of: record) { $0[0] } == UInt8(ascii: "~")
            case 4:
                let word = withText(of: record) { UInt32(littleEndian: UnsafeRawBufferPointer($0).loadUnaligned(as: UInt32.self)) }
                return word == Self.null || word == Self.capitalNull || word == Self.upperNull
            default: return false
            }
        }

        private static let null = UInt32(littleEndianBytes: "null")
        private static let capitalNull = UInt32(littleEndianBytes: "Null")
        private static let upperNull = UInt32(littleEndianBytes: "NULL")

        /// A word for a node's shape, for messages: "a mapping", "a list", "text".
        func shapeName(_ record: Record) -> String {
            switch record.kind {
            case .scalar: isNull(record) ? "nothing" : "text"
            case .sequence: "a list"
            case .mapping: "a mapping"
            }
        }
    }

    let file: String
    let storage: Storage

    init(file: String, storage: Storage) {
        self.file = file
        self.storage = storage
    }
}

extension UInt32 {
    /// Four ASCII bytes as a little-endian word (the first byte lowest), as `loadUnaligned` reads them.
    fileprivate init(littleEndianBytes text: StaticString) {
        var word: UInt32 = 0
        for index in (0..<text.utf8CodeUnitCount).reversed() { word = word << 8 | UInt32(text.utf8Start[index]) }
        self = word
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether both hold the same bytes, compared with `memcmp` (the generic `elementsEqual` went
    /// byte by byte through iterators: 1 % of the W1 pack load for keys alone).
    func hasSameBytes(as other: UnsafeBufferPointer<UInt8>) -> Bool {
        guard count == other.count else { return false }
        guard let first = baseAddress, let second = other.baseAddress else { return true }
        return memcmp(first, second, count) == 0
    }
}
