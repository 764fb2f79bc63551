import ClearanceFuzzing
import Foundation

// Built with `-sanitize=fuzzer -D FUZZING` (Scripts/fuzz.sh), libFuzzer drives the target named by
// CLEARANCE_FUZZ_TARGET through LLVMFuzzerRunDriver (SwiftPM owns `main`, so libFuzzer's own main
// cannot be used). Built normally, `clearance-fuzz TARGET FILE…` replays inputs (crashes found by
// the fuzzer, the committed corpus) through the same code.

#if FUZZING
    @_silgen_name("LLVMFuzzerRunDriver")
    func runDriver(
        _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    nonisolated(unsafe) var selectedTarget =
        FuzzTarget(rawValue: ProcessInfo.processInfo.environment["CLEARANCE_FUZZ_TARGET"] ?? "") ?? .csv

    /// libFuzzer's entry point, for when its own `main` is the one linked.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        selectedTarget.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
        return 0
    }

    @main
    struct FuzzMain {
        static func main() {
            guard let target = FuzzTarget(rawValue: ProcessInfo.processInfo.environment["CLEARANCE_FUZZ_TARGET"] ?? "") else {
                print("set CLEARANCE_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
                exit(2)
            }
            selectedTarget = target
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv
            let status = runDriver(&argc, &argv) { data, size in fuzzOne(data, size) }
            exit(status)
        }
    }
#else
    @main
    struct Replay {
        static func main() {
            let arguments = CommandLine.arguments.dropFirst()
            guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
                print("usage: clearance-fuzz TARGET FILE…  (targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")))")
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
#endif
