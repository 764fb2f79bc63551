import Crypto
import Foundation

/// Loads a rule-pack directory: every `*.yaml`/`*.yml` below it (sorted, recursively, skipping
/// `tests/` folders), validated as a whole.
///
/// Any error means no pack (fail closed).
public struct PackLoader: Sendable {
    /// Bounds on what a pack may hold.
    ///
    public struct Limits: Sendable {
        /// The largest rule file read, in bytes.
        public var maximumFileSize = 64 << 20
        public var yaml = YAMLReader.Limits()

        public init() {}
    }

    public var limits: Limits

    public init(limits: Limits = Limits()) { self.limits = limits }

    /// Loads the pack at `path` (as the user gave it; locations are shown relative to it).
    /// - Throws: `PackLoadErrors` with every problem found, sorted by position.
    public func load(path: String) throws(PackLoadErrors) -> Pack {
        let decoder = NodeDecoder()
        let root = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        let files = ruleFiles(root: root, decoder: decoder)
        var documents: [YAMLNode] = []
        var digestInput: [(relative: String, bytes: [UInt8])] = []
        for relative in files {
            let display = root == "." ? relative : "\(root)/\(relative)"
            guard let data = FileManager.default.contents(atPath: display) else {
                decoder.report(.unreadable, "cannot read rule file '\(display)'", at: SourceLocation(file: display, line: 1, column: 1))
                continue
            }
            if data.count > limits.maximumFileSize {
                decoder.report(
                    .yamlLimit, "rule file is \(data.count) bytes, more than the limit of \(limits.maximumFileSize)",
                    expected: "a smaller file; split the pack into several files", at: SourceLocation(file: display, line: 1, column: 1))
                continue
            }
            let bytes = [UInt8](data)
            digestInput.append((relative, bytes))
            do {
                documents += try YAMLReader(limits: limits.yaml).documents(in: bytes, file: display)
            } catch {
                decoder.report(PackLoadError(yaml: error))
            }
        }
        // References may be defined in a file that did not parse: report only the YAML errors.
        if !decoder.errors.isEmpty { throw PackLoadErrors(errors: decoder.errors, packPath: path) }
        var packDecoder = PackDecoder(decoder: decoder, root: root)
        let pack = packDecoder.decode(documents: documents, files: files, digest: Self.digest(of: digestInput))
        guard decoder.errors.isEmpty, let pack else {
            throw PackLoadErrors(errors: decoder.errors, packPath: path)
        }
        return pack
    }

    /// The rule files below `root`, relative to it, sorted; `tests/` folders and hidden entries skipped.
    private func ruleFiles(root: String, decoder: NodeDecoder) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else {
            decoder.report(
                .missingPack, "no rule pack at '\(root)'", expected: "a directory of *.yaml rule files",
                help: "pass --rules DIR or set CLEARANCE_RULES", at: SourceLocation(file: root, line: 1, column: 1))
            return []
        }
        guard isDirectory.boolValue else {
            decoder.report(
                .missingPack, "'\(root)' is a file, not a rule-pack directory", expected: "a directory of *.yaml rule files",
                help: "pass the directory that holds it", at: SourceLocation(file: root, line: 1, column: 1))
            return []
        }
        guard let enumerator = FileManager.default.enumerator(atPath: root) else {
            decoder.report(.unreadable, "cannot list rule pack '\(root)'", at: SourceLocation(file: root, line: 1, column: 1))
            return []
        }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let components = relative.split(separator: "/")
            if components.contains(where: { $0.hasPrefix(".") || $0 == "tests" }) { continue }
            guard relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") else { continue }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: "\(root)/\(relative)", isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(relative)
            }
        }
        return files.sorted()
    }

    /// `sha256:` over, for each file in sorted order: its relative path, a NUL byte, its size in
    /// decimal, a NUL byte, and its bytes.
    ///
    /// Paths are taken relative to the deepest folder holding every rule file, so `--rules Rules`
    /// and `--rules Rules/cn-rare-earth` give the same digest for the same pack.
    static func digest(of files: [(relative: String, bytes: [UInt8])]) -> String {
        var common = files.first.map { $0.relative.split(separator: "/").dropLast() } ?? []
        for file in files {
            let folders = file.relative.split(separator: "/").dropLast()
            while !folders.starts(with: common) { common = common.dropLast() }
        }
        let prefix = common.isEmpty ? "" : common.joined(separator: "/") + "/"
        var hasher = SHA256()
        for file in files.sorted(by: { $0.relative < $1.relative }) {
            let path = String(file.relative.dropFirst(prefix.count))
            hasher.update(data: Array(path.utf8) + [0] + Array(String(file.bytes.count).utf8) + [0])
            hasher.update(data: file.bytes)
        }
        return "sha256:" + hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
