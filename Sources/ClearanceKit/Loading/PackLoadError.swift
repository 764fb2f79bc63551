/// A problem that stops a rule pack from loading (contract §1: a pack with any load error
/// evaluates nothing).
public struct PackLoadError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable code printed in brackets: `[unknown-key]`.
    public enum Code: String, Sendable, CaseIterable {
        case badCondition = "bad-condition"
        case badValue = "bad-value"
        case duplicateID = "duplicate-id"
        case duplicateKey = "duplicate-key"
        case missingKey = "missing-key"
        case missingPack = "missing-pack"
        case undefinedReference = "undefined-reference"
        case unknownField = "unknown-field"
        case unknownKey = "unknown-key"
        case unknownOperator = "unknown-operator"
        case unreadable = "unreadable"
        case unsupportedYAML = "unsupported-yaml"
        case wrongShape = "wrong-shape"
        case yamlLimit = "yaml-limit"
        case yamlSyntax = "yaml-syntax"
    }

    public var code: Code
    /// Starts lower case, no trailing period, user values in single quotes.
    public var message: String
    /// What would have been accepted.
    public var expected: String?
    /// How to fix it, such as "did you mean 'valid'?".
    public var help: String?
    public var location: SourceLocation

    public init(_ code: Code, _ message: String, expected: String? = nil, help: String? = nil, at location: SourceLocation) {
        self.code = code
        self.message = message
        self.expected = expected
        self.help = help
        self.location = location
    }

    /// The load error for a problem the YAML reader found.
    public init(yaml problem: YAMLReader.Problem) {
        let code: Code =
            switch problem.kind {
            case .syntax: .yamlSyntax
            case .duplicateKey: .duplicateKey
            case .unsupported: .unsupportedYAML
            case .limit: .yamlLimit
            }
        self.init(code, problem.message, expected: problem.expected, at: problem.location)
    }

    /// The clang-style rendering: `path:line:col: error: [code] message`, then `expected:` and
    /// `help:` lines.
    public var description: String {
        Diagnostic.render(severity: "error", code: code.rawValue, message: message, expected: expected, help: help, at: location)
    }
}

/// Every load error of a pack, sorted by position.
public struct PackLoadErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [PackLoadError]
    /// The pack directory as given.
    public var packPath: String

    public init(errors: [PackLoadError], packPath: String) {
        self.errors = errors.sorted { ($0.location, $0.message) < ($1.location, $1.message) }
        self.packPath = packPath
    }

    public var description: String {
        let count = errors.count == 1 ? "1 error" : "\(errors.count) errors"
        return (errors.map(\.description) + ["\(count) in pack '\(packPath)'; nothing was evaluated"])
            .joined(separator: "\n")
    }
}

/// A finding of `clearance lint` that does not stop the pack from loading.
public struct PackWarning: Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        case ambiguousName = "ambiguous-name"
        case clearanceExpired = "clearance-expired"
        case clearanceUnknownCode = "clearance-unknown-code"
        case clearanceUnused = "clearance-unused"
        case expiredLicence = "expired-licence"
        case licenceOutsideCategory = "licence-outside-category"
        case productWithoutHSCode = "product-without-hs-code"
        case reviewSoon = "review-soon"
        case suspensionOutsideEffective = "suspension-outside-effective"
        case unusedParty = "unused-party"
    }

    public var code: Code
    public var message: String
    public var help: String?
    public var location: SourceLocation

    public init(_ code: Code, _ message: String, help: String? = nil, at location: SourceLocation) {
        self.code = code
        self.message = message
        self.help = help
        self.location = location
    }

    public var description: String {
        Diagnostic.render(severity: "warning", code: code.rawValue, message: message, expected: nil, help: help, at: location)
    }
}

/// Shared rendering of positioned diagnostics (pack errors, warnings, order input errors).
public enum Diagnostic {
    /// `path:line:col: severity: [code] message` with optional `expected:` and `help:` lines.
    public static func render(
        severity: String, code: String, message: String, expected: String?, help: String?, at location: SourceLocation
    ) -> String {
        var lines = ["\(location): \(severity): [\(code)] \(message)"]
        if let expected { lines.append("  expected: \(expected)") }
        if let help { lines.append("  help: \(help)") }
        return lines.joined(separator: "\n")
    }
}
