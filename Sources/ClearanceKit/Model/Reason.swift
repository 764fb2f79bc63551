import Synchronization

/// One finding about an order line: its verdict, stable code, the pack id that produced it,
/// a message for people and the rule-pack position it comes from.
///
/// Copies share their fields (`SharedFields`): a line's reasons are copied as they are gathered,
/// sorted and reported, and a copy of the fields themselves retained up to eight strings.
@dynamicMemberLookup
public struct Reason: Hashable, Sendable {
    /// The reason's fields, read and written as its own (`reason.message`).
    public struct Values: Hashable, Sendable {
        public var verdict: Verdict
        public var code: ReasonCode
        /// The id of the category, licence, rule, list or pack that produced the reason; nil for
        /// `unknown-party`, `input-error` and reasons about the line itself (such as "no date").
        public var rule: String?
        public var message: String
        /// Where in the rule pack the reason comes from; nil when `rule` is nil.
        public var source: SourceLocation?
        /// The order-line field the reason turns on, where known (`customer`, `quantity`), so that
        /// reports can point at its column.
        ///
        /// Not part of the JSON report.
        public var field: String?
        /// For a `cleared` reason: who cleared it, when, and the code it had before.
        public var clearance: ClearanceStamp?
    }

    public init(verdict: Verdict, code: ReasonCode, rule: String?, message: String, source: SourceLocation?, field: String? = nil) {
        fields = SharedFields(
            Values(verdict: verdict, code: code, rule: rule, message: message, source: source, field: field, clearance: nil))
    }

    private var fields: SharedFields<Values>

    /// The report forms worked out for this reason so far, kept with it: only for reasons built
    /// once and reported on many lines (`memoizingReports()`); dropped when a field changes.
    private(set) var reportMemo: ReportMemo?

    /// Marks the fields and the memo immortal (`Immortal`): only for reasons kept until the
    /// process exits.
    func markImmortal() {
        fields.markImmortal()
        if let reportMemo { Immortal.mark(reportMemo) }
    }

    /// A field of the reason, read from or written into its shared fields.
    ///
    /// Hot paths read fields by name (`reason.verdict`), not through a key path such as
    /// `map(\.verdict)`: a key path through this subscript is built at run time, each time.
    public subscript<Value>(dynamicMember field: WritableKeyPath<Values, Value>) -> Value {
        get { fields.values[keyPath: field] }
        set {
            fields.change { $0[keyPath: field] = newValue }
            reportMemo = nil
        }
    }

    /// This reason, keeping the report forms worked out for it (for reasons every run repeats,
    /// such as "covered by licence X for category Y": writing one as JSON cost 2,600 instructions).
    func memoizingReports() -> Reason {
        var reason = self
        reason.reportMemo = ReportMemo()
        return reason
    }

    /// Whether the reason has a clearance stamp, read in place: `reason.clearance == nil` copied
    /// the stamp out (about 100 instructions a reason written, callgrind).
    var hasClearance: Bool {
        fields.withValues { values in
            if case .none = values.clearance { false } else { true }
        }
    }

    /// Reasons are equal when their fields are, shared or not.
    public static func == (lhs: Reason, rhs: Reason) -> Bool { lhs.fields.values == rhs.fields.values }

    public func hash(into hasher: inout Hasher) { hasher.combine(fields.values) }

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

/// The sign-off that turned a review reason into `cleared` (contract §4).
public struct ClearanceStamp: Hashable, Sendable {
    /// The clearance's id, such as `CLR-2026-014`.
    public var id: String
    public var by: String
    public var on: Day
    /// The reason's code before it was cleared.
    public var code: ReasonCode
    /// Where the clearance is written.
    public var source: SourceLocation

    public init(id: String, by: String, on: Day, code: ReasonCode, source: SourceLocation) {
        self.id = id
        self.by = by
        self.on = on
        self.code = code
        self.source = source
    }
}

/// Report forms of a reason, each worked out the first time a report needs it and reused after.
///
/// Shared by the reason's copies on every thread that formats reports. The compact form (the one
/// form of JSON Lines and compact JSON) is published once and then read without a lock; pretty
/// forms are looked up and stored under a lock. Both are worked out outside any lock.
final class ReportMemo: Sendable {
    /// The compact form once worked out: its byte count, then its bytes, in memory of its own
    /// (freed with the memo). Read with a load, neither a lock nor a reference count, on nearly
    /// every reported line: two threads locking one memo's lock and retaining its bytes pulled
    /// their cache lines from each other's core.
    // INVARIANT: set once, from 0, by `keepCompact`; the memory it points to is never written
    // after it is published, and is freed only in `deinit`.
    // The address as an integer: an atomic pointer is not `Sendable`.
    private let compact = Atomic<UInt>(0)

    deinit { UnsafeMutableRawPointer(bitPattern: compact.load(ordering: .acquiring))?.deallocate() }

    /// The pretty forms by the nesting depth they were written at (their indentation): a run
    /// writes a reason at a depth or two, found by comparing, not hashing (a hashed look-up was
    /// about 250 instructions a reported reason).
    ///
    /// A `Mutex`, not `Locked`: looked up for nearly every reported line, `Locked` made a W1 line
    /// 1.4 % dearer (callgrind). ThreadSanitizer does not see this lock (see `Locked`); the test
    /// suite runs clean under it.
    private let pretty = Mutex<[(depth: Int, bytes: [UInt8])]>([])

    /// The bytes of the compact form, if worked out (valid while the memo is).
    var compactBytes: UnsafeBufferPointer<UInt8>? {
        UnsafeMutableRawPointer(bitPattern: compact.load(ordering: .acquiring)).map(Self.bytes(at:))
    }

    /// Keeps `rendered` as the compact form, unless another thread kept one first; the form kept.
    func keepCompact(_ rendered: [UInt8]) -> UnsafeBufferPointer<UInt8> {
        let header = MemoryLayout<Int>.stride
        let fresh = UnsafeMutableRawPointer.allocate(byteCount: header + rendered.count, alignment: MemoryLayout<Int>.alignment)
        fresh.storeBytes(of: rendered.count, as: Int.self)
        let bytes = (fresh + header).bindMemory(to: UInt8.self, capacity: rendered.count)
        _ = UnsafeMutableBufferPointer(start: bytes, count: rendered.count).initialize(from: rendered)
        let (stored, current) = compact.compareExchange(expected: 0, desired: UInt(bitPattern: fresh), ordering: .acquiringAndReleasing)
        if stored { return Self.bytes(at: fresh) }
        fresh.deallocate()
        guard let current = UnsafeMutableRawPointer(bitPattern: current) else { preconditionFailure("a report form was kept as nothing") }
        return Self.bytes(at: current)
    }

    /// The bytes stored at `pointer` by `keepCompact`.
    private static func bytes(at pointer: UnsafeMutableRawPointer) -> UnsafeBufferPointer<UInt8> {
        let header = MemoryLayout<Int>.stride
        return UnsafeBufferPointer(start: (pointer + header).assumingMemoryBound(to: UInt8.self), count: pointer.load(as: Int.self))
    }

    /// The bytes of the pretty form at `depth`, worked out by `render` the first time.
    func prettyBytes(depth: Int, render: () -> [UInt8]) -> [UInt8] {
        if let known = pretty.withLock({ $0.first { $0.depth == depth }?.bytes }) { return known }
        let bytes = render()
        pretty.withLock { forms in
            if !forms.contains(where: { $0.depth == depth }) { forms.append((depth, bytes)) }
        }
        return bytes
    }

    /// How many forms it holds.
    var count: Int { pretty.withLock { $0.count } + (compact.load(ordering: .acquiring) == 0 ? 0 : 1) }
}
