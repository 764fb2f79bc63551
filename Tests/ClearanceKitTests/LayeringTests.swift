import Foundation
import Testing

/// Keeps the architecture visible: only Loading/ touches libyaml; Evaluation/ and Model/ never read files.
@Suite("Layering")
struct LayeringTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/ClearanceKit")

    func files(in folder: String) -> [(String, String)] {
        let root = Self.sources.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { $0.hasSuffix(".swift") }.compactMap { name in
            (try? String(contentsOf: root.appendingPathComponent(name), encoding: .utf8)).map { (name, $0) }
        }
    }

    @Test("only Loading/ imports CLibYAML")
    func libyaml() {
        for folder in ["Model", "Evaluation", "Reporting"] {
            let found = files(in: folder)
            #expect(!found.isEmpty)
            for (name, text) in found { #expect(!text.contains("import CLibYAML"), "\(folder)/\(name)") }
        }
    }

    @Test("Model/ and Evaluation/ do not touch files")
    func noFiles() {
        for folder in ["Model", "Evaluation"] {
            for (name, text) in files(in: folder) {
                #expect(!text.contains("FileManager") && !text.contains("YAMLNode"), "\(folder)/\(name)")
            }
        }
    }
}
