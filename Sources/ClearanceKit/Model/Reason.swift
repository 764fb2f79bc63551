/// One finding about an order line: its verdict, stable code, the pack id that produced it,
/// a message for people and the rule-pack position it comes from.
public struct Reason: Hashable, Sendable {
    public var verdict: Verdict
    public var code: ReasonCode
    /// The id of the category, licence, rule, list or pack that produced the reason; nil for
    /// `unknown-party`, `input-error` and reasons about the line itself (such as "no date").
    public var rule: String?
    public var message: String
    /// Where in the rule pack the reason comes from; nil when `rule` is nil.
    public var source: SourceLocation?

    public init(verdict: Verdict, code: ReasonCode, rule: String?, message: String, source: SourceLocation?) {
        self.verdict = verdict
        self.code = code
        self.rule = rule
        self.message = message
        self.source = source
    }

    /// Contract §10.13: severity (deny first), then code, then rule id (null first), then message.
    public static func reportOrder(_ lhs: Reason, _ rhs: Reason) -> Bool {
        if lhs.verdict != rhs.verdict { return lhs.verdict > rhs.verdict }
        if lhs.code != rhs.code { return lhs.code < rhs.code }
        if lhs.rule != rhs.rule {
            guard let left = lhs.rule else { return true }
            guard let right = rhs.rule else { return false }
            return left < right
        }
        return lhs.message < rhs.message
    }
}
