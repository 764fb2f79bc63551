import CLibYAML

/// Reads YAML through libyaml's event API into positioned `YAMLNode` trees.
///
/// Scalars are never typed (no YAML 1.1 booleans, octals or timestamps), duplicate keys are
/// rejected at their second occurrence, merge keys and tags are refused, and aliases are expanded
/// only within a node budget so that a "billion laughs" file fails fast.
public struct YAMLReader: Sendable {
    public var limits: InputLimits

    public init(limits: InputLimits = InputLimits()) { self.limits = limits }

    /// A problem found while reading, with its position.
    public struct Problem: Error, Equatable, Sendable {
        public enum Kind: String, Sendable {
            case syntax = "yaml-syntax"
            case duplicateKey = "duplicate-key"
            case unsupported = "unsupported-yaml"
            case limit = "yaml-limit"
        }

        public var kind: Kind
        public var message: String
        public var expected: String?
        public var location: SourceLocation
    }

    /// Parses every document of `bytes`; `file` is the path used in locations.
    /// - Returns: one root node per non-empty document.
    /// - Throws: `YAMLReader.Problem` at the first problem.
    public func documents(in bytes: [UInt8], file: String) throws(Problem) -> [YAMLNode] {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw Problem(kind: .syntax, message: "could not start the YAML parser", location: .init(file: file, line: 1, column: 1))
        }
        defer { yaml_parser_delete(&parser) }
        return try bytes.withUnsafeBufferPointer { buffer throws(Problem) -> [YAMLNode] in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var builder = Builder(file: file, limits: limits, sourceBytes: buffer.count)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    throw Builder.syntaxProblem(parser, file: file, bytes: buffer)
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { break }
                try builder.handle(event)
            }
            return builder.documents()
        }
    }
}

/// Turns the event stream into a `YAMLTree`.
private struct Builder {
    let file: String
    let limits: InputLimits
    /// The nodes so far; handed to a `YAMLTree` when the stream ends.
    var tree = YAMLTree.Storage()
    /// The root node of every non-empty document.
    var roots: [Int32] = []

    /// An open collection; its nodes so far are `pending[start...]`.
    private struct Frame {
        var isMapping: Bool
        var line: Int32
        var column: Int32
        var anchor: String?
        var start: Int
        var size = 1
        var keys: Set<String> = []
    }

    private var stack: [Frame] = []
    /// The nodes gathered for every open collection, innermost last; a collection's are moved to
    /// `tree.children` in one piece when it closes, so each collection's children are contiguous.
    private var pending: [Int32] = []
    private var anchors: [String: Int32] = [:]
    private var aliasExpansion = 0

    /// - Parameter sourceBytes: the size of the file, to reserve the tree's arrays from.
    init(file: String, limits: InputLimits, sourceBytes: Int) {
        self.file = file
        self.limits = limits
        tree.reserve(sourceBytes: sourceBytes)
    }

    /// The documents read, as nodes of one tree.
    func documents() -> [YAMLNode] {
        let tree = YAMLTree(file: file, storage: tree)
        return roots.map { YAMLNode(tree: tree, index: $0) }
    }

    static func syntaxProblem(_ parser: yaml_parser_t, file: String, bytes: UnsafeBufferPointer<UInt8>) -> YAMLReader.Problem {
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        let context = parser.context.map { String(cString: $0) }
        var message = context.map { "\(problem) (\($0))" } ?? problem
        var line = Int(parser.problem_mark.line) + 1
        var column = Int(parser.problem_mark.column) + 1
        if parser.error == YAML_READER_ERROR {
            // Encoding errors carry a byte offset, not a mark: find its line and column.
            let offset = min(Int(parser.problem_offset), bytes.count)
            line = 1
            var lineStart = 0
            for index in 0..<offset where bytes[index] == 0x0A {
                line += 1
                lineStart = index + 1
            }
            column = offset - lineStart + 1
            message += " at byte offset \(offset)"
        }
        return YAMLReader.Problem(
            kind: .syntax, message: message, expected: "well-formed UTF-8 YAML",
            location: SourceLocation(file: file, line: line, column: column))
    }

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
    }

    /// Refuses a tag other than `allowed`; `mark` is where the node starts (its location is made
    /// only for the error: made for every node, it was a retain and release of the file's name).
    private func checkTag(_ tag: UnsafeMutablePointer<yaml_char_t>?, allowed: String, at mark: yaml_mark_t) throws(YAMLReader.Problem) {
        guard let tag = Self.text(tag), tag != allowed else { return }
        throw YAMLReader.Problem(
            kind: .unsupported, message: "YAML tag '\(tag)' is not supported",
            expected: "untagged values; every value is read as text", location: location(mark))
    }

    mutating func handle(_ event: yaml_event_t) throws(YAMLReader.Problem) {
        // Positions past 2^31 (only in files far over the default size limit) show as 2^31 - 1.
        let line = Int32(clamping: event.start_mark.line + 1)
        let column = Int32(clamping: event.start_mark.column + 1)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            anchors = [:]
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            try checkTag(scalar.tag, allowed: "tag:yaml.org,2002:str", at: event.start_mark)
            let start = tree.bytes.count
            tree.bytes.append(contentsOf: UnsafeBufferPointer(start: scalar.value, count: scalar.length))
            let node = try record(
                YAMLTree.Record(
                    kind: .scalar, isPlain: scalar.style == YAML_PLAIN_SCALAR_STYLE, line: line, column: column,
                    start: Int32(truncatingIfNeeded: start), count: Int32(truncatingIfNeeded: scalar.length), size: 1),
                at: event.start_mark)
            try add(node, anchor: Self.text(scalar.anchor), at: event.start_mark)
        case YAML_ALIAS_EVENT:
            let name = Self.text(event.data.alias.anchor) ?? ""
            guard let target = anchors[name] else {
                throw YAMLReader.Problem(
                    kind: .syntax, message: "alias '*\(name)' names no anchor defined before it",
                    expected: "an anchor '&\(name)' earlier in the same document", location: location(event.start_mark))
            }
            aliasExpansion += tree.records[Int(target)].size
            if aliasExpansion > limits.maximumAliasNodes {
                throw YAMLReader.Problem(
                    kind: .limit,
                    message: "aliases expand to more than \(limits.maximumAliasNodes) nodes (limit --max-alias-nodes)",
                    expected: "fewer or smaller aliases; write the values out", location: location(event.start_mark))
            }
            try add(target, anchor: nil, at: event.start_mark, isAlias: true)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let tag = isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag
            try checkTag(tag, allowed: isMapping ? "tag:yaml.org,2002:map" : "tag:yaml.org,2002:seq", at: event.start_mark)
            if stack.count >= limits.maximumDepth {
                throw YAMLReader.Problem(
                    kind: .limit, message: "nesting deeper than \(limits.maximumDepth) levels (limit --max-depth)",
                    expected: "a flatter document", location: location(event.start_mark))
            }
            let anchor = isMapping ? Self.text(event.data.mapping_start.anchor) : Self.text(event.data.sequence_start.anchor)
            stack.append(Frame(isMapping: isMapping, line: line, column: column, anchor: anchor, start: pending.count))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { return }
            let start = tree.children.count
            tree.children.append(contentsOf: pending[frame.start...])
            let entries = pending.count - frame.start
            pending.removeSubrange(frame.start...)
            let node = try record(
                YAMLTree.Record(
                    kind: frame.isMapping ? .mapping : .sequence, isPlain: false, line: frame.line, column: frame.column,
                    start: Int32(truncatingIfNeeded: start), count: Int32(truncatingIfNeeded: frame.isMapping ? entries / 2 : entries),
                    size: frame.size),
                at: event.start_mark)
            try add(node, anchor: frame.anchor, at: event.start_mark)
        default:
            break
        }
    }

    /// Stores a node's record; a file too large for the tree's 32-bit positions is refused.
    private mutating func record(_ record: YAMLTree.Record, at mark: yaml_mark_t) throws(YAMLReader.Problem) -> Int32 {
        guard tree.records.count < Int32.max, tree.bytes.count <= Int32.max, tree.children.count <= Int32.max else {
            throw YAMLReader.Problem(
                kind: .limit, message: "the file has more nodes or text than one YAML file may hold (2^31)",
                expected: "a smaller file; split the pack into several files", location: location(mark))
        }
        tree.records.append(record)
        return Int32(tree.records.count - 1)
    }

    /// Whether `key` is new to the mapping being built.
    ///
    /// Small mappings (every entry of a pack) are scanned; a set is kept only past `keysScanned`
    /// keys: a set per mapping was a fifth of the time spent building nodes (W1 pack, perf).
    private mutating func isNewKey(_ key: YAMLTree.Record, inFrame frameIndex: Int) -> Bool {
        let start = stack[frameIndex].start
        let count = (pending.count - start) / 2
        if count < Self.keysScanned {
            return !stride(from: start, to: pending.count, by: 2).contains { index in
                isSameKey(key, tree.records[Int(pending[index])])
            }
        }
        if stack[frameIndex].keys.isEmpty {
            for index in stride(from: start, to: pending.count, by: 2) {
                stack[frameIndex].keys.insert(tree.text(of: tree.records[Int(pending[index])]))
            }
        }
        return stack[frameIndex].keys.insert(tree.text(of: key)).inserted
    }

    /// Whether two keys are the same, as Swift strings compare.
    ///
    /// Canonically equivalent texts are the same key, as they would be in the dictionaries the
    /// decoder fills. Two ASCII keys, nearly all of them, are the same string exactly when they
    /// are the same bytes.
    private func isSameKey(_ one: YAMLTree.Record, _ other: YAMLTree.Record) -> Bool {
        if one.isASCII && other.isASCII {
            guard one.count == other.count else { return false }
            return tree.withText(of: one) { first in tree.withText(of: other) { first.hasSameBytes(as: $0) } }
        }
        return tree.text(of: one) == tree.text(of: other)
    }

    private static let keysScanned = 16

    private mutating func add(_ node: Int32, anchor: String?, at mark: yaml_mark_t, isAlias: Bool = false) throws(YAMLReader.Problem) {
        if let anchor { anchors[anchor] = node }
        let record = tree.records[Int(node)]
        guard !stack.isEmpty else {
            if !tree.isNull(record) { roots.append(node) }
            return
        }
        let index = stack.count - 1
        if stack[index].isMapping && (pending.count - stack[index].start) % 2 == 0 {
            let record = record.kind == .scalar ? tree.markASCII(node) : record
            // This node is a key; an alias is placed where the alias is written. (Made only for an
            // error: made for every key, it was a retain and release of the file's name.)
            var keyLocation: SourceLocation {
                isAlias ? location(mark) : SourceLocation(file: file, line: Int(record.line), column: Int(record.column))
            }
            guard record.kind == .scalar else {
                throw YAMLReader.Problem(
                    kind: .unsupported, message: "a mapping key must be text, not \(tree.shapeName(record))",
                    expected: "a plain key such as 'id'", location: keyLocation)
            }
            if record.isPlain && record.count == 2
                && tree.bytes[Int(record.start)] == UInt8(ascii: "<") && tree.bytes[Int(record.start) + 1] == UInt8(ascii: "<")
            {
                throw YAMLReader.Problem(
                    kind: .unsupported, message: "merge keys ('<<') are not supported",
                    expected: "the keys written out in this mapping", location: keyLocation)
            }
            guard isNewKey(record, inFrame: index) else {
                throw YAMLReader.Problem(
                    kind: .duplicateKey, message: "duplicate key '\(tree.text(of: record))'",
                    expected: "each key once per mapping", location: keyLocation)
            }
        }
        stack[index].size += record.size
        pending.append(node)
    }
}
