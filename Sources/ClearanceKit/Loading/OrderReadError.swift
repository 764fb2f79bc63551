/// An order file that cannot be read at all (exit 2): missing, unreadable, a bad CSV header,
/// JSON that is not an array.
///
/// Problems with single records are `InputProblem`s instead.
public struct OrderReadError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var expected: String?
    public var help: String?
    public var location: SourceLocation

    public init(_ message: String, expected: String? = nil, help: String? = nil, at location: SourceLocation) {
        self.message = message
        self.expected = expected
        self.help = help
        self.location = location
    }

    public var description: String {
        Diagnostic.render(severity: "error", code: "unreadable-orders", message: message, expected: expected, help: help, at: location)
    }
}
