import CFuzzerDriver
import ClearanceFuzzing
import Foundation

// Linked with libFuzzer (Scripts/fuzz.sh), libFuzzer drives the target named by
// CLEARANCE_FUZZ_TARGET through LLVMFuzzerRunDriver (SwiftPM owns `main`, so libFuzzer's own main
// cannot be used). Linked without it, `clearance-fuzz TARGET FILE…` replays inputs (crashes found
// by the fuzzer, the committed corpus) through the same code.

nonisolated(unsafe) var selectedTarget = FuzzTarget.csv

/// libFuzzer's entry point: one input for the selected target.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selectedTarget.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

@main
struct FuzzMain {
    static func main() {
        if clearance_fuzzer_linked() != 0 { fuzz() } else { replay() }
    }

    private static var targetNames: String { FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ") }

    private static func fuzz() -> Never {
        guard let target = FuzzTarget(rawValue: ProcessInfo.processInfo.environment["CLEARANCE_FUZZ_TARGET"] ?? "") else {
            print("set CLEARANCE_FUZZ_TARGET to one of: \(targetNames)")
            exit(2)
        }
        selectedTarget = target
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(clearance_fuzzer_run(&argc, &argv) { data, size in fuzzOne(data, size) })
    }

    private static func replay() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            print("usage: clearance-fuzz TARGET FILE…  (targets: \(targetNames))")
            exit(2)
        }
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                print("cannot read \(path)")
                exit(2)
            }
            target.run([UInt8](data))
            print("ok \(path)")
        }
    }
}
