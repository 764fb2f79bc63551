/// Bounds that keep hostile or broken input from using unbounded time or memory.
///
/// Each limit has a command-line flag; every error that hits one names the limit and the flag.
public struct InputLimits: Sendable, Equatable {
    /// The largest rule, clearance or pack-test file read, in bytes (`--max-rule-file-size`).
    public var maximumRuleFileBytes = 64 << 20
    /// The deepest nesting of YAML mappings and sequences, and of JSON objects and arrays (`--max-depth`).
    public var maximumDepth = 200
    /// The most nodes YAML aliases may add to a file, counted each time an alias is used (`--max-alias-nodes`).
    public var maximumAliasNodes = 100_000
    /// The longest order record (a CSV record or a JSON Lines line), in bytes (`--max-line-length`).
    public var maximumRecordBytes = 1 << 20
    /// The most fields in one order record (`--max-fields`).
    public var maximumFields = 1_000
    /// The most elements in one composition (`--max-composition`).
    public var maximumCompositionElements = 118

    public init() {}

    /// The defaults, written out for documentation and `--help`.
    public static let defaults = InputLimits()
}
