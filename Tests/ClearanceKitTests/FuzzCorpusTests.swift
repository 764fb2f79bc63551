import ClearanceFuzzing
import Foundation
import Testing

/// Replays the committed fuzz seeds and every regression input through the fuzz targets' own checks
/// (no crash, every record evaluated, reasons sorted, nothing unreadable allowed).
@Suite("Fuzz corpus and regressions")
struct FuzzCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    static func inputs(_ folder: String) -> [(target: FuzzTarget, file: URL)] {
        FuzzTarget.allCases.flatMap { target -> [(FuzzTarget, URL)] in
            let directory = root.appendingPathComponent("\(folder)/\(target.rawValue)")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            return names.sorted().map { (target, directory.appendingPathComponent($0)) }
        }
    }

    @Test("every target has seeds, and they run clean")
    func seeds() throws {
        let inputs = Self.inputs("corpus")
        for target in FuzzTarget.allCases { #expect(inputs.contains { $0.target == target }, "no seeds for \(target)") }
        for (target, file) in inputs { target.run([UInt8](try Data(contentsOf: file))) }
        #expect(FuzzTarget.fixturePack != nil)
    }

    @Test("every regression input found by the fuzzer runs clean")
    func regressions() throws {
        for (target, file) in Self.inputs("regressions") { target.run([UInt8](try Data(contentsOf: file))) }
    }
}
