/// One test of a pack's `tests/` folder (contract §9): order lines evaluated in order and what
/// each must give.
public struct PackTest: Sendable {
    /// What one order line must give.
    public struct Expectation: Sendable {
        public var verdict: Verdict?
        /// nil: not checked; `.some(nil)`: must be null.
        public var licence: String??
        /// Codes that must be present (others may be too).
        public var codes: [ReasonCode]
        /// When given, the applying categories, exactly.
        public var categories: [String]?
        public var source: SourceLocation

        public init(verdict: Verdict?, licence: String??, codes: [ReasonCode], categories: [String]?, source: SourceLocation) {
            self.verdict = verdict
            self.licence = licence
            self.codes = codes
            self.categories = categories
            self.source = source
        }
    }

    public var name: String
    public var orders: [OrderRecord]
    public var expectations: [Expectation]
    /// Evaluate every line as if shipped on this day.
    public var asOf: Day?
    /// The day of the run, for stale-pack and clearance checks (defaults to the real one).
    public var today: Day?
    public var source: SourceLocation

    public init(name: String, orders: [OrderRecord], expectations: [Expectation], asOf: Day?, today: Day?, source: SourceLocation) {
        self.name = name
        self.orders = orders
        self.expectations = expectations
        self.asOf = asOf
        self.today = today
        self.source = source
    }
}
