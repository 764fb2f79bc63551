/// Conditions compiled for evaluation on every line: the nodes of all of them in one buffer, each
/// node followed by its parts, and the leaves referred to without reference counting.
///
/// Walking a `Condition` retained and released its enum boxes and arrays of parts, objects that
/// every preparing thread shares: each count pulled the object's cache line from the other core
/// (perf: `ConditionEvaluator.evaluate` was about 2 % of a two-job W1 run in reference counting
/// alone). A walk of the program reads memory only. It gives what `ConditionEvaluator.evaluate`
/// gives for the same condition (tested).
final class ConditionProgram: @unchecked Sendable {
    // INVARIANT: `nodes` and `roots` are written by `init` only and freed by `deinit`; every leaf a
    // node refers to is in `leaves`, which the program keeps as long as it lives.
    private let nodes: UnsafeMutableBufferPointer<Node>
    private let roots: UnsafeMutableBufferPointer<Int32>
    private let leaves: [Leaf]

    private struct Node {
        enum Kind: UInt8 { case all, any, not, leaf }

        let kind: Kind
        /// The index after the node and its parts.
        let end: Int32
        /// A leaf's test; nil for the others.
        let leaf: Unmanaged<Leaf>?
    }

    /// Compiles `conditions`; `evaluate(_:_:_:)` reads them by their index in this array.
    init(_ conditions: [Condition]) {
        var nodes: [Node] = []
        var leaves: [Leaf] = []
        var roots: [Int32] = []
        func compile(_ condition: Condition) {
            let start = nodes.count
            // Written once its parts are, when its end is known.
            nodes.append(Node(kind: .leaf, end: 0, leaf: nil))
            let kind: Node.Kind
            var leaf: Unmanaged<Leaf>?
            switch condition {
            case .all(let parts):
                kind = .all
                for part in parts { compile(part) }
            case .any(let parts):
                kind = .any
                for part in parts { compile(part) }
            case .not(let inner):
                kind = .not
                compile(inner)
            case .leaf(let test):
                kind = .leaf
                leaves.append(test)
                leaf = Unmanaged.passUnretained(test)
            }
            nodes[start] = Node(kind: kind, end: Int32(nodes.count), leaf: leaf)
        }
        for condition in conditions {
            roots.append(Int32(nodes.count))
            compile(condition)
        }
        self.nodes = .allocate(capacity: nodes.count)
        _ = self.nodes.initialize(from: nodes)
        self.roots = .allocate(capacity: roots.count)
        _ = self.roots.initialize(from: roots)
        self.leaves = leaves
    }

    deinit {
        nodes.deallocate()
        roots.deallocate()
    }

    /// How many conditions the program holds.
    var count: Int { roots.count }

    /// The truth of condition `index` for the line, as `conditions` evaluates the condition itself.
    func evaluate(_ index: Int, _ facts: LineFacts, _ conditions: ConditionEvaluator) -> Truth {
        evaluate(node: Int(roots[index]), facts, conditions)
    }

    private func evaluate(node index: Int, _ facts: LineFacts, _ conditions: ConditionEvaluator) -> Truth {
        let node = nodes[index]
        switch node.kind {
        case .leaf:
            // INVARIANT (above): the leaf is alive; read without a retain.
            return node.leaf.unsafelyUnwrapped._withUnsafeGuaranteedRef { conditions.evaluate($0, facts) }
        case .not:
            return !evaluate(node: index + 1, facts, conditions)
        case .all, .any:
            // `all` stops at the first false part (through `&&`), `any` at the first true one
            // (through `||`), as `ConditionEvaluator` combines them.
            let decisive = node.kind == .any
            var result = Truth(!decisive)
            var part = index + 1
            while part < Int(node.end) {
                let truth = evaluate(node: part, facts, conditions)
                result = decisive ? result || truth : result && truth
                if result == Truth(decisive) { return result }
                part = Int(nodes[part].end)
            }
            return result
        }
    }

    /// Marks the program, its leaves and their operand arrays immortal (`Immortal`).
    ///
    /// Every line's tests read them. Only for a program kept until the process exits.
    func markImmortal() {
        Immortal.mark(self)
        for leaf in leaves {
            Immortal.mark(leaf)
            Immortal.mark(array: leaf.operands)
            if case .unknown(let missing) = leaf.fieldMissing { Immortal.mark(set: missing) }
        }
    }
}
