/// A list that keeps its first element inline and the others in an array.
///
/// For what a line usually has one of (its cover plans, the licences that cover it): an array for
/// that one was an allocation a line.
struct InlineFirstList<Element>: Sequence {
    private var head: Element?
    private var tail: [Element] = []

    init() {}

    /// The elements of `elements`, in order.
    init(_ elements: [Element]) {
        head = elements.first
        tail = Array(elements.dropFirst())
    }

    var first: Element? { head }

    // `case .none`, not `== nil`, and `take()`: the element is then neither copied nor released.
    var count: Int {
        if case .none = head { return 0 }
        return 1 + tail.count
    }

    mutating func append(_ element: consuming Element) {
        if case .none = head { head = element } else { tail.append(element) }
    }

    func makeIterator() -> Iterator { Iterator(head: head, tail: tail.makeIterator()) }

    struct Iterator: IteratorProtocol {
        fileprivate var head: Element?
        fileprivate var tail: IndexingIterator<[Element]>

        mutating func next() -> Element? {
            if case .some = head { return head.take() }
            return tail.next()
        }
    }
}

extension InlineFirstList: Sendable where Element: Sendable {}
