/// A clearance: a person's answer to review reasons, kept in YAML beside the orders
/// (contract §4).
///
/// It turns matching review reasons into `cleared`; it never touches a deny.
public struct ManualClearance: Sendable {
    public var id: String
    /// The order line ids it answers; nil when it uses `condition`.
    public var orders: Set<String>?
    /// The lines it answers, when given by a condition instead of ids.
    public var condition: Condition?
    /// Reason codes, or rule, licence, category or list ids, that it clears.
    public var clears: [String]
    public var by: String
    public var on: Day
    public var expires: Day?
    public var note: String?
    public var source: SourceLocation

    public init(
        id: String, orders: Set<String>?, condition: Condition?, clears: [String], by: String, on: Day, expires: Day?, note: String?,
        source: SourceLocation
    ) {
        self.id = id
        self.orders = orders
        self.condition = condition
        self.clears = clears
        self.by = by
        self.on = on
        self.expires = expires
        self.note = note
        self.source = source
    }

    /// Codes a clearance may not clear: an unread line was never checked, and a stale pack is
    /// not trusted for any line.
    public static let unclearableCodes: Set<ReasonCode> = [.inputError, .stalePack]
}
