/// A node of a YAML document as our reader builds it: positioned, and with every scalar kept as
/// text (contract §10.1).
///
/// Alias targets are shared, never copied.
public final class YAMLNode: @unchecked Sendable {
    /// The shape of a node.
    ///
    public enum Content {
        case scalar(String)
        case sequence([YAMLNode])
        case mapping([(key: YAMLNode, value: YAMLNode)])
    }

    public let content: Content
    public let location: SourceLocation
    /// True for a plain (unquoted) scalar; an empty plain scalar is YAML's null.
    public let isPlain: Bool
    /// The number of nodes in this subtree, counting shared alias targets each time.
    public let size: Int

    init(content: Content, location: SourceLocation, isPlain: Bool = false) {
        self.content = content
        self.location = location
        self.isPlain = isPlain
        switch content {
        case .scalar: size = 1
        case .sequence(let items): size = 1 + items.reduce(0) { $0 + $1.size }
        case .mapping(let pairs): size = 1 + pairs.reduce(0) { $0 + $1.key.size + $1.value.size }
        }
    }

    /// The scalar's text, or nil for a sequence or mapping.
    public var scalar: String? {
        if case .scalar(let text) = content { return text }
        return nil
    }

    /// True for an empty plain scalar (`key:` with nothing after it, or `~`/`null`).
    public var isNull: Bool {
        guard isPlain, let text = scalar, text.utf8.count <= 4 else { return false }
        return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    /// A word for the node's shape, for messages: "a mapping", "a list", "text".
    public var shapeName: String {
        switch content {
        case .scalar: isNull ? "nothing" : "text"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }
}
