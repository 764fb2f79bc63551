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
            var builder = Builder(file: file, limits: limits)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    throw Builder.syntaxProblem(parser, file: file, bytes: buffer)
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { break }
                try builder.handle(event)
            }
            return builder.documents
        }
    }
}

/// Turns the event stream into node trees.
private struct Builder {
    let file: String
    let limits: InputLimits
    var documents: [YAMLNode] = []

    /// An open collection; its nodes so far are `items[start...]`.
    private struct Frame {
        var isMapping: Bool
        var location: SourceLocation
        var anchor: String?
        var start: Int
        var keys: Set<String> = []
    }

    private var stack: [Frame] = []
    /// The nodes gathered for every open collection, innermost last: one growing array instead
    /// of one per collection (growing those was a fifth of the time spent building nodes).
    private var items: [YAMLNode] = []
    private var anchors: [String: YAMLNode] = [:]
    private var aliasExpansion = 0

    init(file: String, limits: InputLimits) {
        self.file = file
        self.limits = limits
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

    private func checkTag(_ tag: String?, allowed: String, at where: SourceLocation) throws(YAMLReader.Problem) {
        guard let tag, tag != allowed else { return }
        throw YAMLReader.Problem(
            kind: .unsupported, message: "YAML tag '\(tag)' is not supported",
            expected: "untagged values; every value is read as text", location: `where`)
    }

    mutating func handle(_ event: yaml_event_t) throws(YAMLReader.Problem) {
        let start = location(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            anchors = [:]
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            try checkTag(Self.text(scalar.tag), allowed: "tag:yaml.org,2002:str", at: start)
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            let node = YAMLNode(content: .scalar(text), location: start, isPlain: scalar.style == YAML_PLAIN_SCALAR_STYLE)
            try add(node, anchor: Self.text(scalar.anchor))
        case YAML_ALIAS_EVENT:
            let name = Self.text(event.data.alias.anchor) ?? ""
            guard let target = anchors[name] else {
                throw YAMLReader.Problem(
                    kind: .syntax, message: "alias '*\(name)' names no anchor defined before it",
                    expected: "an anchor '&\(name)' earlier in the same document", location: start)
            }
            aliasExpansion += target.size
            if aliasExpansion > limits.maximumAliasNodes {
                throw YAMLReader.Problem(
                    kind: .limit,
                    message: "aliases expand to more than \(limits.maximumAliasNodes) nodes (limit --max-alias-nodes)",
                    expected: "fewer or smaller aliases; write the values out", location: start)
            }
            try add(target, anchor: nil, at: start)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let tag = isMapping ? Self.text(event.data.mapping_start.tag) : Self.text(event.data.sequence_start.tag)
            try checkTag(tag, allowed: isMapping ? "tag:yaml.org,2002:map" : "tag:yaml.org,2002:seq", at: start)
            if stack.count >= limits.maximumDepth {
                throw YAMLReader.Problem(
                    kind: .limit, message: "nesting deeper than \(limits.maximumDepth) levels (limit --max-depth)",
                    expected: "a flatter document", location: start)
            }
            let anchor = isMapping ? Self.text(event.data.mapping_start.anchor) : Self.text(event.data.sequence_start.anchor)
            stack.append(Frame(isMapping: isMapping, location: start, anchor: anchor, start: items.count))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { return }
            let node: YAMLNode
            if frame.isMapping {
                var pairs: [(key: YAMLNode, value: YAMLNode)] = []
                pairs.reserveCapacity((items.count - frame.start) / 2)
                var index = frame.start
                while index + 1 < items.count {
                    pairs.append((items[index], items[index + 1]))
                    index += 2
                }
                node = YAMLNode(content: .mapping(pairs), location: frame.location)
            } else {
                node = YAMLNode(content: .sequence(Array(items[frame.start...])), location: frame.location)
            }
            items.removeSubrange(frame.start...)
            try add(node, anchor: frame.anchor)
        default:
            break
        }
    }

    /// Whether `key` is new to the mapping being built.
    ///
    /// Small mappings (every entry of a pack) are scanned; a set is kept only past `keysScanned`
    /// keys: a set per mapping was a fifth of the time spent building nodes (W1 pack, perf).
    private static func isNewKey(_ key: String, in frame: inout Frame, items: [YAMLNode]) -> Bool {
        let count = (items.count - frame.start) / 2
        if count < Self.keysScanned {
            return !stride(from: frame.start, to: items.count, by: 2).contains { items[$0].scalar == key }
        }
        if frame.keys.isEmpty {
            for index in stride(from: frame.start, to: items.count, by: 2) { frame.keys.insert(items[index].scalar ?? "") }
        }
        return frame.keys.insert(key).inserted
    }

    private static let keysScanned = 16

    private mutating func add(_ node: YAMLNode, anchor: String?, at aliasLocation: SourceLocation? = nil) throws(YAMLReader.Problem) {
        if let anchor { anchors[anchor] = node }
        guard !stack.isEmpty else {
            if !node.isNull { documents.append(node) }
            return
        }
        let index = stack.count - 1
        if stack[index].isMapping && (items.count - stack[index].start) % 2 == 0 {
            // This node is a key.
            let keyLocation = aliasLocation ?? node.location
            guard let key = node.scalar else {
                throw YAMLReader.Problem(
                    kind: .unsupported, message: "a mapping key must be text, not \(node.shapeName)",
                    expected: "a plain key such as 'id'", location: keyLocation)
            }
            if node.isPlain && key == "<<" {
                throw YAMLReader.Problem(
                    kind: .unsupported, message: "merge keys ('<<') are not supported",
                    expected: "the keys written out in this mapping", location: keyLocation)
            }
            guard Self.isNewKey(key, in: &stack[index], items: items) else {
                throw YAMLReader.Problem(
                    kind: .duplicateKey, message: "duplicate key '\(key)'",
                    expected: "each key once per mapping", location: keyLocation)
            }
        }
        items.append(node)
    }
}
